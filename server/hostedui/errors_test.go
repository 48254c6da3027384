package hostedui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/locognito/locognito/server/oauth/oauthtest"
	"github.com/locognito/locognito/server/servertest"
)

// TestPKCEFailures: a code bound to a challenge needs its verifier; a wrong
// one does not burn the code for the rightful client, and a missing one is
// refused too.
func TestPKCEFailures(t *testing.T) {
	f := oauthtest.New(t)
	verifier := oauth2.GenerateVerifier()
	challenge := oauth2.S256ChallengeFromVerifier(verifier)
	code := signInCode(t, f, oauthtest.NewBrowser(t), f.Web, url.Values{
		"code_challenge": {challenge}, "code_challenge_method": {"S256"},
	})

	wantOAuthError(t, exchange(t, f, f.Web, code, oauth2.GenerateVerifier()), http.StatusBadRequest, "invalid_grant")
	wantOAuthError(t, exchange(t, f, f.Web, code, ""), http.StatusBadRequest, "invalid_grant")
	wantOAuthError(t, exchange(t, f, f.Web, code, "short"), http.StatusBadRequest, "invalid_grant")

	if got := exchange(t, f, f.Web, code, verifier); got.Status != http.StatusOK {
		t.Fatalf("right verifier after wrong ones: %d %s", got.Status, got.Raw)
	}
}

// TestAuthorizeErrorsRedirect: errors about a known client and a registered
// redirect URI go back to the client with error and state (spec §10.1).
func TestAuthorizeErrorsRedirect(t *testing.T) {
	f := oauthtest.New(t)
	challenge := oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())
	tests := []struct {
		name      string
		client    oauthtest.Client
		params    url.Values
		wantError string
	}{
		{"scope the client may not have", f.Web, url.Values{"scope": {"openid notes/write"}}, "invalid_scope"},
		{"unknown scope", f.Web, url.Values{"scope": {"openid admin"}}, "invalid_scope"},
		{"email without openid", f.Web, url.Values{"scope": {"email"}}, "invalid_scope"},
		{"plain PKCE", f.Web, url.Values{"code_challenge": {challenge}, "code_challenge_method": {"plain"}}, "invalid_request"},
		{"challenge without method", f.Web, url.Values{"code_challenge": {challenge}}, "invalid_request"},
		{"method without challenge", f.Web, url.Values{"code_challenge_method": {"S256"}}, "invalid_request"},
		{"malformed challenge", f.Web, url.Values{"code_challenge": {"abc"}, "code_challenge_method": {"S256"}}, "invalid_request"},
		{"unknown response_type", f.Web, url.Values{"response_type": {"id_token"}}, "invalid_request"},
		{"implicit not allowed", f.Web, url.Values{"response_type": {"token"}}, "unauthorized_client"},
		{"other identity provider", f.Web, url.Values{"identity_provider": {"Google"}}, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := f.CodeParams(tt.client, tt.params)
			p := oauthtest.NewBrowser(t).Get(f.AuthorizeURL(params))
			if p.Status != http.StatusFound {
				t.Fatalf("want 302, got %d\n%s", p.Status, p.Body)
			}
			u, err := url.Parse(p.Location)
			if err != nil {
				t.Fatal(err)
			}
			v := u.Query()
			if params.Get("response_type") == "token" {
				v, _ = url.ParseQuery(u.Fragment)
			}
			if !strings.HasPrefix(p.Location, f.Callback.URL) || v.Get("error") != tt.wantError || v.Get("state") != params.Get("state") {
				t.Fatalf("Location = %s, want %s with error=%s and the state", p.Location, f.Callback.URL, tt.wantError)
			}
		})
	}
}

