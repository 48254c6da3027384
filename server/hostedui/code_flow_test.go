package hostedui_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/locognito/locognito/server/oauth/oauthtest"
	"github.com/locognito/locognito/server/servertest"
)

// TestCodeFlowWithPKCE runs what a Go web app does with x/oauth2 and
// go-oidc: discovery, authorize with PKCE and a nonce, sign in on the hosted
// UI, exchange the code, verify the ID token (client id as audience, nonce,
// at_hash), read userInfo, refresh.
func TestCodeFlowWithPKCE(t *testing.T) {
	oauthtest.Backends(t, func(t *testing.T, opts ...servertest.Option) {
		f := oauthtest.New(t, opts...)
		ctx := context.Background()

		provider, err := oidc.NewProvider(ctx, f.Issuer())
		if err != nil {
			t.Fatalf("discovery: %v", err)
		}
		endpoint := provider.Endpoint()
		endpoint.AuthStyle = oauth2.AuthStyleInParams
		cfg := oauth2.Config{
			ClientID: f.Web.ID, Endpoint: endpoint, RedirectURL: f.Callback.URL,
			Scopes: []string{oidc.ScopeOpenID, "email", "profile"},
		}
		verifier := oauth2.GenerateVerifier()
		authURL := cfg.AuthCodeURL("state-123", oauth2.S256ChallengeOption(verifier), oidc.Nonce("nonce-456"))
		if !strings.HasPrefix(authURL, f.TS.URL+"/oauth2/authorize?") {
			t.Fatalf("discovery authorization_endpoint gave %s", authURL)
		}

		cb := oauthtest.NewBrowser(t).SignIn(f.TS.URL, authURL, oauthtest.Username, oauthtest.Password)
		if got := cb.Scheme + "://" + cb.Host + cb.Path; got != f.Callback.URL {
			t.Fatalf("redirected to %s, want %s", got, f.Callback.URL)
		}
		code := codeFrom(t, cb, "state-123")

		tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatalf("exchange: %v", err)
		}
		if tok.TokenType != "Bearer" || tok.RefreshToken == "" || tok.ExpiresIn != 3600 {
			t.Errorf("token: type %q, refresh %t, expires_in %d; want Bearer, a refresh token, 3600",
				tok.TokenType, tok.RefreshToken != "", tok.ExpiresIn)
		}
		rawID, _ := tok.Extra("id_token").(string)
		idv := provider.Verifier(&oidc.Config{ClientID: f.Web.ID, Now: f.TS.Clock.Now})
		idt, err := idv.Verify(ctx, rawID)
		if err != nil {
			t.Fatalf("ID token: %v", err)
		}
		if idt.Nonce != "nonce-456" {
			t.Errorf("nonce = %q", idt.Nonce)
		}
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			t.Errorf("at_hash: %v", err)
		}
		var idClaims map[string]any
		if err := idt.Claims(&idClaims); err != nil {
			t.Fatal(err)
		}
		if idClaims["aud"] != f.Web.ID || idClaims["token_use"] != "id" || idClaims["cognito:username"] != oauthtest.Username ||
			idClaims["email"] != oauthtest.Email || idClaims["email_verified"] != true {
			t.Errorf("ID token claims: %v", idClaims)
		}

		at := verifyAccess(t, f, tok.AccessToken)
		if _, ok := at["aud"]; ok {
			t.Errorf("access token has aud: %v", at)
		}
		if _, ok := at["scp"]; ok {
			t.Errorf("access token has fosite's scp: %v", at)
		}
		if at["token_use"] != "access" || at["client_id"] != f.Web.ID || at["version"] != float64(2) ||
			at["username"] != oauthtest.Username || at["iss"] != f.Issuer() {
			t.Errorf("access token claims: %v", at)
		}
		if got := strings.Fields(str(at, "scope")); !sameSet(got, []string{"openid", "email", "profile"}) {
			t.Errorf("scope = %q, want openid email profile", at["scope"])
		}

		ui, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			t.Fatalf("userInfo: %v", err)
		}
		var uiClaims map[string]any
		if err := ui.Claims(&uiClaims); err != nil {
			t.Fatal(err)
		}
		if uiClaims["sub"] != idt.Subject || uiClaims["email"] != oauthtest.Email ||
			uiClaims["email_verified"] != "true" || uiClaims["username"] != oauthtest.Username {
			t.Errorf("userInfo = %v", uiClaims)
		}

		// Refresh: new ID and access tokens, and no new refresh token (the
		// client does not rotate), so x/oauth2 keeps the old one.
		f.TS.Clock.Advance(10 * time.Minute)
		raw := postToken(t, f, url.Values{
			"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "client_id": {f.Web.ID},
		}, nil)
		if raw.Status != http.StatusOK || raw.Body["refresh_token"] != nil || str(raw.Body, "id_token") == "" ||
			str(raw.Body, "access_token") == "" || raw.Body["expires_in"] != float64(3600) || raw.Body["token_type"] != "Bearer" {
			t.Fatalf("refresh: %d %s", raw.Status, raw.Raw)
		}
		expired := *tok
		expired.Expiry = time.Now().Add(-time.Minute)
		next, err := cfg.TokenSource(ctx, &expired).Token()
		if err != nil {
			t.Fatalf("x/oauth2 refresh: %v", err)
		}
		if next.RefreshToken != tok.RefreshToken || next.AccessToken == tok.AccessToken {
			t.Errorf("refresh via x/oauth2: same refresh token %t, new access token %t",
				next.RefreshToken == tok.RefreshToken, next.AccessToken != tok.AccessToken)
		}
		refreshedID, err := idv.Verify(ctx, next.Extra("id_token").(string))
		if err != nil {
			t.Fatalf("refreshed ID token: %v", err)
		}
		var refreshedClaims map[string]any
		if err := refreshedID.Claims(&refreshedClaims); err != nil {
			t.Fatal(err)
		}
		if refreshedClaims["auth_time"] != idClaims["auth_time"] || refreshedID.Subject != idt.Subject {
			t.Errorf("refresh changed auth_time %v → %v", idClaims["auth_time"], refreshedClaims["auth_time"])
		}
	})
}

