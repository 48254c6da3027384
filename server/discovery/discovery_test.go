package discovery_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/server"
	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/postgres/pgtest"
)

const (
	poolID   = "us-east-1_Disc0very"
	clientID = "2ek6v1hq0ub8s2g7mmhvv5h4km"
)

// forEachBackend runs f on a server over memory and over Postgres (skipped
// locally without TEST_DATABASE_URL, failing under CI=true).
func forEachBackend(t *testing.T, f func(t *testing.T, opts ...servertest.Option)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) { f(t) })
	t.Run("postgres", func(t *testing.T) { f(t, servertest.WithStore(pgtest.Open(t))) })
}

// withPublishDelay sets the key publish delay the JWKS max-age follows.
func withPublishDelay(d time.Duration) servertest.Option {
	return servertest.WithConfig(func(c *server.Config) { c.KeyPublishDelay = d })
}

// startWithPool starts a server holding poolID with its keys, a client and
// a user.
func startWithPool(t *testing.T, opts ...servertest.Option) *servertest.TestServer {
	t.Helper()
	ts := servertest.Start(t, opts...)
	ctx := context.Background()
	now := ts.Clock.Now()
	must(t, ts.Store.CreatePool(ctx, storage.Pool{ID: poolID, Name: "discovery", Region: "us-east-1", CreatedAt: now, LastModifiedAt: now, CaseSensitive: true}))
	must(t, ts.Server.Keys.Ensure(ctx, poolID))
	must(t, ts.Store.CreateClient(ctx, storage.Client{ClientID: clientID, PoolID: poolID, Name: "web", CreatedAt: now, LastModifiedAt: now, EnableTokenRevocation: true}))
	must(t, ts.Store.CreateUser(ctx, storage.User{
		PoolID: poolID, Username: "janedoe", UsernameKey: "janedoe", Sub: "0b5f3ad4-5d5b-4a0e-9d6e-2f0f8b1f7c11",
		Status: "CONFIRMED", Enabled: true, CreatedAt: now, LastModifiedAt: now,
		Attributes: map[string]string{"sub": "0b5f3ad4-5d5b-4a0e-9d6e-2f0f8b1f7c11", "email": "jane@example.com", "email_verified": "true"},
	}))
	return ts
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, method, url string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	must(t, err)
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	must(t, err)
	return response{res.StatusCode, res.Header, body}
}

// jwks fetches the pool's JWKS and returns its keys as JSON objects.
func jwks(t *testing.T, ts *servertest.TestServer) []map[string]any {
	t.Helper()
	res := do(t, http.MethodGet, ts.URL+"/"+poolID+"/.well-known/jwks.json")
	if res.status != http.StatusOK {
		t.Fatalf("GET jwks.json: %d %s", res.status, res.body)
	}
	var doc struct {
		Keys []map[string]any `json:"keys"`
	}
	must(t, json.Unmarshal(res.body, &doc))
	return doc.Keys
}

func kidsOf(ks []map[string]any) []string {
	var out []string
	for _, k := range ks {
		out = append(out, k["kid"].(string))
	}
	slices.Sort(out)
	return out
}

func TestJWKSEndpoint(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		ts := startWithPool(t, append(opts, withPublishDelay(10*time.Minute))...)
		res := do(t, http.MethodGet, ts.URL+"/"+poolID+"/.well-known/jwks.json")
		if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/json" {
			t.Fatalf("GET jwks.json: %d %q", res.status, res.header.Get("Content-Type"))
		}
		// max-age = PublishDelay - keys.CacheTTL, so every cache refetches
		// before a newly published key signs.
		if got, want := res.header.Get("Cache-Control"), "public, max-age=595"; got != want {
			t.Errorf("Cache-Control = %q, want %q", got, want)
		}
		ks := jwks(t, ts)
		if len(ks) != 2 {
			t.Fatalf("JWKS has %d keys, want 2", len(ks))
		}
		for _, k := range ks {
			if len(k) != 6 || k["alg"] != "RS256" || k["e"] != "AQAB" || k["kty"] != "RSA" || k["use"] != "sig" || len(k["n"].(string)) != 342 {
				t.Errorf("JWK %v is not exactly {alg:RS256,e:AQAB,kid,kty:RSA,n(342),use:sig}", k)
			}
		}
		var want []string
		for _, use := range []string{keys.UseID, keys.UseAccess} {
			kid, _, err := ts.Server.Keys.Signer(context.Background(), poolID, use)
			must(t, err)
			want = append(want, kid)
		}
		slices.Sort(want)
		if got := kidsOf(ks); !slices.Equal(got, want) {
			t.Errorf("JWKS kids %v, want the signing kids %v", got, want)
		}
		if head := do(t, http.MethodHead, ts.URL+"/"+poolID+"/.well-known/jwks.json"); head.status != http.StatusOK || len(head.body) != 0 {
			t.Errorf("HEAD jwks.json: %d with %d body bytes", head.status, len(head.body))
		}
	})
}