// TestAuthorizeNeverRedirectsUnverified: an unknown client or a redirect URI
// the client did not register gets an error page and no redirect at all.
func TestAuthorizeNeverRedirectsUnverified(t *testing.T) {
	f := oauthtest.New(t)
	tests := []struct {
		name     string
		params   url.Values
		wantCode string
	}{
		{"unregistered redirect_uri", f.CodeParams(f.Web, url.Values{"redirect_uri": {"https://evil.example/cb"}}), "redirect_mismatch"},
		{"redirect_uri differing in one byte", f.CodeParams(f.Web, url.Values{"redirect_uri": {f.Callback.URL + "/"}}), "redirect_mismatch"},
		{"another client's redirect_uri", f.CodeParams(f.Web, url.Values{"redirect_uri": {f.OtherCallback}}), "redirect_mismatch"},
		{"missing redirect_uri", f.CodeParams(f.Web, url.Values{"redirect_uri": {""}}), "redirect_mismatch"},
		{"unknown client", f.CodeParams(oauthtest.Client{ID: "0000000000000000000000000a"}, nil), "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/oauth2/authorize?", "/login?"} {
				p := oauthtest.NewBrowser(t).Get(f.TS.URL + path + tt.params.Encode())
				if p.Status != http.StatusBadRequest || p.Location != "" {
					t.Fatalf("%s: want 400 without Location, got %d Location %q", path, p.Status, p.Location)
				}
				if !strings.Contains(p.Body, "<code>"+tt.wantCode+"</code>") || !strings.Contains(p.Header.Get("Content-Type"), "text/html") {
					t.Fatalf("%s: error page without %s:\n%s", path, tt.wantCode, p.Body)
				}
			}
		})
	}
}

// TestCodeReuseAndRevocation: a code works once; replaying it fails and
// revokes the tokens the first redemption minted (RFC 6749 §4.1.2). Also
// refresh after /oauth2/revoke, and userInfo with an access token of a
// revoked refresh token.
func TestCodeReuseAndRevocation(t *testing.T) {
	oauthtest.Backends(t, func(t *testing.T, opts ...servertest.Option) {
		f := oauthtest.New(t, opts...)
		code := signInCode(t, f, oauthtest.NewBrowser(t), f.Web, nil)
		first := exchange(t, f, f.Web, code, "")
		if first.Status != http.StatusOK {
			t.Fatalf("first redemption: %d %s", first.Status, first.Raw)
		}
		wantOAuthError(t, exchange(t, f, f.Web, code, ""), http.StatusBadRequest, "invalid_grant")
		wantRevokedAtUserInfo(t, f, str(first.Body, "access_token"))

		// A fresh sign-in, then revoke its refresh token.
		code = signInCode(t, f, oauthtest.NewBrowser(t), f.Web, nil)
		tok := exchange(t, f, f.Web, code, "")
		access, refresh := str(tok.Body, "access_token"), str(tok.Body, "refresh_token")
		if status, _, body := userInfo(t, f, http.MethodGet, access); status != http.StatusOK {
			t.Fatalf("userInfo before revoke: %d %s", status, body)
		}
		rv := postRevoke(t, f, url.Values{"token": {refresh}, "client_id": {f.Web.ID}}, nil)
		if rv.Status != http.StatusOK || rv.Raw != "" {
			t.Fatalf("revoke: want 200 with an empty body, got %d %q", rv.Status, rv.Raw)
		}
		wantOAuthError(t, postToken(t, f, url.Values{
			"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {f.Web.ID},
		}, nil), http.StatusBadRequest, "invalid_grant")
		wantRevokedAtUserInfo(t, f, access)
		// Revoking again, or an unknown token, is still 200.
		if rv := postRevoke(t, f, url.Values{"token": {refresh}, "client_id": {f.Web.ID}}, nil); rv.Status != http.StatusOK {
			t.Fatalf("second revoke: %d %s", rv.Status, rv.Raw)
		}
	})
}

