package hostedui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/locognito/locognito/server/oauth/oauthtest"
	"github.com/locognito/locognito/storage"
)

// lastCode returns the newest outbox code of a kind for the user.
func lastCode(t *testing.T, f *oauthtest.Fixture, username, kind string) string {
	t.Helper()
	msgs, err := f.TS.Server.Pools.Messages(context.Background(), f.PoolID, username)
	if err != nil {
		t.Fatal(err)
	}
	var found *storage.Message
	for i := range msgs {
		if msgs[i].Kind == kind {
			found = &msgs[i]
		}
	}
	if found == nil {
		t.Fatalf("no %s message for %s in %v", kind, username, msgs)
	}
	return found.Code
}

// pageError extracts the text of the page's error box.
func pageError(p oauthtest.Page) string {
	i := strings.Index(p.Body, `class="errorMessage"`)
	if i < 0 {
		return ""
	}
	rest := p.Body[i:]
	rest = rest[strings.Index(rest, ">")+1:]
	return rest[:strings.Index(rest, "<")]
}

// TestSignUpConfirmSignIn: the hosted sign-up and confirmation pages, with
// the code from the outbox, then sign-in on the form the confirmation shows.
func TestSignUpConfirmSignIn(t *testing.T) {
	f := oauthtest.New(t)
	b := oauthtest.NewBrowser(t)
	params := f.CodeParams(f.Web, nil)
	loginURL, login := b.OpenLogin(f.TS.URL, f.AuthorizeURL(params))
	if !strings.Contains(login.Body, `href="/signup?`) {
		t.Fatal("the login page has no sign-up link")
	}
	signupURL := f.TS.URL + "/signup?" + params.Encode()
	page := b.Get(signupURL)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `name="email"`) {
		t.Fatalf("sign-up page: %d", page.Status)
	}
	form := url.Values{"_csrf": {page.CSRF(t)}, "username": {"sam"}, "email": {"sam@example.com"}, "password": {"short"}}
	p := b.Post(signupURL, form)
	if p.Status != http.StatusOK || pageError(p) != "Password did not conform with policy: Password not long enough" {
		t.Fatalf("weak password: %d %q", p.Status, pageError(p))
	}
	form.Set("password", "Passw0rd!")
	p = b.Post(signupURL, form)
	if p.Status != http.StatusFound || !strings.HasPrefix(p.Location, "/confirmUser?") {
		t.Fatalf("sign-up: %d %q\n%s", p.Status, p.Location, p.Body)
	}
	confirmURL := f.TS.URL + p.Location
	confirm := b.Get(confirmURL)
	if !strings.Contains(confirm.Body, `value="sam"`) {
		t.Errorf("confirm page does not carry the username")
	}
	p = b.Post(confirmURL, url.Values{"_csrf": {confirm.CSRF(t)}, "username": {"sam"}, "code": {"000000"}})
	if p.Status != http.StatusOK || pageError(p) != "Invalid verification code provided, please try again." {
		t.Fatalf("wrong code: %d %q", p.Status, pageError(p))
	}
	// Signing up again with the same name is refused.
	if p := b.Post(signupURL, form); pageError(p) != "User already exists" {
		t.Fatalf("duplicate sign-up: %q", pageError(p))
	}

	code := lastCode(t, f, "sam", "confirmation_code")
	p = b.Post(confirmURL, url.Values{"_csrf": {confirm.CSRF(t)}, "username": {"sam"}, "code": {code}})
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Your account is confirmed.") || !strings.Contains(p.Body, "signInSubmitButton") {
		t.Fatalf("confirm: %d\n%s", p.Status, p.Body)
	}
	p = submitLogin(t, b, loginURL, p.CSRF(t), "sam", "Passw0rd!")
	if p.Status != http.StatusFound {
		t.Fatalf("sign in after sign-up: %d %q", p.Status, loginErrorOf(p))
	}
	codeFrom(t, b.Follow(f.TS.URL, p.Location), params.Get("state"))
}

// TestForgotPassword: reset through the hosted pages with the outbox code;
// the new password signs in, the old one no longer does.
func TestForgotPassword(t *testing.T) {
	f := oauthtest.New(t)
	b := oauthtest.NewBrowser(t)
	params := f.CodeParams(f.Web, nil)
	forgotURL := f.TS.URL + "/forgotPassword?" + params.Encode()
	page := b.Get(forgotURL)
	p := b.Post(forgotURL, url.Values{"_csrf": {page.CSRF(t)}, "username": {"nobody"}})
	if p.Status != http.StatusOK || pageError(p) != "Username/client id combination not found." {
		t.Fatalf("unknown user: %d %q", p.Status, pageError(p))
	}
	p = b.Post(forgotURL, url.Values{"_csrf": {page.CSRF(t)}, "username": {oauthtest.Username}})
	if p.Status != http.StatusFound || !strings.HasPrefix(p.Location, "/confirmForgotPassword?") {
		t.Fatalf("forgot: %d %q", p.Status, p.Location)
	}
	resetURL := f.TS.URL + p.Location
	reset := b.Get(resetURL)
	code := lastCode(t, f, oauthtest.Username, "reset_code")
	form := url.Values{
		"_csrf": {reset.CSRF(t)}, "username": {oauthtest.Username}, "code": {code},
		"password": {"N3w-Passw0rd!"}, "confirmPassword": {"different"},
	}
	if p := b.Post(resetURL, form); pageError(p) != "Passwords do not match." {
		t.Fatalf("mismatch: %q", pageError(p))
	}
	form.Set("confirmPassword", "N3w-Passw0rd!")
	p = b.Post(resetURL, form)
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Your password has been changed.") {
		t.Fatalf("reset: %d %q", p.Status, pageError(p))
	}

	loginURL, login := b.OpenLogin(f.TS.URL, f.AuthorizeURL(params))
	if p := submitLogin(t, b, loginURL, login.CSRF(t), oauthtest.Username, oauthtest.Password); loginErrorOf(p) != "Incorrect username or password." {
		t.Fatalf("old password: %d %q", p.Status, loginErrorOf(p))
	}
	if p := submitLogin(t, b, loginURL, login.CSRF(t), oauthtest.Username, "N3w-Passw0rd!"); p.Status != http.StatusFound {
		t.Fatalf("new password: %d %q", p.Status, loginErrorOf(p))
	}
}

// TestPagesNeedCSRF: every form of the hosted UI checks the token.
func TestPagesNeedCSRF(t *testing.T) {
	f := oauthtest.New(t)
	params := f.CodeParams(f.Web, nil).Encode()
	for _, path := range []string{"/login", "/signup", "/confirmUser", "/forgotPassword", "/confirmForgotPassword"} {
		p := oauthtest.NewBrowser(t).Post(f.TS.URL+path+"?"+params, url.Values{"username": {oauthtest.Username}})
		if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "<code>invalid_csrf</code>") {
			t.Errorf("%s without CSRF: %d", path, p.Status)
		}
	}
}
