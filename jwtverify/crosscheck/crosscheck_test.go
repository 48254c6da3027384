package crosscheck_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/jwtverify"
	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/server"
	"github.com/locognito/locognito/server/oauth/oauthtest"
	"github.com/locognito/locognito/server/servertest"
)

// nodeVerdict is what aws-jwt-verify 5 throws for each jwtverify check,
// where the two name the same failure. A row whose aws-jwt-verify verdict
// is not this one says so (row.node) and why (row.why).
var nodeVerdict = map[string]string{
	"ok":                               "ok",
	string(jwtverify.CheckMalformed):   "JwtParseError",
	string(jwtverify.CheckAlgorithm):   "JwtInvalidSignatureAlgorithmError",
	string(jwtverify.CheckKey):         "KidNotFoundInJwksError",
	string(jwtverify.CheckSignature):   "JwtInvalidSignatureError",
	string(jwtverify.CheckExpired):     "JwtExpiredError",
	string(jwtverify.CheckNotYetValid): "JwtNotBeforeError",
	string(jwtverify.CheckTokenUse):    "CognitoJwtInvalidTokenUseError",
	string(jwtverify.CheckClientID):    "CognitoJwtInvalidClientIdError",
	string(jwtverify.CheckScope):       "JwtInvalidScopeError",
	string(jwtverify.CheckGroup):       "CognitoJwtInvalidGroupError",
	// CognitoJwtVerifier picks its issuer configuration by the token's iss
	// before anything else; an iss it does not know fails there, as
	// "issuer not configured".
	string(jwtverify.CheckIssuer): "ParameterValidationError",
}

// row is one token and the expectation both libraries are configured with.
type row struct {
	name     string
	token    string
	tokenUse any      // "access", "id", or nil: not checked
	clientID any      // a string, a []string, or nil: not checked
	scope    []string // jwtverify RequiredScopes / aws-jwt-verify scope
	groups   []string
	grace    int // seconds: jwtverify Leeway / aws-jwt-verify graceSeconds

	want string // jwtverify's verdict: "ok" or the Check that refuses
	// node, when set, is aws-jwt-verify's verdict where it is not
	// nodeVerdict[want]; why says why the libraries differ there.
	node, why string
	// fetches, when >= 0, is how many JWKS fetches aws-jwt-verify must make
	// (its cache starts with the JWKS from before the key rotation).
	fetches int
}

type nodeResult struct {
	Name    string `json:"name"`
	Verdict string `json:"verdict"`
	Message string `json:"message"`
	Fetches int    `json:"fetches"`
}