func TestUnknownPoolIs404(t *testing.T) {
	ts := startWithPool(t)
	for _, path := range []string{"/.well-known/jwks.json", "/.well-known/openid-configuration"} {
		res := do(t, http.MethodGet, ts.URL+"/us-east-1_NoSuchPoo"+path)
		var body map[string]string
		if res.status != http.StatusNotFound || res.header.Get("Content-Type") != "application/json" || json.Unmarshal(res.body, &body) != nil {
			t.Fatalf("GET %s of an unknown pool: %d %q %s", path, res.status, res.header.Get("Content-Type"), res.body)
		}
		if body["message"] != "User pool us-east-1_NoSuchPoo does not exist." {
			t.Errorf("404 body %v", body)
		}
	}
}

func TestOpenIDConfiguration(t *testing.T) {
	for _, tc := range []struct {
		mode       string
		wantIssuer func(ts *servertest.TestServer) string
	}{
		{server.IssuerLocal, func(ts *servertest.TestServer) string { return ts.URL + "/" + poolID }},
		{server.IssuerAWS, func(*servertest.TestServer) string { return "https://cognito-idp.us-east-1.amazonaws.com/" + poolID }},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
				ts := startWithPool(t, append(opts, servertest.WithConfig(func(c *server.Config) { c.IssuerMode = tc.mode }))...)
				res := do(t, http.MethodGet, ts.URL+"/"+poolID+"/.well-known/openid-configuration")
				if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/json" {
					t.Fatalf("GET openid-configuration: %d %q %s", res.status, res.header.Get("Content-Type"), res.body)
				}
				var got map[string]any
				must(t, json.Unmarshal(res.body, &got))
				want := map[string]any{
					"authorization_endpoint":                ts.URL + "/oauth2/authorize",
					"end_session_endpoint":                  ts.URL + "/logout",
					"id_token_signing_alg_values_supported": []any{"RS256"},
					"issuer":                                tc.wantIssuer(ts),
					// The keys are served by locognito in both modes.
					"jwks_uri":                              ts.URL + "/" + poolID + "/.well-known/jwks.json",
					"response_types_supported":              []any{"code", "token"},
					"revocation_endpoint":                   ts.URL + "/oauth2/revoke",
					"scopes_supported":                      []any{"openid", "email", "phone", "profile"},
					"subject_types_supported":               []any{"public"},
					"token_endpoint":                        ts.URL + "/oauth2/token",
					"token_endpoint_auth_methods_supported": []any{"client_secret_basic", "client_secret_post"},
					"userinfo_endpoint":                     ts.URL + "/oauth2/userInfo",
				}
				gotJSON, _ := json.Marshal(got)
				wantJSON, _ := json.Marshal(want)
				if string(gotJSON) != string(wantJSON) {
					t.Errorf("discovery document\n got  %s\n want %s", gotJSON, wantJSON)
				}
			})
		})
	}
}

