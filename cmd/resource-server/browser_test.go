package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/locognito/locognito/server/oauth/oauthtest"
	"github.com/locognito/locognito/server/servertest"
)

// TestBrowserSignInEndToEnd walks a browser (an HTTP client with a cookie
// jar that shows every redirect) through the demo's sign-in: /login → the
// hosted UI → /auth/callback → cookie session → API calls with the cookie
// and the CSRF token → /logout → the hosted UI's logout → back to the demo.
func TestBrowserSignInEndToEnd(t *testing.T) {
	oauthtest.Backends(t, func(t *testing.T, opts ...servertest.Option) {
		d := startDemo(t, opts...)
		demoURL, _ := url.Parse(d.URL)
		b := oauthtest.NewBrowser(t)

		// /login: to the hosted UI, with state and an S256 PKCE challenge;
		// the state waits in an HttpOnly cookie scoped to the callback.
		p := b.Get(d.URL + "/login")
		if p.Status != http.StatusFound || !strings.HasPrefix(p.Location, d.TS.URL+"/oauth2/authorize?") {
			t.Fatalf("/login: %d Location %q, want 302 to the hosted UI", p.Status, p.Location)
		}
		authz, _ := url.Parse(p.Location)
		q := authz.Query()
		for k, want := range map[string]string{
			"response_type": "code", "client_id": d.NotesWeb.ID,
			"redirect_uri": d.URL + "/auth/callback", "code_challenge_method": "S256",
		} {
			if q.Get(k) != want {
				t.Errorf("authorize %s = %q, want %q", k, q.Get(k), want)
			}
		}
		if len(q.Get("state")) < 32 || len(q.Get("code_challenge")) != 43 {
			t.Errorf("authorize state %q / code_challenge %q: want a random state and a SHA-256 challenge", q.Get("state"), q.Get("code_challenge"))
		}
		st := setCookie(t, p.Header, cookieState)
		if !st.HttpOnly || st.SameSite != http.SameSiteLaxMode || st.Path != "/auth/callback" || st.MaxAge != 600 || st.Secure {
			t.Errorf("state cookie = %+v, want HttpOnly, SameSite=Lax, Path=/auth/callback, Max-Age=600, not Secure on http", st)
		}

		cb := b.SignIn(d.TS.URL, p.Location, oauthtest.Username, oauthtest.Password)
		if cb.Host != demoURL.Host || cb.Path != "/auth/callback" || cb.Query().Get("state") != q.Get("state") || cb.Query().Get("code") == "" {
			t.Fatalf("hosted UI redirected to %s, want the demo's callback with a code and the state", cb)
		}

		// /auth/callback: the code is exchanged server-side; the browser gets
		// cookies, never the tokens in a URL or body.
		p = b.Get(cb.String())
		if p.Status != http.StatusSeeOther || p.Location != "/" {
			t.Fatalf("callback: %d Location %q, want 303 to /\n%s", p.Status, p.Location, p.Body)
		}
		at := setCookie(t, p.Header, cookieAccess)
		if !at.HttpOnly || at.SameSite != http.SameSiteLaxMode || at.Secure || at.Path != "/" || at.MaxAge < 3500 || at.MaxAge > 3600 {
			t.Errorf("access-token cookie = %+v, want HttpOnly, SameSite=Lax, Path=/, not Secure, Max-Age about 3600", at)
		}
		if strings.Count(at.Value, ".") != 2 || strings.Contains(p.Body, at.Value) {
			t.Errorf("access-token cookie does not hold a JWT, or the body repeats it")
		}
		csrf := setCookie(t, p.Header, cookieCSRF)
		if csrf.HttpOnly || csrf.Value == "" {
			t.Errorf("CSRF cookie = %+v, want a value readable by scripts", csrf)
		}
		if got := b.Get(cb.String()); got.Status != http.StatusBadRequest {
			t.Errorf("callback replayed: status %d, want 400 (the state is single use)", got.Status)
		}

		// The cookie is the credential for the API.
		p = b.Get(d.URL + "/me")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, `"username":"jane"`) || !strings.Contains(p.Body, `"client_id":"`+d.NotesWeb.ID+`"`) {
			t.Fatalf("GET /me with the cookie: %d %s", p.Status, p.Body)
		}
		if p = b.Get(d.URL + "/"); !strings.Contains(p.Body, "Signed in as <b>jane</b>") {
			t.Errorf("home page does not show the user:\n%s", p.Body)
		}

		// POST /notes from the session needs the CSRF token and our origin.
		post := func(body, contentType string, header map[string]string) oauthtest.Page {
			t.Helper()
			req, _ := http.NewRequest(http.MethodPost, d.URL+"/notes", strings.NewReader(body))
			req.Header.Set("Content-Type", contentType)
			for k, v := range header {
				req.Header.Set(k, v)
			}
			resp, err := b.HTTP.Do(req)
			must(t, "POST /notes", err)
			defer resp.Body.Close()
			rb, _ := io.ReadAll(resp.Body)
			return oauthtest.Page{Status: resp.StatusCode, Header: resp.Header, Body: string(rb), Location: resp.Header.Get("Location")}
		}
		if p = post(`{"text":"forged"}`, "application/json", nil); p.Status != http.StatusForbidden || !strings.Contains(p.Body, `"csrf"`) {
			t.Errorf("POST /notes without the CSRF token: %d %s, want 403 csrf", p.Status, p.Body)
		}
		if p = post(`{"text":"forged"}`, "application/json", map[string]string{headerCSRF: "wrong"}); p.Status != http.StatusForbidden {
			t.Errorf("POST /notes with a wrong CSRF token: %d, want 403", p.Status)
		}
		if p = post(`{"text":"forged"}`, "application/json", map[string]string{headerCSRF: csrf.Value, "Origin": "http://evil.example"}); p.Status != http.StatusForbidden {
			t.Errorf("POST /notes from another origin: %d, want 403", p.Status)
		}
		if p = post(`{"text":"by script"}`, "application/json", map[string]string{headerCSRF: csrf.Value, "Origin": d.URL}); p.Status != http.StatusCreated {
			t.Errorf("POST /notes with the CSRF header: %d %s, want 201", p.Status, p.Body)
		}
		if p = post(url.Values{"text": {"by form"}, "_csrf": {csrf.Value}}.Encode(), "application/x-www-form-urlencoded", nil); p.Status != http.StatusSeeOther {
			t.Errorf("POST /notes by form: %d %s, want 303", p.Status, p.Body)
		}
		if p = b.Get(d.URL + "/notes"); !strings.Contains(p.Body, "by script") || !strings.Contains(p.Body, "by form") || strings.Contains(p.Body, "forged") {
			t.Errorf("GET /notes: %s", p.Body)
		}

		// /logout is a POST with the CSRF token; it clears the cookies and
		// sends the browser to the hosted UI's logout, which returns to the
		// demo after ending the hosted-UI session.
		if p = b.Post(d.URL+"/logout", url.Values{}); p.Status != http.StatusForbidden {
			t.Errorf("POST /logout without the CSRF token: %d, want 403", p.Status)
		}
		p = b.Post(d.URL+"/logout", url.Values{"_csrf": {csrf.Value}})
		wantLogout := d.TS.URL + "/logout?" + url.Values{"client_id": {d.NotesWeb.ID}, "logout_uri": {d.URL + "/"}}.Encode()
		if p.Status != http.StatusSeeOther || p.Location != wantLogout {
			t.Fatalf("POST /logout: %d Location %q, want 303 to %s", p.Status, p.Location, wantLogout)
		}
		if c := setCookie(t, p.Header, cookieAccess); c.MaxAge >= 0 || c.Value != "" {
			t.Errorf("logout does not clear the access-token cookie: %+v", c)
		}
		if got := b.Get(d.URL + "/me"); got.Status != http.StatusUnauthorized {
			t.Errorf("GET /me after logout: %d, want 401", got.Status)
		}
		if got := b.Get(p.Location); got.Status != http.StatusFound || got.Location != d.URL+"/" {
			t.Fatalf("hosted-UI logout: %d Location %q, want 302 to %s/", got.Status, got.Location, d.URL)
		}
		// The hosted-UI session is over too: signing in asks for the
		// password again instead of redirecting straight back.
		p = b.Get(d.URL + "/login")
		if got := b.Get(p.Location); got.Status != http.StatusFound || !strings.HasPrefix(got.Location, "/login?") {
			t.Errorf("authorize after logout: %d Location %q, want the login page", got.Status, got.Location)
		}
	})
}

