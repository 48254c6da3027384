package hostedui_test

import (
	"context"
	"flag"
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
	"github.com/locognito/locognito/server/oauth/oauthtest"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "also write the login page screenshot to testdata/")

// newChrome starts the test's headless chromium at the screenshot size.
func newChrome(t *testing.T) context.Context {
	t.Helper()
	return browsertest.New(t, 90*time.Second, chromedp.WindowSize(1024, 768))
}

// TestBrowserSignIn drives the real login page in chromium: PKCE authorize,
// a wrong password shown on the page, the right one, the redirect to the
// app with code and state, and the exchange, with both tokens verified
// against the pool's JWKS.
func TestBrowserSignIn(t *testing.T) {
	ctx := newChrome(t)
	f := oauthtest.New(t)
	verifier := oauth2.GenerateVerifier()
	cfg := oauth2.Config{
		ClientID: f.Web.ID, RedirectURL: f.Callback.URL, Scopes: []string{"openid", "email"},
		Endpoint: oauth2.Endpoint{
			AuthURL: f.TS.URL + "/oauth2/authorize", TokenURL: f.TS.URL + "/oauth2/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
	authURL := cfg.AuthCodeURL("browser-state", oauth2.S256ChallengeOption(verifier))

	err := chromedp.Do(ctx,
		chromedp.Navigate(authURL),
		chromedp.WaitVisible(chromedp.CSS(`#signInFormUsername`)),
	)
	if err != nil {
		t.Fatalf("open login page: %v", err)
	}
	loginURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(loginURL, f.TS.URL+"/login?") {
		t.Fatalf("authorize led to %s, want /login", loginURL)
	}
	saveScreenshot(t, ctx, "login-page.png")

	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#signInFormUsername`), oauthtest.Username),
		chromedp.SendKeys(chromedp.CSS(`#signInFormPassword`), "Wr0ng-password!"),
		chromedp.Click(chromedp.CSS(`input[name="signInSubmitButton"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#loginErrorMessage`)),
	)
	if err != nil {
		t.Fatalf("wrong password: %v", err)
	}
	errText, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#loginErrorMessage`)))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(errText) != "Incorrect username or password." {
		t.Fatalf("error shown: %q", errText)
	}
	saveScreenshot(t, ctx, "login-error.png")

	err = chromedp.Do(ctx,
		// The failed attempt kept the username; type only the password.
		chromedp.SendKeys(chromedp.CSS(`#signInFormPassword`), oauthtest.Password),
		chromedp.Click(chromedp.CSS(`input[name="signInSubmitButton"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#done`)),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	final, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	cb, err := url.Parse(final)
	if err != nil {
		t.Fatal(err)
	}
	if got := cb.Scheme + "://" + cb.Host + cb.Path; got != f.Callback.URL {
		t.Fatalf("landed on %s, want the callback %s", final, f.Callback.URL)
	}
	code := codeFrom(t, cb, "browser-state")

	tok, err := cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	keySet := oidc.NewRemoteKeySet(context.Background(), f.Issuer()+"/.well-known/jwks.json")
	idv := oidc.NewVerifier(f.Issuer(), keySet, &oidc.Config{ClientID: f.Web.ID, Now: f.TS.Clock.Now})
	idt, err := idv.Verify(context.Background(), tok.Extra("id_token").(string))
	if err != nil {
		t.Fatalf("ID token: %v", err)
	}
	if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Errorf("at_hash: %v", err)
	}
	at := verifyAccess(t, f, tok.AccessToken)
	if at["sub"] != idt.Subject || at["client_id"] != f.Web.ID {
		t.Errorf("access token claims: %v", at)
	}
}

// saveScreenshot keeps a screenshot of the page with the test's output, and
// in testdata/ when -update-screenshot is given.
func saveScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if len(png) == 0 {
		t.Fatalf("empty screenshot %s", name)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	if *updateScreenshot {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBrowserPages renders the other hosted pages in chromium: sign-up,
// forgot password, and the error page of an unregistered redirect URI.
func TestBrowserPages(t *testing.T) {
	ctx := newChrome(t)
	f := oauthtest.New(t)
	params := f.CodeParams(f.Web, nil)
	for _, tt := range []struct {
		name, url, visible string
	}{
		{"signup-page.png", f.TS.URL + "/signup?" + params.Encode(), `input[name="signUpButton"]`},
		{"forgot-page.png", f.TS.URL + "/forgotPassword?" + params.Encode(), `input[name="reset_my_password"]`},
		{"error-page.png", f.AuthorizeURL(f.CodeParams(f.Web, url.Values{"redirect_uri": {"https://evil.example/cb"}})), `#errorMessage`},
	} {
		err := chromedp.Do(ctx, chromedp.Navigate(tt.url), chromedp.WaitVisible(chromedp.CSS(tt.visible)))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		saveScreenshot(t, ctx, tt.name)
	}
}