// TestConcurrentCodeRedemption: of many simultaneous redemptions of one
// code exactly one succeeds.
func TestConcurrentCodeRedemption(t *testing.T) {
	oauthtest.Backends(t, func(t *testing.T, opts ...servertest.Option) {
		f := oauthtest.New(t, opts...)
		code := signInCode(t, f, oauthtest.NewBrowser(t), f.Web, nil)
		const n = 8
		results := make(chan tokenResult, n)
		for range n {
			go func() { results <- exchange(t, f, f.Web, code, "") }()
		}
		ok := 0
		for range n {
			r := <-results
			switch {
			case r.Status == http.StatusOK:
				ok++
			case r.Status != http.StatusBadRequest || r.Body["error"] != "invalid_grant":
				t.Errorf("loser: %d %s", r.Status, r.Raw)
			}
		}
		if ok != 1 {
			t.Fatalf("%d redemptions succeeded, want exactly 1", ok)
		}
	})
}

// TestCodeOfDisabledUser: a user disabled between sign-in and redemption
// gets no tokens.
func TestCodeOfDisabledUser(t *testing.T) {
	f := oauthtest.New(t)
	code := signInCode(t, f, oauthtest.NewBrowser(t), f.Web, nil)
	_, err := f.TS.Client.AdminDisableUser(context.Background(), &cip.AdminDisableUserInput{
		UserPoolId: aws.String(f.PoolID), Username: aws.String(oauthtest.Username),
	})
	if err != nil {
		t.Fatal(err)
	}
	wantOAuthError(t, exchange(t, f, f.Web, code, ""), http.StatusBadRequest, "invalid_grant")
}

// TestExpiredCode: codes live five minutes of the server's clock.
func TestExpiredCode(t *testing.T) {
	f := oauthtest.New(t)
	b := oauthtest.NewBrowser(t)
	code := signInCode(t, f, b, f.Web, nil)
	f.TS.Clock.Advance(5*time.Minute + time.Second)
	wantOAuthError(t, exchange(t, f, f.Web, code, ""), http.StatusBadRequest, "invalid_grant")

	// Just inside the five minutes still works.
	code = signInCode(t, f, oauthtest.NewBrowser(t), f.Web, nil)
	f.TS.Clock.Advance(4*time.Minute + 59*time.Second)
	if got := exchange(t, f, f.Web, code, ""); got.Status != http.StatusOK {
		t.Fatalf("code at 4m59s: %d %s", got.Status, got.Raw)
	}
}