// TestCallbackRefusesForgedState: a callback whose state is not the one
// this browser's /login stored (login CSRF), or that arrives without any
// /login, is refused before the code is used.
func TestCallbackRefusesForgedState(t *testing.T) {
	d := startDemo(t)
	for _, tc := range []struct {
		name  string
		login bool
		query url.Values
	}{
		{"wrong state", true, url.Values{"code": {"c0de"}, "state": {"attacker"}}},
		{"no state", true, url.Values{"code": {"c0de"}}},
		{"no sign-in started", false, url.Values{"code": {"c0de"}, "state": {"whatever"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := oauthtest.NewBrowser(t)
			if tc.login {
				b.Get(d.URL + "/login")
			}
			p := b.Get(d.URL + "/auth/callback?" + tc.query.Encode())
			if p.Status != http.StatusBadRequest {
				t.Errorf("status %d, want 400\n%s", p.Status, p.Body)
			}
			if c := findCookie(p.Header, cookieAccess); c != nil {
				t.Errorf("a session cookie was set: %+v", c)
			}
		})
	}
	// The hosted UI's error answer (here: an unknown scope) reaches the
	// callback with the right state and is shown, not exchanged.
	b := oauthtest.NewBrowser(t)
	p := b.Get(d.URL + "/login")
	state, _ := url.Parse(p.Location)
	got := b.Get(d.URL + "/auth/callback?" + url.Values{"error": {"invalid_scope"}, "state": {state.Query().Get("state")}}.Encode())
	if got.Status != http.StatusBadRequest || !strings.Contains(got.Body, "invalid_scope") {
		t.Errorf("callback with error: %d %s", got.Status, got.Body)
	}
}

// TestCookiesSecureOnHTTPS: with an https APP_URL every cookie is Secure,
// and the hosted-UI URLs follow COGNITO_DOMAIN (real Cognito's shape).
func TestCookiesSecureOnHTTPS(t *testing.T) {
	cfg, err := ParseConfig(nil, envOf(map[string]string{
		"COGNITO_USER_POOL_ID": "eu-west-1_AbCdEf123",
		"COGNITO_DOMAIN":       "https://notes-demo.auth.eu-west-1.amazoncognito.com",
		"COGNITO_CLIENT_ID":    "4example5client6id7abcdefgh",
		"APP_URL":              "https://notes.example.com/",
	}), io.Discard)
	must(t, "ParseConfig", err)
	app, err := New(cfg, nil, nil)
	must(t, "New", err)
	h := app.Handler()

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/login", nil))
	loc, _ := url.Parse(rec.Header().Get("Location"))
	if rec.Code != http.StatusFound || loc.Scheme+"://"+loc.Host+loc.Path != "https://notes-demo.auth.eu-west-1.amazoncognito.com/oauth2/authorize" ||
		loc.Query().Get("redirect_uri") != "https://notes.example.com/auth/callback" {
		t.Errorf("/login: %d Location %s", rec.Code, loc)
	}
	if c := setCookie(t, rec.Header(), cookieState); !c.Secure {
		t.Errorf("state cookie not Secure on https: %+v", c)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/logout", nil))
	if c := setCookie(t, rec.Header(), cookieAccess); !c.Secure {
		t.Errorf("cleared access cookie not Secure on https: %+v", c)
	}
	want := "https://notes-demo.auth.eu-west-1.amazoncognito.com/logout?client_id=4example5client6id7abcdefgh&logout_uri=https%3A%2F%2Fnotes.example.com%2F"
	if got := rec.Header().Get("Location"); got != want {
		t.Errorf("logout Location %q, want %q", got, want)
	}
}

// TestBrowserSideOff: without COGNITO_DOMAIN the demo is an API only.
func TestBrowserSideOff(t *testing.T) {
	cfg, err := ParseConfig(nil, envOf(map[string]string{
		"COGNITO_USER_POOL_ID": "us-east-1_AbCdEf123", "COGNITO_CLIENT_IDS": "abc",
	}), io.Discard)
	must(t, "ParseConfig", err)
	app, err := New(cfg, nil, nil)
	must(t, "New", err)
	for _, path := range []string{"/login", "/auth/callback?code=x&state=y"} {
		rec := httptest.NewRecorder()
		app.Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, rec.Code)
		}
	}
}

func findCookie(h http.Header, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func setCookie(t *testing.T, h http.Header, name string) *http.Cookie {
	t.Helper()
	c := findCookie(h, name)
	if c == nil {
		t.Fatalf("no Set-Cookie %s in %v", name, h.Values("Set-Cookie"))
	}
	return c
}