// TestCodeFlowConfidentialClient exchanges a code with HTTP Basic and with
// client_secret in the body, without PKCE.
func TestCodeFlowConfidentialClient(t *testing.T) {
	f := oauthtest.New(t)
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		b := oauthtest.NewBrowser(t)
		code := signInCode(t, f, b, f.Server, url.Values{"scope": {"openid email"}})
		cfg := oauth2.Config{
			ClientID: f.Server.ID, ClientSecret: f.Server.Secret, RedirectURL: f.Callback.URL,
			Endpoint: oauth2.Endpoint{TokenURL: f.TS.URL + "/oauth2/token", AuthStyle: style},
		}
		tok, err := cfg.Exchange(context.Background(), code)
		if err != nil {
			t.Fatalf("auth style %d: %v", style, err)
		}
		if tok.Extra("id_token") == nil || tok.RefreshToken == "" {
			t.Errorf("auth style %d: tokens incomplete", style)
		}
		if at := verifyAccess(t, f, tok.AccessToken); str(at, "client_id") != f.Server.ID {
			t.Errorf("client_id = %v", at["client_id"])
		}
	}
}

// TestCodeWithoutOpenIDHasNoIDToken: the ID token comes only with openid.
func TestCodeWithoutOpenIDHasNoIDToken(t *testing.T) {
	f := oauthtest.New(t)
	code := signInCode(t, f, oauthtest.NewBrowser(t), f.Web, url.Values{"scope": {"notes/read aws.cognito.signin.user.admin"}})
	got := exchange(t, f, f.Web, code, "")
	if got.Status != http.StatusOK || got.Body["id_token"] != nil || str(got.Body, "refresh_token") == "" {
		t.Fatalf("want access + refresh only, got %d %s", got.Status, got.Raw)
	}
	at := verifyAccess(t, f, str(got.Body, "access_token"))
	if !sameSet(strings.Fields(str(at, "scope")), []string{"notes/read", "aws.cognito.signin.user.admin"}) {
		t.Errorf("scope = %q", at["scope"])
	}
	// userInfo needs openid.
	wantRevokedAtUserInfo(t, f, str(got.Body, "access_token"))
}

// TestImplicitFlow: response_type=token answers in the fragment with the
// access and ID tokens and no refresh token.
func TestImplicitFlow(t *testing.T) {
	f := oauthtest.New(t)
	params := url.Values{
		"response_type": {"token"}, "client_id": {f.Other.ID}, "redirect_uri": {f.OtherCallback},
		"state": {"imp"}, "scope": {"openid email"}, "nonce": {"n-1"},
	}
	cb := oauthtest.NewBrowser(t).SignIn(f.TS.URL, f.AuthorizeURL(params), oauthtest.Username, oauthtest.Password)
	if cb.RawQuery != "" {
		t.Fatalf("implicit answer in the query: %s", cb)
	}
	frag, err := url.ParseQuery(cb.Fragment)
	if err != nil {
		t.Fatal(err)
	}
	if frag.Get("token_type") != "Bearer" || frag.Get("expires_in") != "3600" || frag.Get("state") != "imp" ||
		frag.Get("refresh_token") != "" || frag.Get("id_token") == "" || frag.Get("access_token") == "" {
		t.Fatalf("fragment = %v", frag)
	}
	id := claimsOf(t, frag.Get("id_token"))
	if id["nonce"] != "n-1" || id["aud"] != f.Other.ID {
		t.Errorf("ID token: %v", id)
	}
	verifyAccess(t, f, frag.Get("access_token"))
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestRefreshRotation: only a client with rotation gets a new refresh token
// from the refresh grant; the old one then stops working.
func TestRefreshRotation(t *testing.T) {
	f := oauthtest.New(t)
	c := f.CreateClient(t, "rotating", false, []types.OAuthFlowType{types.OAuthFlowTypeCode},
		[]string{"openid"}, []string{f.Callback.URL}, func(in *cip.CreateUserPoolClientInput) {
			in.RefreshTokenRotation = &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled}
		})
	code := signInCode(t, f, oauthtest.NewBrowser(t), c, nil)
	first := str(exchange(t, f, c, code, "").Body, "refresh_token")
	refresh := func(token string) tokenResult {
		return postToken(t, f, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token}, "client_id": {c.ID}}, nil)
	}
	got := refresh(first)
	second := str(got.Body, "refresh_token")
	if got.Status != http.StatusOK || second == "" || second == first || str(got.Body, "id_token") == "" {
		t.Fatalf("rotating refresh: %d %s", got.Status, got.Raw)
	}
	f.TS.Clock.Advance(time.Second)
	wantOAuthError(t, refresh(first), http.StatusBadRequest, "invalid_grant")
	if got := refresh(second); got.Status != http.StatusOK {
		t.Fatalf("rotated token: %d %s", got.Status, got.Raw)
	}
}