// TestAgainstAwsJwtVerify: jwtverify and aws-jwt-verify 5.x agree, row by
// row, on tokens minted by a running locognito in AWS-issuer mode and on
// forged ones; where they differ by design the row says why.
func TestAgainstAwsJwtVerify(t *testing.T) {
	nodeBin := requireNode(t)
	ctx := context.Background()

	// aws-jwt-verify checks exp against the real Date.now(), so the fake
	// clock runs at real time, except to mint the expired token.
	now := time.Now().Truncate(time.Second)
	clk := clock.NewFake(now.Add(-3 * time.Hour))
	f := oauthtest.New(t, servertest.WithConfig(func(c *server.Config) {
		c.IssuerMode = server.IssuerAWS
		c.Clock = clk
	}))
	api := f.TS.Client
	pool := f.PoolID
	_, err := api.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("users")})
	must(t, "CreateGroup", err)
	_, err = api.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{
		UserPoolId: aws.String(pool), Username: aws.String(oauthtest.Username), GroupName: aws.String("users"),
	})
	must(t, "AdminAddUserToGroup", err)

	clk.Set(now.Add(-2 * time.Hour))
	expired := signIn(t, api, f.Web.ID, oauthtest.Username, oauthtest.Password)
	clk.Set(now)

	jane := signIn(t, api, f.Web.ID, oauthtest.Username, oauthtest.Password)
	access, id := aws.ToString(jane.AccessToken), aws.ToString(jane.IdToken)
	ccRead := clientCredentials(t, f, "notes/read")
	signedOut := signIn(t, api, f.Web.ID, oauthtest.Username, oauthtest.Password)
	_, err = api.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: signedOut.AccessToken})
	must(t, "GlobalSignOut", err)

	otherPool, otherToken := otherPoolToken(t, api)
	accessKID, accessKey, err := f.TS.Server.Keys.Signer(ctx, pool, keys.UseAccess)
	must(t, "Signer", err)
	_, otherKey, err := f.TS.Server.Keys.Signer(ctx, otherPool, keys.UseAccess)
	must(t, "Signer (other pool)", err)
	attacker, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, "GenerateKey", err)

	jwksURL := f.TS.URL + "/" + pool + "/.well-known/jwks.json"
	jwks := get(t, jwksURL) // aws-jwt-verify's cacheJwks gets the JWKS as it is now

	awsIssuer := "https://cognito-idp.us-east-1.amazonaws.com/" + pool
	if !strings.HasPrefix(pool, "us-east-1_") {
		t.Fatalf("pool %s: the test assumes us-east-1", pool)
	}
	if _, p, _ := split(t, access); p["iss"] != awsIssuer {
		t.Fatalf("iss = %v, want the AWS issuer %s (issuer mode aws)", p["iss"], awsIssuer)
	}
	nowUnix := now.Unix()
	ourKey := func(edit func(h, p claims)) string { return resign(t, access, accessKey, edit) }
	web := f.Web.ID

	rows := []row{
		// Tokens as locognito mints them.
		{name: "access token (InitiateAuth)", token: access, tokenUse: "access", clientID: web, want: "ok"},
		{name: "ID token (InitiateAuth)", token: id, tokenUse: "id", clientID: web, want: "ok"},
		{name: "client_credentials token, scope notes/read", token: ccRead, tokenUse: "access", clientID: f.Machine.ID, scope: []string{"notes/read"}, want: "ok"},
		{name: "access token, one of several client ids", token: access, tokenUse: "access", clientID: []string{f.Machine.ID, web}, want: "ok"},
		{name: "access token, group users among admin/users", token: access, tokenUse: "access", clientID: web, groups: []string{"admin", "users"}, want: "ok"},
		{name: "ID token, token_use not checked", token: id, tokenUse: nil, clientID: web, want: "ok"},
		{name: "access token, client id not checked", token: access, tokenUse: "access", clientID: nil, want: "ok"},
		{name: "access token after GlobalSignOut (revocation is not checked offline)", token: aws.ToString(signedOut.AccessToken), tokenUse: "access", clientID: web, want: "ok"},
		{name: "expired 1 h ago, graceSeconds 7200", token: aws.ToString(expired.AccessToken), tokenUse: "access", clientID: web, grace: 7200, want: "ok"},
		{name: "nbf in 60 s, graceSeconds 120", token: ourKey(func(_, p claims) { p["nbf"] = nowUnix + 60 }), tokenUse: "access", clientID: web, grace: 120, want: "ok"},

		// Time.
		{name: "expired (minted by the server 2 h ago)", token: aws.ToString(expired.AccessToken), tokenUse: "access", clientID: web, want: "exp"},
		{name: "expired ID token", token: aws.ToString(expired.IdToken), tokenUse: "id", clientID: web, want: "exp"},
		{name: "nbf in 60 s", token: ourKey(func(_, p claims) { p["nbf"] = nowUnix + 60 }), tokenUse: "access", clientID: web, want: "nbf"},

		// Signature and algorithm.
		{name: "bad signature (one bit flipped)", token: flipSignature(t, access), tokenUse: "access", clientID: web, want: "signature"},
		{name: "tampered payload: username", token: withPayload(t, access, func(p claims) { p["username"] = "admin" }), tokenUse: "access", clientID: web, want: "signature"},
		{name: "tampered payload: scope widened", token: withPayload(t, ccRead, func(p claims) { p["scope"] = "notes/read notes/write" }), tokenUse: "access", clientID: f.Machine.ID, want: "signature"},
		{name: "tampered payload: exp extended", token: withPayload(t, aws.ToString(expired.AccessToken), func(p claims) { p["exp"] = nowUnix + 3600 }), tokenUse: "access", clientID: web, want: "signature"},
		{name: "alg none, empty signature", token: strings.TrimSuffix(withHeader(t, access, map[string]any{"kid": accessKID, "alg": "none"}), lastPart(access)), tokenUse: "access", clientID: web, want: "malformed"},
		{name: "alg none, signature kept", token: withHeader(t, access, map[string]any{"kid": accessKID, "alg": "none"}), tokenUse: "access", clientID: web, want: "algorithm"},
		{name: "HS256 keyed with the JWKS public key (PEM)", token: hs256WithPublicKey(t, &accessKey.PublicKey, accessKID, payloadOf(t, access)), tokenUse: "access", clientID: web, want: "algorithm"},
		{name: "RS384 with the pool's own key", token: signRSA(t, accessKey, "RS384", map[string]any{"kid": accessKID, "alg": "RS384"}, payloadOf(t, access)), tokenUse: "access", clientID: web, want: "algorithm"},
		{name: "pool's kid, attacker's key", token: signRSA(t, attacker, "RS256", map[string]any{"kid": accessKID, "alg": "RS256"}, payloadOf(t, access)), tokenUse: "access", clientID: web, want: "signature"},

		// Keys.
		{name: "unknown kid (one refetch, then refused)", token: signRSA(t, attacker, "RS256", map[string]any{"kid": "attacker-kid", "alg": "RS256"}, payloadOf(t, access)), tokenUse: "access", clientID: web, want: "key", fetches: 1},
		{name: "unknown kid with jku, x5u and jwk headers naming the attacker's key", token: signRSA(t, attacker, "RS256", map[string]any{
			"kid": "attacker-kid", "alg": "RS256", "jku": "https://attacker.example/jwks.json", "x5u": "https://attacker.example/cert.pem",
			"jwk": publicJWK(&attacker.PublicKey, "attacker-kid"),
		}, payloadOf(t, access)), tokenUse: "access", clientID: web, want: "key", fetches: 1},
		{name: "no kid", token: signRSA(t, accessKey, "RS256", map[string]any{"alg": "RS256"}, payloadOf(t, access)), tokenUse: "access", clientID: web,
			want: "key", node: "JwtWithoutValidKidError",
			why: "same step (key lookup); aws-jwt-verify has a class of its own for a header without kid"},
		{name: "other pool's key, this pool's issuer", token: resign(t, otherToken, otherKey, func(_, p claims) { p["iss"] = awsIssuer; p["client_id"] = web }), tokenUse: "access", clientID: web, want: "key", fetches: 1},
		{name: "other pool's token as issued", token: otherToken, tokenUse: "access", clientID: web,
			want: "key", node: "ParameterValidationError",
			why: "category only: jwtverify looks the kid up first (unknown here); aws-jwt-verify first picks its issuer config by iss (not configured)"},

		// Issuer.
		{name: "wrong issuer, signed with the pool's key", token: ourKey(func(_, p claims) { p["iss"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1" }), tokenUse: "access", clientID: web, want: "iss"},
		{name: "locognito local-mode issuer, signed with the pool's key", token: ourKey(func(_, p claims) { p["iss"] = f.TS.URL + "/" + pool }), tokenUse: "access", clientID: web, want: "iss"},
		{name: "issuer with a trailing slash", token: ourKey(func(_, p claims) { p["iss"] = awsIssuer + "/" }), tokenUse: "access", clientID: web, want: "iss"},
		{name: "no iss", token: ourKey(func(_, p claims) { delete(p, "iss") }), tokenUse: "access", clientID: web, want: "iss"},

		// token_use and client.
		{name: "ID token where an access token is expected", token: id, tokenUse: "access", clientID: web, want: "token_use"},
		{name: "access token where an ID token is expected", token: access, tokenUse: "id", clientID: web, want: "token_use"},
		{name: "token_use refresh, token_use not checked", token: ourKey(func(_, p claims) { p["token_use"] = "refresh" }), tokenUse: nil, clientID: web, want: "token_use"},
		{name: "ID token where an access token is expected, with a required scope", token: id, tokenUse: "access", clientID: web, scope: []string{"notes/read"},
			want: "token_use", node: "JwtInvalidScopeError",
			why: "category only: aws-jwt-verify checks scope before token_use, jwtverify token_use and client first so that a 403 only goes to a token otherwise valid here"},
		{name: "wrong client id (access token)", token: access, tokenUse: "access", clientID: f.Other.ID, want: "client_id"},
		{name: "wrong audience (ID token)", token: id, tokenUse: "id", clientID: f.Other.ID, want: "client_id"},
		{name: "ID token with aud as an array", token: resign(t, id, mustSigner(t, f, pool, keys.UseID), func(_, p claims) { p["aud"] = []string{web} }), tokenUse: "id", clientID: web, want: "client_id"},
		{name: "access token without client_id", token: ourKey(func(_, p claims) { delete(p, "client_id") }), tokenUse: "access", clientID: web, want: "client_id"},

		// Scopes and groups.
		{name: "missing scope (user token, notes/read required)", token: access, tokenUse: "access", clientID: web, scope: []string{"notes/read"}, want: "scope"},
		{name: "missing group (jane is not in admin)", token: access, tokenUse: "access", clientID: web, groups: []string{"admin"}, want: "groups"},
		{name: "no cognito:groups (client_credentials) with a group required", token: ccRead, tokenUse: "access", clientID: f.Machine.ID, groups: []string{"users"}, want: "groups"},

		// Malformed.
		{name: "empty string", token: "", tokenUse: "access", clientID: web, want: "malformed"},
		{name: "not a JWT", token: "not-a-jwt", tokenUse: "access", clientID: web, want: "malformed"},
		{name: "two parts", token: strings.Join(strings.Split(access, ".")[:2], "."), tokenUse: "access", clientID: web, want: "malformed"},
		{name: "four parts", token: access + ".e30", tokenUse: "access", clientID: web, want: "malformed"},
		{name: "refresh token (JWE, 5 parts) as bearer", token: aws.ToString(jane.RefreshToken), tokenUse: "access", clientID: web, want: "malformed"},
		{name: "header is not JSON", token: b64.EncodeToString([]byte("{kid")) + access[strings.Index(access, "."):], tokenUse: "access", clientID: web, want: "malformed"},
		{name: "payload is a JSON array", token: strings.Split(access, ".")[0] + "." + b64.EncodeToString([]byte("[1,2]")) + "." + lastPart(access), tokenUse: "access", clientID: web, want: "malformed"},
		{name: "exp is a string (signed)", token: ourKey(func(_, p claims) { p["exp"] = fmt.Sprint(nowUnix + 3600) }), tokenUse: "access", clientID: web, want: "malformed"},
		{name: "standard base64 alphabet (+ and /) in the signature", token: access[:strings.LastIndex(access, ".")+1] + strings.NewReplacer("-", "+", "_", "/").Replace(lastPart(access)) + "+/", tokenUse: "access", clientID: web, want: "malformed"},

		// Differences by design.
		{name: "no exp (signed with the pool's key)", token: ourKey(func(_, p claims) { delete(p, "exp") }), tokenUse: "access", clientID: web,
			want: "malformed", node: "ok",
			why: "by design (spec §12): aws-jwt-verify accepts a token without exp; jwtverify requires exp, as every Cognito token has one"},
		{name: "all of notes/read and notes/write required, token has notes/read", token: ccRead, tokenUse: "access", clientID: f.Machine.ID, scope: []string{"notes/read", "notes/write"},
			want: "scope", node: "ok",
			why: "by design: aws-jwt-verify's scope list is satisfied by ANY scope, jwtverify's RequiredScopes needs ALL (use one scope per route, or a custom check, for ANY)"},
		{name: "issuer-cognito-idp issuer form, signed with the pool's key", token: ourKey(func(_, p claims) { p["iss"] = "https://issuer-cognito-idp.us-east-1.amazonaws.com/" + pool }), tokenUse: "access", clientID: web,
			want: "iss", node: "ok",
			why: "by design (spec §3): aws-jwt-verify 5.2 also accepts the issuer-cognito-idp form of IssuerConfiguration UPDATED, whose effect on tokens is unverified; jwtverify accepts only the issuer it is configured with (set Issuer to that URL to accept it)"},
		{name: "'=' padding after the signature", token: access + "==", tokenUse: "access", clientID: web,
			want: "malformed", node: "ok",
			why: "by design: JWS compact serialization is unpadded base64url (RFC 7515 §2) and Cognito never pads; aws-jwt-verify's pattern allows up to two '='"},
	}
	for i := range rows {
		if rows[i].fetches == 0 {
			rows[i].fetches = -1
		}
	}

	// Rotation: tokens signed with keys the cached JWKS does not have yet
	// verify after one refetch in both libraries.
	resp, err := http.Post(f.TS.URL+"/_locognito/keys/rotate?pool="+pool+"&delay=0s", "", nil)
	must(t, "rotate", err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("rotate: status %d", resp.StatusCode)
	}
	rotated := signIn(t, api, web, oauthtest.Username, oauthtest.Password)
	if h, _, _ := split(t, aws.ToString(rotated.AccessToken)); h["kid"] == accessKID {
		t.Fatalf("the rotated access token still has kid %s", accessKID)
	}
	rows = append(rows,
		row{name: "access token signed with the rotated-in key", token: aws.ToString(rotated.AccessToken), tokenUse: "access", clientID: web, want: "ok", fetches: 1},
		row{name: "ID token signed with the rotated-in key", token: aws.ToString(rotated.IdToken), tokenUse: "id", clientID: web, want: "ok", fetches: 1},
		row{name: "client_credentials token after rotation", token: clientCredentials(t, f, "notes/read"), tokenUse: "access", clientID: f.Machine.ID, want: "ok", fetches: 1},
		row{name: "access token of the old key after rotation", token: access, tokenUse: "access", clientID: web, want: "ok", fetches: 0},
	)

	version, results := runNode(t, nodeBin, pool, jwks, jwksURL, rows)

	var report strings.Builder
	tw := tabwriter.NewWriter(&report, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "row\tjwtverify\taws-jwt-verify\tnote")
	agree, differ := 0, 0
	for i, r := range rows {
		goGot := goVerdict(t, r, pool, jwksURL)
		nodeGot := results[i]
		wantNode := nodeVerdict[r.want]
		if r.node != "" {
			wantNode = r.node
			if r.why == "" {
				t.Errorf("%s: a differing row needs a reason", r.name)
			}
		}
		if goGot != r.want {
			t.Errorf("%s: jwtverify says %s, want %s", r.name, goGot, r.want)
		}
		if nodeGot.Verdict != wantNode {
			t.Errorf("%s: aws-jwt-verify says %s (%s), want %s", r.name, nodeGot.Verdict, nodeGot.Message, wantNode)
		}
		// ParameterValidationError is also what a bad verifier config
		// throws; only the issuer lookup counts as a verdict on the token.
		if nodeGot.Verdict == "ParameterValidationError" && !strings.Contains(nodeGot.Message, "issuer") {
			t.Errorf("%s: aws-jwt-verify refused its configuration, not the token: %s", r.name, nodeGot.Message)
		}
		if r.fetches >= 0 && nodeGot.Fetches != r.fetches {
			t.Errorf("%s: aws-jwt-verify fetched the JWKS %d times, want %d", r.name, nodeGot.Fetches, r.fetches)
		}
		goOK, nodeOK := goGot == "ok", nodeGot.Verdict == "ok"
		note := ""
		switch {
		case goOK != nodeOK:
			differ++
			note = "VERDICT DIFFERS " + r.why
			if r.why == "" {
				t.Errorf("%s: the verdicts differ (jwtverify %s, aws-jwt-verify %s) and the row does not say why", r.name, goGot, nodeGot.Verdict)
			}
		default:
			agree++
			if r.why != "" {
				note = r.why
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.name, goGot, nodeGot.Verdict, note)
	}
	tw.Flush()
	t.Logf("aws-jwt-verify %s, %d rows: %d same verdict, %d differ by design\n%s", version, len(rows), agree, differ, report.String())
}

// goVerdict verifies r with a fresh jwtverify Verifier set up as
// aws-jwt-verify is: the pool id (so the AWS issuer) and locognito's JWKS.
func goVerdict(t *testing.T, r row, pool, jwksURL string) string {
	t.Helper()
	cfg := jwtverify.Config{
		UserPoolID: pool, JWKSURL: jwksURL,
		RequiredScopes: r.scope, RequiredGroups: r.groups,
		Leeway: time.Duration(r.grace) * time.Second,
	}
	switch u := r.tokenUse.(type) {
	case nil:
		cfg.SkipTokenUseCheck = true
	case string:
		cfg.TokenUse = jwtverify.TokenUse(u)
	}
	switch c := r.clientID.(type) {
	case nil:
		cfg.SkipClientIDCheck = true
	case string:
		cfg.ClientIDs = []string{c}
	case []string:
		cfg.ClientIDs = c
	}
	v, err := jwtverify.New(cfg)
	must(t, r.name+": jwtverify.New", err)
	_, err = v.Verify(context.Background(), r.token)
	if err == nil {
		return "ok"
	}
	var ve *jwtverify.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%s: %v is not a *ValidationError", r.name, err)
	}
	return string(ve.Check)
}

// runNode writes the cases file and runs verify.mjs on it.
func runNode(t *testing.T, nodeBin, pool string, jwks json.RawMessage, jwksURL string, rows []row) (version string, results []nodeResult) {
	t.Helper()
	type nodeCase struct {
		Name     string   `json:"name"`
		Token    string   `json:"token"`
		TokenUse any      `json:"tokenUse"`
		ClientID any      `json:"clientId"`
		Scope    []string `json:"scope,omitempty"`
		Groups   []string `json:"groups,omitempty"`
		Grace    int      `json:"graceSeconds,omitempty"`
	}
	in := struct {
		UserPoolID   string          `json:"userPoolId"`
		JWKS         json.RawMessage `json:"jwks"`
		LocalJWKSURL string          `json:"localJwksUrl"`
		Cases        []nodeCase      `json:"cases"`
	}{UserPoolID: pool, JWKS: jwks, LocalJWKSURL: jwksURL}
	for _, r := range rows {
		in.Cases = append(in.Cases, nodeCase{r.name, r.token, r.tokenUse, r.clientID, r.scope, r.groups, r.grace})
	}
	b, err := json.MarshalIndent(in, "", "  ")
	must(t, "marshal cases", err)
	path := filepath.Join(t.TempDir(), "cases.json")
	must(t, "write cases", os.WriteFile(path, b, 0o600))

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nodeBin, "verify.mjs", path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node verify.mjs: %v\n%s", err, stderr.String())
	}
	var out struct {
		Version string       `json:"version"`
		Results []nodeResult `json:"results"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("verify.mjs output: %v\n%s", err, stdout.String())
	}
	if !strings.HasPrefix(out.Version, "5.") {
		t.Fatalf("aws-jwt-verify %s, want 5.x (package-lock.json)", out.Version)
	}
	if len(out.Results) != len(rows) {
		t.Fatalf("verify.mjs answered %d rows of %d", len(out.Results), len(rows))
	}
	for i, r := range out.Results {
		if r.Name != rows[i].name {
			t.Fatalf("verify.mjs row %d is %q, want %q", i, r.Name, rows[i].name)
		}
	}
	return out.Version, out.Results
}

// requireNode returns the node binary, once aws-jwt-verify is installed
// here (npm ci). Without it the test is skipped, except under CI=true.
func requireNode(t *testing.T) string {
	t.Helper()
	missing := func(why string) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s; CI runs `npm ci` in jwtverify/crosscheck first", why)
		}
		t.Skipf("%s; run `cd jwtverify/crosscheck && npm ci` to compare with aws-jwt-verify", why)
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed")
	}
	if _, err := os.Stat(filepath.Join("node_modules", "aws-jwt-verify", "package.json")); err != nil {
		missing("aws-jwt-verify is not installed")
	}
	return nodeBin
}

func signIn(t *testing.T, api *cip.Client, clientID, username, password string) *types.AuthenticationResultType {
	t.Helper()
	out, err := api.InitiateAuth(context.Background(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(clientID),
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
	})
	must(t, "InitiateAuth", err)
	if out.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth: challenge %s", out.ChallengeName)
	}
	return out.AuthenticationResult
}

// otherPoolToken creates a second pool with a user and returns the pool id
// and that user's access token.
func otherPoolToken(t *testing.T, api *cip.Client) (string, string) {
	t.Helper()
	ctx := context.Background()
	p, err := api.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("other")})
	must(t, "CreateUserPool", err)
	pool := aws.ToString(p.UserPool.Id)
	c, err := api.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientName: aws.String("other"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	must(t, "CreateUserPoolClient", err)
	_, err = api.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("mallory"), MessageAction: types.MessageActionTypeSuppress})
	must(t, "AdminCreateUser", err)
	_, err = api.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(pool), Username: aws.String("mallory"), Password: aws.String("Passw0rd!x"), Permanent: true})
	must(t, "AdminSetUserPassword", err)
	return pool, aws.ToString(signIn(t, api, aws.ToString(c.UserPoolClient.ClientId), "mallory", "Passw0rd!x").AccessToken)
}

// clientCredentials gets a client_credentials token of the fixture's
// machine client.
func clientCredentials(t *testing.T, f *oauthtest.Fixture, scope string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.TS.URL+"/oauth2/token", strings.NewReader(url.Values{
		"grant_type": {"client_credentials"}, "scope": {scope},
	}.Encode()))
	must(t, "request", err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(f.Machine.ID, f.Machine.Secret)
	resp, err := http.DefaultClient.Do(req)
	must(t, "POST /oauth2/token", err)
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" {
		t.Fatalf("client_credentials: status %d, err %v", resp.StatusCode, err)
	}
	return out.AccessToken
}

func mustSigner(t *testing.T, f *oauthtest.Fixture, pool, use string) *rsa.PrivateKey {
	t.Helper()
	_, key, err := f.TS.Server.Keys.Signer(context.Background(), pool, use)
	must(t, "Signer", err)
	return key
}

func get(t *testing.T, u string) json.RawMessage {
	t.Helper()
	resp, err := http.Get(u)
	must(t, "GET "+u, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, "read "+u, err)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	return b
}

func payloadOf(t *testing.T, token string) claims {
	_, p, _ := split(t, token)
	return p
}

func lastPart(token string) string { return token[strings.LastIndex(token, ".")+1:] }

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
