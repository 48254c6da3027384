package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/locognito/locognito/jwtverify"
)

// Cookies of the browser session. The access token and the sign-in state
// are HttpOnly; the CSRF token is readable by scripts on purpose, so they
// can echo it in X-CSRF-Token (double-submit).
const (
	cookieAccess = "notes_access_token"
	cookieState  = "notes_login_state"
	cookieCSRF   = "notes_csrf"

	// callbackPath is the redirect URI's path: testdata/seed.yaml registers
	// http://localhost:8080/auth/callback for the web client.
	callbackPath = "/auth/callback"
	headerCSRF   = "X-CSRF-Token"
	fieldCSRF    = "_csrf"

	// stateTTL bounds a sign-in round trip (the hosted UI's code lives 5 min).
	stateTTL = 10 * time.Minute
)

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (a *App) cookie(name, value, path string, maxAge int, httpOnly bool) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: path, MaxAge: maxAge,
		HttpOnly: httpOnly, Secure: a.secure, SameSite: http.SameSiteLaxMode,
	}
}

func (a *App) browserOff(w http.ResponseWriter) bool {
	if a.oauth == nil {
		http.Error(w, "Browser sign-in is not configured (set COGNITO_DOMAIN and COGNITO_CLIENT_ID).", http.StatusNotFound)
		return true
	}
	return false
}

// login starts the authorization code flow with PKCE: a fresh state and
// code verifier go into a short-lived HttpOnly cookie scoped to the
// callback, and the browser goes to the hosted UI.
func (a *App) login(w http.ResponseWriter, r *http.Request) {
	if a.browserOff(w) {
		return
	}
	state, verifier := randomToken(), oauth2.GenerateVerifier()
	http.SetCookie(w, a.cookie(cookieState, state+"."+verifier, callbackPath, int(stateTTL/time.Second), true))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, a.oauth.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), http.StatusFound)
}

// callback checks the state against the cookie, exchanges the code at the
// token endpoint with the client secret (server to server, so the browser
// never sees the tokens), verifies the access token like any API call, and
// keeps it in an HttpOnly cookie for as long as it is valid.
func (a *App) callback(w http.ResponseWriter, r *http.Request) {
	if a.browserOff(w) {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	ck, err := r.Cookie(cookieState)
	// The state is single use, whatever happens next.
	http.SetCookie(w, a.cookie(cookieState, "", callbackPath, -1, true))
	q := r.URL.Query()
	if err != nil || ck.Value == "" {
		http.Error(w, "This sign-in has expired or was started in another browser. Sign in again from /login.", http.StatusBadRequest)
		return
	}
	state, verifier, _ := strings.Cut(ck.Value, ".")
	if subtle.ConstantTimeCompare([]byte(state), []byte(q.Get("state"))) != 1 || verifier == "" {
		http.Error(w, "The sign-in response does not match this browser's sign-in (state mismatch).", http.StatusBadRequest)
		return
	}
	if e := q.Get("error"); e != "" {
		http.Error(w, "The hosted UI refused the sign-in: "+e, http.StatusBadRequest)
		return
	}
	code := q.Get("code")
	if code == "" {
		http.Error(w, "The sign-in response has no code.", http.StatusBadRequest)
		return
	}
	ctx := context.WithValue(r.Context(), oauth2.HTTPClient, a.client)
	tok, err := a.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			a.log.Warn("code exchange refused", "status", re.Response.StatusCode, "error", re.ErrorCode)
		} else {
			a.log.Error("code exchange failed", "err", err)
		}
		http.Error(w, "The token endpoint refused the sign-in.", http.StatusBadGateway)
		return
	}
	claims, err := a.verifier.Verify(r.Context(), tok.AccessToken)
	if err != nil {
		a.log.Error("access token from the token endpoint does not verify", "err", err)
		http.Error(w, "The token endpoint returned a token this API does not accept.", http.StatusBadGateway)
		return
	}
	maxAge := int(claims.ExpiresAt.Sub(a.now()) / time.Second)
	if maxAge <= 0 {
		maxAge = -1
	}
	http.SetCookie(w, a.cookie(cookieAccess, tok.AccessToken, "/", maxAge, true))
	http.SetCookie(w, a.cookie(cookieCSRF, randomToken(), "/", 0, false))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// logout forgets the tokens and sends the browser to the hosted UI's
