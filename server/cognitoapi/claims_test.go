package cognitoapi_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-jose/go-jose/v4"

	"github.com/locognito/locognito/server/servertest"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// claimCheck checks one claim's JSON value.
type claimCheck func(t *testing.T, v any)

func isString(want string) claimCheck {
	return func(t *testing.T, v any) {
		t.Helper()
		if s, ok := v.(string); !ok || s != want {
			t.Errorf("= %#v, want string %q", v, want)
		}
	}
}

func isUUID(t *testing.T, v any) {
	t.Helper()
	if s, ok := v.(string); !ok || !uuidPattern.MatchString(s) {
		t.Errorf("= %#v, want a UUID string", v)
	}
}

func isInt(want int64) claimCheck {
	return func(t *testing.T, v any) {
		t.Helper()
		n, ok := v.(json.Number)
		got, err := n.Int64()
		if !ok || err != nil || got != want {
			t.Errorf("= %#v, want integer %d", v, want)
		}
	}
}

func isBool(want bool) claimCheck {
	return func(t *testing.T, v any) {
		t.Helper()
		if b, ok := v.(bool); !ok || b != want {
			t.Errorf("= %#v, want boolean %v", v, want)
		}
	}
}

// isStringSet checks a JSON array of strings, order ignored (spec §5.1:
// the order of cognito:groups is unverified).
func isStringSet(want ...string) claimCheck {
	return func(t *testing.T, v any) {
		t.Helper()
		arr, ok := v.([]any)
		var got []string
		for _, x := range arr {
			s, isStr := x.(string)
			ok = ok && isStr
			got = append(got, s)
		}
		slices.Sort(got)
		w := slices.Sorted(slices.Values(want))
		if !ok || !slices.Equal(got, w) {
			t.Errorf("= %#v, want string array %v", v, w)
		}
	}
}

// checkClaims asserts that the token has exactly the claims in want (plus
// those in optional) and that each passes its check.
func checkClaims(t *testing.T, name string, got map[string]any, want, optional map[string]claimCheck) {
	t.Helper()
	for k, check := range want {
		v, ok := got[k]
		if !ok {
			t.Errorf("%s token: missing claim %s", name, k)
			continue
		}
		t.Run(name+"/"+k, func(t *testing.T) { check(t, v) })
	}
	for k, v := range got {
		if _, ok := want[k]; ok {
			continue
		}
		check, ok := optional[k]
		if !ok {
			t.Errorf("%s token: unexpected claim %s = %#v", name, k, v)
			continue
		}
		t.Run(name+"/"+k, func(t *testing.T) { check(t, v) })
	}
}