// go-oidc finds the keys through discovery and verifies an ID token, in
// both issuer modes (AWS mode needs InsecureIssuerURLContext, spec §3).
func TestGoOIDCVerifiesIDTokens(t *testing.T) {
	for _, mode := range []string{server.IssuerLocal, server.IssuerAWS} {
		t.Run(mode, func(t *testing.T) {
			ts := startWithPool(t, servertest.WithConfig(func(c *server.Config) { c.IssuerMode = mode }))
			ctx := context.Background()
			if mode == server.IssuerAWS {
				ctx = oidc.InsecureIssuerURLContext(ctx, ts.Server.IssuerURL(poolID))
			}
			provider, err := oidc.NewProvider(ctx, ts.URL+"/"+poolID)
			if err != nil {
				t.Fatalf("oidc.NewProvider: %v", err)
			}
			pool, err := ts.Store.GetPool(ctx, poolID)
			must(t, err)
			client, err := ts.Store.GetClient(ctx, clientID)
			must(t, err)
			user, err := ts.Store.GetUser(ctx, poolID, "janedoe")
			must(t, err)
			res, err := ts.Server.Tokens.Issue(ctx, tokens.Request{Pool: pool, Client: client, User: user, Flow: tokens.FlowAPI})
			must(t, err)

			verifier := provider.Verifier(&oidc.Config{ClientID: clientID, Now: ts.Clock.Now})
			idt, err := verifier.Verify(ctx, res.IDToken)
			if err != nil {
				t.Fatalf("go-oidc Verify: %v", err)
			}
			if idt.Subject != user.Sub || idt.Issuer != ts.Server.IssuerURL(poolID) {
				t.Errorf("verified token sub %q iss %q", idt.Subject, idt.Issuer)
			}
			// The access token has no aud: a generic verifier refuses it,
			// as with real Cognito (spec §12).
			if _, err := verifier.Verify(ctx, res.AccessToken); err == nil || !strings.Contains(err.Error(), "audience") {
				t.Errorf("go-oidc accepted an access token as ID token: %v", err)
			}
		})
	}
}

func TestDevRotateEndpoint(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		ts := startWithPool(t, append(opts, withPublishDelay(10*time.Minute))...)
		before := kidsOf(jwks(t, ts))
		oldID, _, err := ts.Server.Keys.Signer(context.Background(), poolID, keys.UseID)
		must(t, err)

		type rotated struct {
			PoolID string `json:"pool_id"`
			Keys   []struct {
				KID         string    `json:"kid"`
				Use         string    `json:"use"`
				ActivatesAt time.Time `json:"activates_at"`
			} `json:"keys"`
		}
		rotate := func(query string, wantActivation time.Time) rotated {
			t.Helper()
			res := do(t, http.MethodPost, ts.URL+"/_locognito/keys/rotate?"+query)
			if res.status != http.StatusOK {
				t.Fatalf("rotate?%s: %d %s", query, res.status, res.body)
			}
			var out rotated
			must(t, json.Unmarshal(res.body, &out))
			if out.PoolID != poolID || len(out.Keys) != 2 || out.Keys[0].Use != keys.UseID || out.Keys[1].Use != keys.UseAccess {
				t.Fatalf("rotate?%s answered %s", query, res.body)
			}
			for _, k := range out.Keys {
				if !k.ActivatesAt.Equal(wantActivation) {
					t.Errorf("rotate?%s: %s key activates at %s, want %s", query, k.Use, k.ActivatesAt, wantActivation)
				}
			}
			return out
		}

		// Default delay: the configured KeyPublishDelay.
		first := rotate("pool="+poolID, ts.Clock.Now().Add(10*time.Minute))
		after := kidsOf(jwks(t, ts))
		if len(after) != 4 || !slices.Contains(after, first.Keys[0].KID) || !slices.Contains(after, first.Keys[1].KID) || !slices.Contains(after, before[0]) {
			t.Fatalf("JWKS after rotation %v, want the old %v plus the new keys", after, before)
		}
		if kid, _, _ := ts.Server.Keys.Signer(context.Background(), poolID, keys.UseID); kid != oldID {
			t.Errorf("new key signs before its delay: %s", kid)
		}
		// An explicit delay of 0 signs at once.
		second := rotate("pool="+poolID+"&delay=0s", ts.Clock.Now())
		if kid, _, _ := ts.Server.Keys.Signer(context.Background(), poolID, keys.UseID); kid != second.Keys[0].KID {
			t.Errorf("after rotate?delay=0s the ID signer is %s, want %s", kid, second.Keys[0].KID)
		}

		for _, tc := range []struct {
			method, query string
			want          int
		}{
			{http.MethodPost, "", http.StatusBadRequest},
			{http.MethodPost, "pool=" + poolID + "&delay=soon", http.StatusBadRequest},
			{http.MethodPost, "pool=" + poolID + "&delay=-1s", http.StatusBadRequest},
			{http.MethodPost, "pool=us-east-1_NoSuchPoo", http.StatusNotFound},
			{http.MethodGet, "pool=" + poolID, http.StatusMethodNotAllowed},
		} {
			if res := do(t, tc.method, ts.URL+"/_locognito/keys/rotate?"+tc.query); res.status != tc.want {
				t.Errorf("%s rotate?%s: %d %s, want %d", tc.method, tc.query, res.status, res.body, tc.want)
			}
		}
	})
}