// /logout, which ends the hosted-UI session and comes back to APP_URL/
// (a registered sign-out URL of the client). It is a POST with the CSRF
// token, so another site cannot sign the user out.
func (a *App) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, a.cookie(cookieAccess, "", "/", -1, true))
	http.SetCookie(w, a.cookie(cookieCSRF, "", "/", -1, false))
	if a.oauth == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	q := url.Values{"client_id": {a.cfg.ClientID}, "logout_uri": {a.cfg.AppURL + "/"}}
	http.Redirect(w, r, a.cfg.Domain+"/logout?"+q.Encode(), http.StatusSeeOther)
}

// csrfProtect guards state-changing requests that a browser authenticates
// with the session cookie: the request must come from APP_URL's origin (when
// the browser says where it comes from) and echo the CSRF cookie in
// X-CSRF-Token or the _csrf form field. Requests with an Authorization
// header carry no ambient credential and pass.
func (a *App) csrfProtect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			next.ServeHTTP(w, r)
			return
		}
		if _, err := r.Cookie(cookieAccess); err != nil {
			next.ServeHTTP(w, r) // no session: nothing to forge
			return
		}
		if err := a.checkCSRF(w, r); err != nil {
			writeError(w, http.StatusForbidden, "csrf", err.Error())
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (a *App) checkCSRF(w http.ResponseWriter, r *http.Request) error {
	if o := r.Header.Get("Origin"); o != "" && o != a.origin {
		return errors.New("cross-origin request refused")
	}
	ck, err := r.Cookie(cookieCSRF)
	if err != nil || ck.Value == "" {
		return errors.New("no CSRF cookie; sign in again")
	}
	sent := r.Header.Get(headerCSRF)
	if sent == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		if err := r.ParseForm(); err == nil {
			sent = r.PostForm.Get(fieldCSRF)
		}
	}
	if subtle.ConstantTimeCompare([]byte(sent), []byte(ck.Value)) != 1 {
		return errors.New("missing or wrong CSRF token")
	}
	return nil
}

var homePage = template.Must(template.New("home").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Notes</title></head>
<body>
<h1>Notes</h1>
{{if .Claims}}
<p id="user">Signed in as <b>{{.Author}}</b>{{with .Claims.Groups}} (groups: {{range $i, $g := .}}{{if $i}}, {{end}}{{$g}}{{end}}){{end}}.</p>
{{if .CanRead}}<ul id="notes">{{range .Notes}}<li>{{.Text}} <small>{{.Author}}</small></li>{{else}}<li>No notes yet.</li>{{end}}</ul>{{end}}
{{if .CanWrite}}<form method="post" action="/notes">
<input type="hidden" name="_csrf" value="{{.CSRF}}">
<input name="text" maxlength="500" required> <button>Add note</button>
</form>{{end}}
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="{{.CSRF}}"><button>Sign out</button></form>
{{else if .Browser}}
<p><a id="login" href="/login">Sign in</a></p>
{{else}}
<p>Call the API with <code>Authorization: Bearer &lt;access token&gt;</code>.</p>
{{end}}
</body></html>
`))

// home is the browser session's page: who is signed in, the notes and a
// form to add one.
func (a *App) home(w http.ResponseWriter, r *http.Request) {
	data := struct {
		Browser           bool
		Claims            *jwtverify.Claims
		Author, CSRF      string
		CanRead, CanWrite bool
		Notes             []Note
	}{Browser: a.oauth != nil}
	if ck, err := r.Cookie(cookieAccess); err == nil {
		if c, err := a.verifier.Verify(r.Context(), ck.Value); err == nil {
			data.Claims, data.Author = c, author(c)
			data.CanRead = c.Scopes.Has(scopeRead) || c.Scopes.Has(scopeUser)
			data.CanWrite = c.Scopes.Has(scopeWrite)
			if data.CanRead {
				data.Notes = a.notes.list()
			}
			if csrf, err := r.Cookie(cookieCSRF); err == nil {
				data.CSRF = csrf.Value
			}
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; form-action 'self' "+a.formActions()+"; frame-ancestors 'none'")
	_ = homePage.Execute(w, data)
}

// formActions allows the sign-out form's redirect to the hosted UI.
func (a *App) formActions() string {
	if a.oauth == nil {
		return ""
	}
	return a.cfg.Domain
}
