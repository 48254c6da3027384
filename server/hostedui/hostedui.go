package hostedui

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"

	"github.com/gorilla/mux"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/oauth"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// UI is the hosted UI handler.
type UI struct {
	OAuth *oauth.Provider
	Pools *userpool.Service
	Store storage.Storage
	Clock clock.Clock
	Log   *slog.Logger
	// Secure marks cookies Secure even on plain-HTTP requests (set when the
	// public URL is https behind a TLS-terminating proxy).
	Secure bool
}

// Mount registers the hosted-UI routes.
func (ui *UI) Mount(r *mux.Router) {
	r.Path("/oauth2/authorize").Methods(http.MethodGet).HandlerFunc(ui.serveAuthorize)
	r.Path("/login").Methods(http.MethodGet, http.MethodPost).HandlerFunc(ui.serveLogin)
	r.Path("/logout").Methods(http.MethodGet).HandlerFunc(ui.serveLogout)
	r.Path("/signup").Methods(http.MethodGet, http.MethodPost).HandlerFunc(ui.serveSignUp)
	r.Path("/confirmUser").Methods(http.MethodGet, http.MethodPost).HandlerFunc(ui.serveConfirm)
	r.Path("/forgotPassword").Methods(http.MethodGet, http.MethodPost).HandlerFunc(ui.serveForgot)
	r.Path("/confirmForgotPassword").Methods(http.MethodGet, http.MethodPost).HandlerFunc(ui.serveConfirmForgot)
	r.Path("/error").Methods(http.MethodGet).HandlerFunc(ui.serveErrorPage)
}

// errorCodeShape is what an error code echoed on /error may look like.
var errorCodeShape = regexp.MustCompile(`^[a-z_]{1,40}$`)

// maxForm bounds a page's form body.
const maxForm = 64 << 10

// pageParams are the query parameters a page adds to the authorize query.
var pageParams = []string{"username"}

// flow is one browser's authorize request as every page sees it.
type flow struct {
	ar    *oauth.AuthorizeRequest
	query url.Values // the authorize parameters, without page ones
	log   *slog.Logger
}

// url returns path with the authorize query, plus extra parameters.
func (f *flow) url(path string, extra url.Values) template.URL {
	q := url.Values{}
	for k, v := range f.query {
		q[k] = v
	}
	for k, v := range extra {
		q[k] = v
	}
	return template.URL(path + "?" + q.Encode())
}

// begin validates the authorize request a page belongs to. On failure it
// has answered: an error page (unknown client, unregistered redirect URI:
// never a redirect), or the redirect to the client with the error.
func (ui *UI) begin(w http.ResponseWriter, r *http.Request, endpoint string) (*flow, bool) {
	log := ui.log().With("request_id", ids.UUID(), "endpoint", endpoint)
	q := r.URL.Query()
	for _, k := range pageParams {
		q.Del(k)
	}
	ar, err := ui.OAuth.ParseAuthorize(r.Context(), q)
	if err != nil {
		ui.authorizeFailed(w, r, log, err)
		return nil, false
	}
	log = log.With("pool_id", ar.Pool.ID, "client_id", ar.Client.ClientID)
	return &flow{ar: ar, query: q, log: log}, true
}

// authorizeFailed answers a failed authorize validation or completion.
func (ui *UI) authorizeFailed(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var pe *oauth.PageError
	var re *oauth.RedirectError
	switch {
	case errors.As(err, &pe):
		log.InfoContext(r.Context(), "hostedui: authorize refused", "error", pe.Code)
		ui.renderError(w, log, pe.Status, pe.Code, pe.Message)
	case errors.As(err, &re):
		if re.Code == "server_error" {
			log.ErrorContext(r.Context(), "hostedui: authorize failed", "err", err)
		} else {
			log.InfoContext(r.Context(), "hostedui: authorize refused", "error", re.Code, "reason", re.Reason())
		}
		http.Redirect(w, r, re.Location(), http.StatusFound)
	default:
		ui.internalError(w, r, log, err)
	}
}

// internalError logs err and shows a page that reveals nothing of it.
func (ui *UI) internalError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	log.ErrorContext(r.Context(), "hostedui: internal error", "err", err)
	ui.renderError(w, log, http.StatusInternalServerError, "server_error", "An internal error occurred. Please try again.")
}

// formFailed answers a userpool call that failed on a form post: a Cognito
// exception's message goes back on the form through show; anything else is
// an internal error, logged and answered with a page that reveals nothing.
func (ui *UI) formFailed(w http.ResponseWriter, r *http.Request, f *flow, err error, show func(msg string)) {
	if exception.Code(err) == exception.Internal {
		ui.internalError(w, r, f.log, err)
		return
	}
	show(exception.Message(err))
}

// base fills what every page of a flow shows.
func (f *flow) base(title, action string, csrf string) base {
	name := f.ar.Client.Name
	if name == "" {
		name = f.ar.Client.ClientID
	}
	return base{Title: title, Brand: name, Action: f.url(action, nil), CSRF: csrf}
}

func (ui *UI) log() *slog.Logger {
	if ui.Log == nil {
		return slog.Default()
	}
	return ui.Log
}

// serveErrorPage is GET /error, where Cognito sends a browser it cannot
// send back to the client.
func (ui *UI) serveErrorPage(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("error")
	if !errorCodeShape.MatchString(code) {
		code = ""
	}
	msg := "An error was encountered with the requested page."
	if code == "redirect_mismatch" {
		msg = "The redirect_uri is not registered for this client."
	}
	ui.renderError(w, ui.log(), http.StatusBadRequest, code, msg)
}
