package hostedui_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/locognito/locognito/server/oauth/oauthtest"
)

// tokenResult is a raw /oauth2/token answer.
type tokenResult struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

// postToken POSTs form to /oauth2/token, with HTTP Basic when basic is set.
func postToken(t *testing.T, f *oauthtest.Fixture, form url.Values, basic *oauthtest.Client) tokenResult {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.TS.URL+"/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != nil {
		req.SetBasicAuth(basic.ID, basic.Secret)
	}
	return doToken(t, req)
}

func doToken(t *testing.T, req *http.Request) tokenResult {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("token request: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := tokenResult{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out.Body); err != nil {
			t.Fatalf("token response is not JSON (%d): %s", resp.StatusCode, raw)
		}
	}
	return out
}

// wantOAuthError asserts an RFC 6749 error body in Cognito's shape.
func wantOAuthError(t *testing.T, got tokenResult, status int, code string) {
	t.Helper()
	if got.Status != status || got.Body["error"] != code || len(got.Body) != 1 {
		t.Fatalf("want %d {\"error\":%q}, got %d %s", status, code, got.Status, got.Raw)
	}
	if ct := got.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cc := got.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
}

// signInCode runs the hosted UI for client c and returns the code it got.
func signInCode(t *testing.T, f *oauthtest.Fixture, b *oauthtest.Browser, c oauthtest.Client, extra url.Values) string {
	t.Helper()
	params := f.CodeParams(c, extra)
	cb := b.SignIn(f.TS.URL, f.AuthorizeURL(params), oauthtest.Username, oauthtest.Password)
	return codeFrom(t, cb, params.Get("state"))
}

// codeFrom checks a callback redirect and returns its code.
func codeFrom(t *testing.T, cb *url.URL, state string) string {
	t.Helper()
	q := cb.Query()
	if q.Get("error") != "" || q.Get("code") == "" || q.Get("state") != state {
		t.Fatalf("callback %s: want code and state %q", cb, state)
	}
	return q.Get("code")
}

// exchange redeems code for c's tokens with the verifier (if any).
func exchange(t *testing.T, f *oauthtest.Fixture, c oauthtest.Client, code, verifier string) tokenResult {
	t.Helper()
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {f.Callback.URL}, "client_id": {c.ID},
	}
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	var basic *oauthtest.Client
	if c.Secret != "" {
		basic = &c
	}
	return postToken(t, f, form, basic)
}

// claimsOf decodes a JWT's payload without verifying it (callers verify).
func claimsOf(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWS: %q", jwt)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("decode payload: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("payload: %v", err)
	}
	return m
}

// verifyAccess checks an access token's signature against the pool's JWKS
// and returns its claims.
func verifyAccess(t *testing.T, f *oauthtest.Fixture, token string) map[string]any {
	t.Helper()
	ctx := context.Background()
	ks := oidc.NewRemoteKeySet(ctx, f.Issuer()+"/.well-known/jwks.json")
	payload, err := ks.VerifySignature(ctx, token)
	if err != nil {
		t.Fatalf("access token does not verify against JWKS: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(payload, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// userInfo calls /oauth2/userInfo with a bearer token.
func userInfo(t *testing.T, f *oauthtest.Fixture, method, token string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, f.TS.URL+"/oauth2/userInfo", nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

const invalidTokenHeader = `error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out."`

// wantRevokedAtUserInfo asserts userInfo refuses token as Cognito does.
func wantRevokedAtUserInfo(t *testing.T, f *oauthtest.Fixture, token string) {
	t.Helper()
	status, h, body := userInfo(t, f, http.MethodGet, token)
	if status != http.StatusUnauthorized || h.Get("WWW-Authenticate") != invalidTokenHeader {
		t.Fatalf("userInfo: want 401 with %s, got %d %q %s", invalidTokenHeader, status, h.Get("WWW-Authenticate"), body)
	}
}

// str returns m[k] as a string ("" when absent or not a string).
func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}
