package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/locognito/locognito/internal/browsertest"
	"github.com/locognito/locognito/storage/postgres/pgtest"
)

// newBrowser starts the test's headless chromium (browsertest.New).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.New(t, 2*time.Minute)
}

// appSeed is a pool with one public SPA client whose callback is the test's
// app server.
const appSeed = `
pools:
  - id: eu-west-1_E2eBrowser
    name: e2e
    password_policy: {require_symbols: false}
    clients:
      - id: e2espaclient
        name: spa
        explicit_auth_flows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
        allowed_oauth_flows: [code]
        allowed_oauth_scopes: [openid, email, profile]
        callback_urls: [%s]
        require_pkce: true
    users:
      - username: ivy
        password: Passw0rdIvy
        attributes: {email: ivy@example.com, email_verified: "true"}
`

// TestBrowserSignInSurvivesRestart is the end-to-end story on the real
// program: a browser signs in through the hosted UI with PKCE, the app
// exchanges the code and verifies the ID token through OIDC discovery; then
// locognito restarts on the same Postgres database and port, and the
// browser's session, the signing keys and the refresh token all still work.
func TestBrowserSignInSurvivesRestart(t *testing.T) {
	browser := newBrowser(t)
	dbURL, schema := pgtest.URL(t)
	dbURL = withSearchPath(t, dbURL, schema)
	ctx := context.Background()

	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>app</title><p id="done">signed in</p>`)
	}))
	t.Cleanup(app.Close)
	callback := app.URL + "/callback"
	seedPath := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(seedPath, []byte(fmt.Sprintf(appSeed, callback)), 0o600); err != nil {
		t.Fatal(err)
	}

	r := startProgram(t, "--config", seedPath, "--database-url", dbURL)
	issuer := r.URL + "/eu-west-1_E2eBrowser"
	provider, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		t.Fatalf("OIDC discovery: %v", err)
	}
	cfg := oauth2.Config{
		ClientID: "e2espaclient", RedirectURL: callback, Endpoint: provider.Endpoint(),
		Scopes: []string{oidc.ScopeOpenID, "email"},
	}
	cfg.Endpoint.AuthStyle = oauth2.AuthStyleInParams // a public client
	idVerifier := provider.Verifier(&oidc.Config{ClientID: cfg.ClientID})

	// authorize navigates to the authorize URL, signs in if the login page
	// shows, and returns the code the app received.
	authorize := func(state, verifier string, expectLogin bool) string {
		t.Helper()
		if err := chromedp.Do(browser, chromedp.Navigate(cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)))); err != nil {
			t.Fatalf("navigate: %v", err)
		}
		if expectLogin {
			err := chromedp.Do(browser,
				chromedp.WaitVisible(chromedp.CSS(`#signInFormUsername`)),
				chromedp.SendKeys(chromedp.CSS(`#signInFormUsername`), "ivy"),
				chromedp.SendKeys(chromedp.CSS(`#signInFormPassword`), "Passw0rdIvy"),
				chromedp.Click(chromedp.CSS(`input[name="signInSubmitButton"]`)),
			)
			if err != nil {
				t.Fatalf("sign in: %v", err)
			}
		}
		if err := chromedp.Do(browser, chromedp.WaitVisible(chromedp.CSS(`#done`))); err != nil {
			t.Fatalf("no redirect to the app: %v", err)
		}
		loc, err := chromedp.Run(browser, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(loc)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(loc, callback+"?") || u.Query().Get("state") != state || u.Query().Get("code") == "" {
			t.Fatalf("landed on %s", loc)
		}
		return u.Query().Get("code")
	}

	verifier := oauth2.GenerateVerifier()
	tok, err := cfg.Exchange(ctx, authorize("first", verifier, true), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	first, err := idVerifier.Verify(ctx, rawID)
	if err != nil {
		t.Fatalf("verify ID token: %v", err)
	}
	var claims struct {
		Email    string `json:"email"`
		Username string `json:"cognito:username"`
	}
	if err := first.Claims(&claims); err != nil || claims.Email != "ivy@example.com" || claims.Username != "ivy" {
		t.Errorf("ID token claims %+v (%v)", claims, err)
	}

	// Restart on the same database and address.
	addr := r.Addr.String()
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	r2 := startProgram(t, "--config", seedPath, "--database-url", dbURL, "--addr", addr)
	if r2.URL != r.URL {
		t.Fatalf("restarted on %s, want %s", r2.URL, r.URL)
	}

	// The first run's ID token still verifies: same keys, same issuer.
	if _, err := oidc.NewProvider(ctx, issuer); err != nil {
		t.Fatalf("discovery after restart: %v", err)
	}
	if _, err := provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}).Verify(ctx, rawID); err != nil {
		t.Errorf("first run's ID token after restart: %v", err)
	}
	// The browser's hosted-UI session survived: no login page this time.
	verifier2 := oauth2.GenerateVerifier()
	tok2, err := cfg.Exchange(ctx, authorize("second", verifier2, false), oauth2.VerifierOption(verifier2))
	if err != nil {
		t.Fatalf("exchange after restart: %v", err)
	}
	second, err := idVerifier.Verify(ctx, tok2.Extra("id_token").(string))
	if err != nil {
		t.Fatalf("verify ID token after restart: %v", err)
	}
	if second.Subject != first.Subject {
		t.Errorf("sub changed across the restart: %s → %s", first.Subject, second.Subject)
	}
	// The first run's refresh token still refreshes.
	expired := *tok
	expired.Expiry = time.Now().Add(-time.Minute)
	refreshed, err := cfg.TokenSource(ctx, &expired).Token()
	if err != nil {
		t.Fatalf("refresh with the first run's token: %v", err)
	}
	if refreshed.AccessToken == "" || refreshed.AccessToken == tok.AccessToken {
		t.Errorf("refresh returned no new access token")
	}
}
