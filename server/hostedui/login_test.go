package hostedui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/oauth/oauthtest"
)

var loginError = regexp.MustCompile(`id="loginErrorMessage"[^>]*>([^<]*)<`)

// loginErrorOf returns the text of #loginErrorMessage, or "".
func loginErrorOf(p oauthtest.Page) string {
	m := loginError.FindStringSubmatch(p.Body)
	if m == nil {
		return ""
	}
	return m[1]
}

// setsSession reports whether a response sets the session cookie.
func setsSession(p oauthtest.Page) bool {
	for _, c := range (&http.Response{Header: p.Header}).Cookies() {
		if c.Name == "cognito" && c.Value != "" {
			return true
		}
	}
	return false
}

// submitLogin posts credentials on the login page at loginURL.
func submitLogin(t *testing.T, b *oauthtest.Browser, loginURL, csrf, username, password string) oauthtest.Page {
	t.Helper()
	return b.Post(loginURL, url.Values{
		"_csrf": {csrf}, "username": {username}, "password": {password}, "signInSubmitButton": {"Sign in"},
	})
}

// TestLoginPage: the classic form's fields, and Cognito's answers to bad
// credentials (200, the form again, the message in #loginErrorMessage).
func TestLoginPage(t *testing.T) {
	f := oauthtest.New(t)
	b := oauthtest.NewBrowser(t)
	loginURL, page := b.OpenLogin(f.TS.URL, f.AuthorizeURL(f.CodeParams(f.Web, nil)))
	for _, want := range []string{`name="username"`, `name="password"`, `name="signInSubmitButton"`, `name="_csrf"`, `method="post"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("login page lacks %s", want)
		}
	}
	for _, tt := range []struct{ name, username, password string }{
		{"wrong password", oauthtest.Username, "Wr0ng-password"},
		{"unknown user (LEGACY client)", "nobody", "Passw0rd!"},
		{"empty password", oauthtest.Username, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := submitLogin(t, b, loginURL, page.CSRF(t), tt.username, tt.password)
			if setsSession(p) {
				t.Fatal("a failed sign-in set the session cookie")
			}
			if tt.username == "nobody" {
				// The fixture client is LEGACY, which names the problem.
				if p.Status != http.StatusOK || loginErrorOf(p) != "User does not exist." {
					t.Fatalf("got %d %q", p.Status, loginErrorOf(p))
				}
				return
			}
			if p.Status != http.StatusOK || loginErrorOf(p) != "Incorrect username or password." {
				t.Fatalf("got %d %q", p.Status, loginErrorOf(p))
			}
			if !strings.Contains(p.Body, `value="`+tt.username+`"`) {
				t.Errorf("the form does not keep the username")
			}
		})
	}
}

// TestLoginCSRF: a form without the token, or with another browser's, is
// refused before any password is checked.
func TestLoginCSRF(t *testing.T) {
	f := oauthtest.New(t)
	b := oauthtest.NewBrowser(t)
	loginURL, page := b.OpenLogin(f.TS.URL, f.AuthorizeURL(f.CodeParams(f.Web, nil)))
	other := oauthtest.NewBrowser(t)
	_, otherPage := other.OpenLogin(f.TS.URL, f.AuthorizeURL(f.CodeParams(f.Web, nil)))
	for name, form := range map[string]url.Values{
		"no token":              {"username": {oauthtest.Username}, "password": {oauthtest.Password}},
		"another browser token": {"_csrf": {otherPage.CSRF(t)}, "username": {oauthtest.Username}, "password": {oauthtest.Password}},
	} {
		t.Run(name, func(t *testing.T) {
			p := b.Post(loginURL, form)
			if p.Status != http.StatusForbidden || p.Location != "" ||
				!strings.Contains(p.Body, "Invalid or missing CSRF token.") || !strings.Contains(p.Body, "<code>invalid_csrf</code>") {
				t.Fatalf("want 403 CSRF page, got %d %q\n%s", p.Status, p.Location, p.Body)
			}
		})
	}
	// The right token still signs in.
	p := submitLogin(t, b, loginURL, page.CSRF(t), oauthtest.Username, oauthtest.Password)
	if p.Status != http.StatusFound {
		t.Fatalf("with the token: %d\n%s", p.Status, p.Body)
	}
}

// TestSessionCookie: HttpOnly, SameSite=Lax, an hour, and not Secure on
// plain HTTP.
func TestSessionCookie(t *testing.T) {
	f := oauthtest.New(t)
	b := oauthtest.NewBrowser(t)
	loginURL, page := b.OpenLogin(f.TS.URL, f.AuthorizeURL(f.CodeParams(f.Web, nil)))
	p := submitLogin(t, b, loginURL, page.CSRF(t), oauthtest.Username, oauthtest.Password)
	var got *http.Cookie
	for _, c := range (&http.Response{Header: p.Header}).Cookies() {
		if c.Name == "cognito" {
			got = c
		}
	}
	if got == nil || !got.HttpOnly || got.SameSite != http.SameSiteLaxMode || got.MaxAge != 3600 || got.Secure || len(got.Value) < 40 {
		t.Fatalf("session cookie = %+v", got)
	}
	// The hosted UI session expires after an hour of the server's clock.
	f.TS.Clock.Advance(3601e9)
	if p := b.Get(f.AuthorizeURL(f.CodeParams(f.Web, nil))); !strings.HasPrefix(p.Location, "/login?") {
		t.Fatalf("after an hour: Location %q, want the login form", p.Location)
	}
}

// TestSSOAndLogout: a second authorize in the session, even for another
// client of the pool, returns a code without the form; after /logout the
// form is back.
func TestSSOAndLogout(t *testing.T) {
	f := oauthtest.New(t)
	b := oauthtest.NewBrowser(t)
	signInCode(t, f, b, f.Web, nil)

	for _, c := range []oauthtest.Client{f.Web, f.Server} {
		params := f.CodeParams(c, nil)
		cb := b.Follow(f.TS.URL, f.AuthorizeURL(params))
		code := codeFrom(t, cb, params.Get("state"))
		if got := exchange(t, f, c, code, ""); got.Status != http.StatusOK {
			t.Fatalf("SSO code for %s: %d %s", c.ID, got.Status, got.Raw)
		}
	}
	other := url.Values{"response_type": {"code"}, "client_id": {f.Other.ID}, "redirect_uri": {f.OtherCallback}}
	if cb := b.Follow(f.TS.URL, f.AuthorizeURL(other)); cb.Query().Get("code") == "" || cb.Query().Has("state") || !strings.HasPrefix(cb.String(), f.OtherCallback) {
		t.Fatalf("SSO with no state: %s", cb)
	}

	p := b.Get(f.TS.URL + "/logout?" + url.Values{"client_id": {f.Web.ID}, "logout_uri": {f.LogoutURL}}.Encode())
	if p.Status != http.StatusFound || p.Location != f.LogoutURL {
		t.Fatalf("logout: %d %q", p.Status, p.Location)
	}
	if p := b.Get(f.AuthorizeURL(f.CodeParams(f.Web, nil))); !strings.HasPrefix(p.Location, "/login?") {
		t.Fatalf("after logout: Location %q, want the login form", p.Location)
	}
}

// TestLogoutToLogin: logout with redirect_uri and response_type clears the
// session and shows the sign-in form for that request.
func TestLogoutToLogin(t *testing.T) {
	f := oauthtest.New(t)
	b := oauthtest.NewBrowser(t)
	signInCode(t, f, b, f.Web, nil)
	q := url.Values{"client_id": {f.Web.ID}, "redirect_uri": {f.Callback.URL}, "response_type": {"code"}, "state": {"again"}}
	p := b.Get(f.TS.URL + "/logout?" + q.Encode())
	if p.Status != http.StatusFound || !strings.HasPrefix(p.Location, "/login?") {
		t.Fatalf("logout: %d %q", p.Status, p.Location)
	}
	login := b.Get(f.TS.URL + p.Location)
	if login.Status != http.StatusOK || !strings.Contains(login.Body, "signInSubmitButton") {
		t.Fatalf("login after logout: %d", login.Status)
	}
	if p := b.Get(f.AuthorizeURL(f.CodeParams(f.Web, nil))); !strings.HasPrefix(p.Location, "/login?") {
		t.Fatalf("after logout: Location %q, want the login form", p.Location)
	}
}

// TestLogoutErrors: no redirect to anything unregistered.
func TestLogoutErrors(t *testing.T) {
	f := oauthtest.New(t)
	b := oauthtest.NewBrowser(t)
	signInCode(t, f, b, f.Web, nil)
	for name, q := range map[string]url.Values{
		"unregistered logout_uri":   {"client_id": {f.Web.ID}, "logout_uri": {"https://evil.example/bye"}},
		"unregistered redirect_uri": {"client_id": {f.Web.ID}, "redirect_uri": {"https://evil.example/cb"}, "response_type": {"code"}},
		"unknown client":            {"client_id": {"0000000000000000000000000a"}, "logout_uri": {f.LogoutURL}},
		"nothing to go to":          {"client_id": {f.Web.ID}},
	} {
		t.Run(name, func(t *testing.T) {
			p := b.Get(f.TS.URL + "/logout?" + q.Encode())
			if p.Status != http.StatusBadRequest || p.Location != "" || !strings.Contains(p.Body, "errorMessage") {
				t.Fatalf("want 400 error page without Location, got %d %q", p.Status, p.Location)
			}
		})
	}
	// A refused logout keeps the session.
	params := f.CodeParams(f.Web, nil)
	codeFrom(t, b.Follow(f.TS.URL, f.AuthorizeURL(params)), params.Get("state"))
}

// TestSignInRules: the hosted UI applies the JSON API's sign-in rules.
func TestSignInRules(t *testing.T) {
	f := oauthtest.New(t)
	ctx := context.Background()
	api := f.TS.Client
	pool := aws.String(f.PoolID)

	t.Run("disabled user", func(t *testing.T) {
		f.CreateUser(t, "dora", "Passw0rd!", "dora@example.com")
		if _, err := api.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: pool, Username: aws.String("dora")}); err != nil {
			t.Fatal(err)
		}
		b := oauthtest.NewBrowser(t)
		loginURL, page := b.OpenLogin(f.TS.URL, f.AuthorizeURL(f.CodeParams(f.Web, nil)))
		p := submitLogin(t, b, loginURL, page.CSRF(t), "dora", "Passw0rd!")
		if p.Status != http.StatusOK || loginErrorOf(p) != "User is disabled." {
			t.Fatalf("got %d %q", p.Status, loginErrorOf(p))
		}
	})

	t.Run("lockout", func(t *testing.T) {
		f.CreateUser(t, "lou", "Passw0rd!", "lou@example.com")
		b := oauthtest.NewBrowser(t)
		loginURL, page := b.OpenLogin(f.TS.URL, f.AuthorizeURL(f.CodeParams(f.Web, nil)))
		for range 5 {
			if p := submitLogin(t, b, loginURL, page.CSRF(t), "lou", "Wr0ng!pass"); loginErrorOf(p) != "Incorrect username or password." {
				t.Fatalf("failure: %q", loginErrorOf(p))
			}
		}
		p := submitLogin(t, b, loginURL, page.CSRF(t), "lou", "Passw0rd!")
		if p.Status != http.StatusOK || loginErrorOf(p) != "Password attempts exceeded" {
			t.Fatalf("locked: %d %q", p.Status, loginErrorOf(p))
		}
	})

	t.Run("unconfirmed user goes to confirmUser", func(t *testing.T) {
		_, err := api.SignUp(ctx, &cip.SignUpInput{
			ClientId: aws.String(f.Web.ID), Username: aws.String("una"), Password: aws.String("Passw0rd!"),
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("una@example.com")}},
		})
		if err != nil {
			t.Fatal(err)
		}
		b := oauthtest.NewBrowser(t)
		loginURL, page := b.OpenLogin(f.TS.URL, f.AuthorizeURL(f.CodeParams(f.Web, nil)))
		p := submitLogin(t, b, loginURL, page.CSRF(t), "una", "Passw0rd!")
		if p.Status != http.StatusFound || !strings.HasPrefix(p.Location, "/confirmUser?") || !strings.Contains(p.Location, "username=una") {
			t.Fatalf("got %d %q", p.Status, p.Location)
		}
	})

	t.Run("temporary password asks for a new one", func(t *testing.T) {
		_, err := api.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
			UserPoolId: pool, Username: aws.String("tom"), TemporaryPassword: aws.String("Temp0rary!"),
			MessageAction:  types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("tom@example.com")}},
		})
		if err != nil {
			t.Fatal(err)
		}
		b := oauthtest.NewBrowser(t)
		params := f.CodeParams(f.Web, nil)
		loginURL, page := b.OpenLogin(f.TS.URL, f.AuthorizeURL(params))
		p := submitLogin(t, b, loginURL, page.CSRF(t), "tom", "Temp0rary!")
		m := regexp.MustCompile(`name="session" value="([^"]+)"`).FindStringSubmatch(p.Body)
		if p.Status != http.StatusOK || m == nil || !strings.Contains(p.Body, `name="newPassword"`) {
			t.Fatalf("want the new-password page, got %d\n%s", p.Status, p.Body)
		}
		form := url.Values{"_csrf": {page.CSRF(t)}, "session": {m[1]}, "newPassword": {"weak"}, "confirmPassword": {"weak"}}
		p = b.Post(loginURL, form)
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "Password did not conform with policy: Password not long enough") {
			t.Fatalf("weak password: %d\n%s", p.Status, p.Body)
		}
		form.Set("newPassword", "N3w-Passw0rd!")
		form.Set("confirmPassword", "N3w-Passw0rd!")
		p = b.Post(loginURL, form)
		if p.Status != http.StatusFound {
			t.Fatalf("new password: %d\n%s", p.Status, p.Body)
		}
		codeFrom(t, b.Follow(f.TS.URL, p.Location), params.Get("state"))
		// The handle is single use.
		if p := b.Post(loginURL, form); p.Status != http.StatusOK || loginErrorOf(p) == "" {
			t.Fatalf("replayed handle: %d %q", p.Status, loginErrorOf(p))
		}
		out, err := api.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("tom")})
		if err != nil || out.UserStatus != types.UserStatusTypeConfirmed {
			t.Fatalf("status after new password: %v %v", out.UserStatus, err)
		}
	})
}
