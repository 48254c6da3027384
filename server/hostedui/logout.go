package hostedui

import (
	"errors"
	"net/http"
	"slices"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/storage"
)

// serveLogout is GET /logout (spec §10.4). It signs the browser out of the
// hosted UI (tokens already issued stay valid) and then sends it either to
// a registered logout_uri, or, given redirect_uri and response_type, back to
// the sign-in form. Anything else gets an error page and no redirect.
func (ui *UI) serveLogout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	log := ui.log().With("request_id", ids.UUID(), "endpoint", "logout")
	q := r.URL.Query()
	client, err := ui.Store.GetClient(ctx, q.Get("client_id"))
	if errors.Is(err, storage.ErrNotFound) || q.Get("client_id") == "" {
		ui.renderError(w, log, http.StatusBadRequest, "invalid_request", "The client does not exist.")
		return
	}
	if err != nil {
		ui.internalError(w, r, log, err)
		return
	}
	log = log.With("pool_id", client.PoolID, "client_id", client.ClientID)

	if logoutURI := q.Get("logout_uri"); logoutURI != "" {
		if !slices.Contains(client.LogoutURLs, logoutURI) {
			log.InfoContext(ctx, "hostedui: logout_uri not registered")
			ui.renderError(w, log, http.StatusBadRequest, "invalid_request", "The logout_uri is not registered for this client.")
			return
		}
		ui.clearSession(ctx, w, r)
		log.InfoContext(ctx, "hostedui: signed out")
		http.Redirect(w, r, logoutURI, http.StatusFound)
		return
	}
	if q.Get("redirect_uri") == "" || q.Get("response_type") == "" {
		ui.renderError(w, log, http.StatusBadRequest, "invalid_request", "A logout_uri, or a redirect_uri and response_type, is required.")
		return
	}
	// The re-login form: the parameters are an authorize request, checked
	// as one (an unregistered redirect_uri gets an error page).
	f, ok := ui.begin(w, r, "logout")
	if !ok {
		return
	}
	ui.clearSession(ctx, w, r)
	f.log.InfoContext(ctx, "hostedui: signed out, back to sign-in")
	http.Redirect(w, r, string(f.url("/login", nil)), http.StatusFound)
}