// TestTokenEndpointErrors covers client authentication and request shape.
func TestTokenEndpointErrors(t *testing.T) {
	f := oauthtest.New(t)
	code := signInCode(t, f, oauthtest.NewBrowser(t), f.Server, nil)
	codeForm := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {f.Callback.URL}}
	wrongSecret := oauthtest.Client{ID: f.Server.ID, Secret: f.Server.Secret + "x"}
	unknown := oauthtest.Client{ID: "0000000000000000000000000a", Secret: "whatever"}
	with := func(v url.Values, kv ...string) url.Values {
		out := url.Values{}
		for k, x := range v {
			out[k] = x
		}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}

	tests := []struct {
		name       string
		form       url.Values
		basic      *oauthtest.Client
		wantStatus int
		wantError  string
		wantBasic  bool // WWW-Authenticate: Basic
	}{
		{"wrong client secret (Basic)", codeForm, &wrongSecret, 401, "invalid_client", true},
		{"wrong client secret (body)", with(codeForm, "client_id", f.Server.ID, "client_secret", "nope"), nil, 401, "invalid_client", false},
		{"missing client secret", with(codeForm, "client_id", f.Server.ID), nil, 401, "invalid_client", false},
		{"unknown client", codeForm, &unknown, 401, "invalid_client", true},
		{"body client_id contradicts Basic", with(codeForm, "client_id", f.Web.ID), &f.Server, 401, "invalid_client", true},
		{"no client at all", codeForm, nil, 400, "invalid_request", false},
		{"grant the client may not use", url.Values{"grant_type": {"client_credentials"}}, &f.Server, 400, "unauthorized_client", false},
		{"code grant for a machine client", with(codeForm), &f.Machine, 400, "unauthorized_client", false},
		{"public client asking client_credentials", url.Values{"grant_type": {"client_credentials"}, "client_id": {f.Web.ID}}, nil, 400, "unauthorized_client", false},
		{"scope the machine may not have", url.Values{"grant_type": {"client_credentials"}, "scope": {"notes/delete"}}, &f.Machine, 400, "invalid_scope", false},
		{"reserved scope for client_credentials", url.Values{"grant_type": {"client_credentials"}, "scope": {"openid"}}, &f.Machine, 400, "invalid_scope", false},
		{"unsupported grant", url.Values{"grant_type": {"password"}, "username": {"jane"}}, &f.Server, 400, "unsupported_grant_type", false},
		{"missing grant_type", url.Values{"code": {code}}, &f.Server, 400, "invalid_request", false},
		{"unknown code", with(codeForm, "code", "8d7f0e0c-5f6a-4c43-9a0b-123456789abc"), &f.Server, 400, "invalid_grant", false},
		{"redirect_uri not the authorize one", with(codeForm, "redirect_uri", f.OtherCallback), &f.Server, 400, "invalid_grant", false},
		{"code of another client", with(codeForm, "client_id", f.Web.ID), nil, 400, "invalid_grant", false},
		{"unknown refresh token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"nope"}}, &f.Server, 400, "invalid_grant", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := postToken(t, f, tt.form, tt.basic)
			wantOAuthError(t, got, tt.wantStatus, tt.wantError)
			if h := got.Header.Get("WWW-Authenticate"); tt.wantBasic != strings.HasPrefix(h, "Basic") {
				t.Errorf("WWW-Authenticate = %q", h)
			}
		})
	}

	// The code survived all of that and still works once.
	if got := postToken(t, f, codeForm, &f.Server); got.Status != http.StatusOK {
		t.Fatalf("redeem after failures: %d %s", got.Status, got.Raw)
	}

	t.Run("repeated parameter", func(t *testing.T) {
		form := "grant_type=client_credentials&grant_type=client_credentials"
		req, _ := http.NewRequest(http.MethodPost, f.TS.URL+"/oauth2/token", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(f.Machine.ID, f.Machine.Secret)
		wantOAuthError(t, doToken(t, req), 400, "invalid_request")
	})
	t.Run("JSON body", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, f.TS.URL+"/oauth2/token", strings.NewReader(`{"grant_type":"client_credentials"}`))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth(f.Machine.ID, f.Machine.Secret)
		wantOAuthError(t, doToken(t, req), 400, "invalid_request")
	})
	t.Run("GET", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, f.TS.URL+"/oauth2/token?grant_type=client_credentials", nil)
		wantOAuthError(t, doToken(t, req), 400, "invalid_request")
	})
}

// TestClientCredentials uses x/oauth2/clientcredentials as a machine client
// would: the access token carries the custom scopes and the client as sub.
func TestClientCredentials(t *testing.T) {
	f := oauthtest.New(t)
	ctx := context.Background()
	for _, tt := range []struct {
		scopes    []string
		wantScope []string
		style     oauth2.AuthStyle
	}{
		{[]string{"notes/read"}, []string{"notes/read"}, oauth2.AuthStyleInHeader},
		{nil, []string{"notes/read", "notes/write"}, oauth2.AuthStyleInParams},
	} {
		cfg := clientcredentials.Config{
			ClientID: f.Machine.ID, ClientSecret: f.Machine.Secret, TokenURL: f.TS.URL + "/oauth2/token",
			Scopes: tt.scopes, AuthStyle: tt.style,
		}
		tok, err := cfg.Token(ctx)
		if err != nil {
			t.Fatalf("scopes %v: %v", tt.scopes, err)
		}
		if tok.RefreshToken != "" || tok.Extra("id_token") != nil || tok.TokenType != "Bearer" || tok.Extra("expires_in") != float64(3600) {
			t.Errorf("token: type %q, refresh %t, id_token %t, expires_in %v",
				tok.TokenType, tok.RefreshToken != "", tok.Extra("id_token") != nil, tok.Extra("expires_in"))
		}
		at := verifyAccess(t, f, tok.AccessToken)
		if at["sub"] != f.Machine.ID || at["client_id"] != f.Machine.ID || at["token_use"] != "access" ||
			at["version"] != float64(2) || at["username"] != nil || at["aud"] != nil {
			t.Errorf("claims: %v", at)
		}
		if got := strings.Fields(str(at, "scope")); !sameSet(got, tt.wantScope) {
			t.Errorf("scope = %v, want %v", got, tt.wantScope)
		}
	}
	// A machine token is not a user's: userInfo refuses it.
	tok, err := (&clientcredentials.Config{ClientID: f.Machine.ID, ClientSecret: f.Machine.Secret, TokenURL: f.TS.URL + "/oauth2/token"}).Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantRevokedAtUserInfo(t, f, tok.AccessToken)
}