// checkHeader asserts the JOSE header is exactly {"kid":"…","alg":"RS256"}
// with kid first, and returns the kid.
func checkHeader(t *testing.T, token string) string {
	t.Helper()
	if !strings.HasPrefix(token, "eyJraWQiOi") {
		t.Errorf("token starts %.12s, want eyJraWQiOi", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.SplitN(token, ".", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	kid, _ := h["kid"].(string)
	if len(h) != 2 || h["alg"] != "RS256" || kid == "" || !strings.HasPrefix(string(raw), `{"kid":`) {
		t.Errorf("header = %s, want exactly {\"kid\",\"alg\":\"RS256\"}, kid first", raw)
	}
	return kid
}

// verifyWithJWKS checks the token's signature against the pool's published
// JWKS, fetched over HTTP as a resource server would.
func verifyWithJWKS(t *testing.T, ts *servertest.TestServer, poolID, token string) {
	t.Helper()
	resp, err := http.Get(ts.URL + "/" + poolID + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("JWKS status %d", resp.StatusCode)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	jws, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	keys := set.Key(jws.Signatures[0].Header.KeyID)
	if len(keys) != 1 {
		t.Fatalf("kid %q: %d keys in JWKS", jws.Signatures[0].Header.KeyID, len(keys))
	}
	if _, err := jws.Verify(keys[0]); err != nil {
		t.Fatalf("signature does not verify against the JWKS: %v", err)
	}
}

// TestTokenClaims checks the tokens of InitiateAuth claim by claim against
// the API columns of spec §5.1.
func TestTokenClaims(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts, func(in *cip.CreateUserPoolInput) {
			in.Schema = []types.SchemaAttributeType{
				{Name: aws.String("team"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
				{Name: aws.String("level"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(true)},
			}
		})
		c := e.client(t)
		u := e.user(t, "janedoe", testPassword, withAttr("given_name", "Jane"),
			withAttr("phone_number", "+15555550100"), withAttr("phone_number_verified", "false"),
			withAttr("custom:team", "blue"), withAttr("custom:level", "7"))
		const roleArn = "arn:aws:iam::000000000000:role/admins"
		for _, g := range []cip.CreateGroupInput{
			{GroupName: aws.String("admins"), Precedence: aws.Int32(1), RoleArn: aws.String(roleArn)},
			{GroupName: aws.String("readers")},
		} {
			g.UserPoolId = aws.String(e.pool.ID)
			if _, err := e.ts.Client.CreateGroup(e.ctx, &g); err != nil {
				t.Fatal(err)
			}
			if _, err := e.ts.Client.AdminAddUserToGroup(e.ctx, &cip.AdminAddUserToGroupInput{
				UserPoolId: aws.String(e.pool.ID), Username: aws.String("janedoe"), GroupName: g.GroupName,
			}); err != nil {
				t.Fatal(err)
			}
		}

		r := e.signIn(t, c, "janedoe", testPassword)
		idToken, accessToken := aws.ToString(r.IdToken), aws.ToString(r.AccessToken)
		now := e.ts.Clock.Now().Unix()
		iss := e.ts.URL + "/" + e.pool.ID
		id, at := claims(t, idToken), claims(t, accessToken)
		optional := map[string]claimCheck{"event_id": isUUID} // obs. in Cognito

		checkClaims(t, "id", id, map[string]claimCheck{
			"sub": isString(u.Sub), "iss": isString(iss), "aud": isString(c.ClientID),
			"token_use": isString("id"), "iat": isInt(now), "exp": isInt(now + 3600), "auth_time": isInt(now),
			"jti": isUUID, "origin_jti": isUUID,
			"cognito:username":       isString("janedoe"),
			"cognito:groups":         isStringSet("admins", "readers"),
			"cognito:roles":          isStringSet(roleArn),
			"cognito:preferred_role": isString(roleArn),
			"email":                  isString(u.Attributes["email"]),
			"email_verified":         isBool(true),
			"phone_number":           isString("+15555550100"),
			"phone_number_verified":  isBool(false),
			"given_name":             isString("Jane"),
			"custom:team":            isString("blue"),
			"custom:level":           isString("7"), // custom attributes are always strings
		}, optional)
		checkClaims(t, "access", at, map[string]claimCheck{
			"sub": isString(u.Sub), "iss": isString(iss), "client_id": isString(c.ClientID),
			"token_use": isString("access"), "iat": isInt(now), "exp": isInt(now + 3600), "auth_time": isInt(now),
			"jti": isUUID, "origin_jti": isUUID,
			"username":       isString("janedoe"),
			"cognito:groups": isStringSet("admins", "readers"),
			"scope":          isString("aws.cognito.signin.user.admin"),
		}, optional)

		if id["origin_jti"] != at["origin_jti"] {
			t.Errorf("origin_jti differs: id %v, access %v", id["origin_jti"], at["origin_jti"])
		}
		if id["jti"] == at["jti"] {
			t.Error("ID and access tokens share a jti")
		}

		idKid, atKid := checkHeader(t, idToken), checkHeader(t, accessToken)
		if idKid == atKid {
			t.Errorf("ID and access tokens share kid %s; each use has its own key", idKid)
		}
		verifyWithJWKS(t, e.ts, e.pool.ID, idToken)
		verifyWithJWKS(t, e.ts, e.pool.ID, accessToken)
	})
}

// Without EnableTokenRevocation there is no jti or origin_jti (spec §5.1).
func TestTokenClaimsWithoutRevocation(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t, withoutRevocation)
		e.user(t, "janedoe", testPassword)
		r := e.signIn(t, c, "janedoe", testPassword)
		for name, tok := range map[string]string{"id": aws.ToString(r.IdToken), "access": aws.ToString(r.AccessToken)} {
			cl := claims(t, tok)
			for _, k := range []string{"jti", "origin_jti"} {
				if v, ok := cl[k]; ok {
					t.Errorf("%s token has %s = %v without revocation", name, k, v)
				}
			}
		}
	})
}

// ReadAttributes limits the ID token to what the client may read.
func TestTokenClaimsReadAttributes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t, func(in *cip.CreateUserPoolClientInput) { in.ReadAttributes = []string{"given_name"} })
		e.user(t, "janedoe", testPassword, withAttr("given_name", "Jane"))
		id := claims(t, aws.ToString(e.signIn(t, c, "janedoe", testPassword).IdToken))
		if id["given_name"] != "Jane" {
			t.Errorf("given_name = %v", id["given_name"])
		}
		for _, k := range []string{"email", "email_verified"} {
			if v, ok := id[k]; ok {
				t.Errorf("ID token has unreadable %s = %v", k, v)
			}
		}
	})
}
