package hostedui

import (
	"net/http"
	"net/url"
	"time"

	"github.com/locognito/locognito/storage"
)

// serveAuthorize is GET /oauth2/authorize (spec §10.1): validate, then
// either finish at once for a browser signed in to the pool (SSO) or send
// it to the login page with the same query.
func (ui *UI) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	f, ok := ui.begin(w, r, "authorize")
	if !ok {
		return
	}
	ctx := r.Context()
	u, authTime, signedIn, err := ui.sessionUser(ctx, r, f.ar.Pool)
	if err != nil {
		ui.internalError(w, r, f.log, err)
		return
	}
	if !signedIn {
		http.Redirect(w, r, string(f.url("/login", nil)), http.StatusFound)
		return
	}
	ui.finish(w, r, f, u, authTime)
}

// finish completes the authorize request for a signed-in user and sends the
// browser back to the client with a code (or tokens, for implicit).
func (ui *UI) finish(w http.ResponseWriter, r *http.Request, f *flow, u storage.User, authTime time.Time) {
	loc, err := ui.OAuth.CompleteAuthorize(r.Context(), f.ar, u, authTime)
	if err != nil {
		ui.authorizeFailed(w, r, f.log, err)
		return
	}
	f.log.InfoContext(r.Context(), "hostedui: authorized", "response_type", f.ar.ResponseType)
	http.Redirect(w, r, loc, http.StatusFound)
}

// authorizeURL is where a page sends the browser once it has signed in.
func (f *flow) authorizeURL() string { return string(f.url("/oauth2/authorize", url.Values{})) }