// TestRevokeErrors: /oauth2/revoke's refusals (spec §10.4).
func TestRevokeErrors(t *testing.T) {
	f := oauthtest.New(t)
	code := signInCode(t, f, oauthtest.NewBrowser(t), f.Web, nil)
	tok := exchange(t, f, f.Web, code, "")
	refresh, access := str(tok.Body, "refresh_token"), str(tok.Body, "access_token")
	wrong := oauthtest.Client{ID: f.Server.ID, Secret: "nope"}
	tests := []struct {
		name       string
		form       url.Values
		basic      *oauthtest.Client
		wantStatus int
		wantError  string
	}{
		{"no token", url.Values{"client_id": {f.Web.ID}}, nil, 400, "invalid_request"},
		{"access token", url.Values{"token": {access}, "client_id": {f.Web.ID}}, nil, 400, "unsupported_token_type"},
		{"wrong secret", url.Values{"token": {refresh}}, &wrong, 401, "invalid_client"},
		{"unknown client", url.Values{"token": {refresh}, "client_id": {"0000000000000000000000000a"}}, nil, 401, "invalid_client"},
		{"another client's token", url.Values{"token": {refresh}}, &f.Server, 401, "invalid_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantOAuthError(t, postRevoke(t, f, tt.form, tt.basic), tt.wantStatus, tt.wantError)
		})
	}
	// None of that revoked anything.
	if status, _, body := userInfo(t, f, http.MethodPost, access); status != http.StatusOK {
		t.Fatalf("userInfo after failed revokes: %d %s", status, body)
	}
}

// TestUserInfoErrors: Cognito's 400 and 401 answers with WWW-Authenticate.
func TestUserInfoErrors(t *testing.T) {
	f := oauthtest.New(t)
	status, h, _ := userInfo(t, f, http.MethodGet, "")
	if status != http.StatusBadRequest || h.Get("WWW-Authenticate") != `error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"` {
		t.Errorf("no token: %d %q", status, h.Get("WWW-Authenticate"))
	}
	code := signInCode(t, f, oauthtest.NewBrowser(t), f.Web, nil)
	tok := exchange(t, f, f.Web, code, "")
	wantRevokedAtUserInfo(t, f, "eyJraWQiOiJ4In0.e30.x")
	wantRevokedAtUserInfo(t, f, str(tok.Body, "id_token"))
	wantRevokedAtUserInfo(t, f, str(tok.Body, "refresh_token"))
	f.TS.Clock.Advance(time.Hour + time.Second)
	wantRevokedAtUserInfo(t, f, str(tok.Body, "access_token"))
}

// postRevoke POSTs form to /oauth2/revoke.
func postRevoke(t *testing.T, f *oauthtest.Fixture, form url.Values, basic *oauthtest.Client) tokenResult {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.TS.URL+"/oauth2/revoke", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != nil {
		req.SetBasicAuth(basic.ID, basic.Secret)
	}
	return doToken(t, req)
}
