package hostedui

import (
	"crypto/subtle"
	"net/http"

	"github.com/locognito/locognito/internal/ids"
)

// csrfCookie holds the token every form echoes in _csrf (double submit):
// a cross-site page can make the browser send the cookie but cannot read it
// to put it in the form.
const csrfCookie = "XSRF-TOKEN"

// csrfToken returns the browser's CSRF token, issuing one when it has none.
func (ui *UI) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	tok := ids.Token(32)
	http.SetCookie(w, &http.Cookie{
		Name: csrfCookie, Value: tok, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: ui.secure(r),
	})
	return tok
}

// csrfValid reports whether a POSTed form carries the cookie's token.
func csrfValid(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	given := r.PostForm.Get("_csrf")
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(given)) == 1
}

// secure reports whether cookies must be Secure: the request came over TLS,
// or the server's public URL is https.
func (ui *UI) secure(r *http.Request) bool { return r.TLS != nil || ui.Secure }

// readPost parses a page's form and checks its CSRF token. On failure it
// has answered (403 page).
func (ui *UI) readPost(w http.ResponseWriter, r *http.Request, f *flow) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		ui.renderError(w, f.log, http.StatusBadRequest, "invalid_request", "The form could not be read.")
		return false
	}
	if !csrfValid(r) {
		f.log.InfoContext(r.Context(), "hostedui: CSRF token missing or wrong")
		ui.renderError(w, f.log, http.StatusForbidden, "invalid_csrf", "Invalid or missing CSRF token. Please reload the page and try again.")
		return false
	}
	return true
}
