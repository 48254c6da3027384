package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/locognito/locognito/jwtverify"
)

// Scopes and groups the routes need.
const (
	scopeRead    = "notes/read"
	scopeWrite   = "notes/write"
	scopeUser    = "aws.cognito.signin.user.admin" // every API sign-in's access token has it
	groupAdmin   = "admin"
	maxBodyBytes = 16 << 10
)

// App is the demo: a notes API whose every route is guarded by jwtverify,
// plus, when COGNITO_DOMAIN is set, a browser sign-in through the hosted UI
// that keeps the access token in an HttpOnly cookie. main serves Handler;
// tests mount it on httptest.
type App struct {
	cfg      Config
	log      *slog.Logger
	verifier *jwtverify.Verifier
	client   *http.Client
	oauth    *oauth2.Config // nil: browser side off
	notes    *noteStore
	now      func() time.Time
	secure   bool   // cookies are Secure (APP_URL is https)
	origin   string // APP_URL's origin, for the CSRF Origin check
}

// New builds the App. client fetches the JWKS and exchanges codes;
// a client with a 10 s timeout when nil.
func New(cfg Config, client *http.Client, log *slog.Logger) (*App, error) {
	if log == nil {
		log = slog.Default()
	}
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	vc := jwtverify.Config{
		JWKSURL:    cfg.JWKSURL,
		ClientIDs:  cfg.acceptedClients(),
		TokenUse:   jwtverify.TokenUseAccess,
		Now:        now,
		HTTPClient: client,
	}
	if cfg.Issuer != "" {
		// The override wins: locognito's issuer URL (ParseConfig checked
		// that it names the same pool, if a pool id is set too).
		vc.Issuer = cfg.Issuer
	} else {
		vc.UserPoolID, vc.Region = cfg.UserPoolID, cfg.Region
	}
	v, err := jwtverify.New(vc)
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: log, verifier: v, client: client, notes: &noteStore{}, now: now}
	app, err := url.Parse(cfg.AppURL)
	if err != nil {
		return nil, fmt.Errorf("APP_URL: %w", err)
	}
	a.secure = app.Scheme == "https"
	a.origin = app.Scheme + "://" + app.Host
	if cfg.Domain != "" {
		tokenURL := cfg.TokenURL
		if tokenURL == "" {
			tokenURL = cfg.Domain + "/oauth2/token"
		}
		style := oauth2.AuthStyleInHeader // client_secret_basic, as Cognito documents
		if cfg.ClientSecret == "" {
			style = oauth2.AuthStyleInParams // a public client sends only client_id
		}
		a.oauth = &oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint: oauth2.Endpoint{
				AuthURL:   cfg.Domain + "/oauth2/authorize",
				TokenURL:  tokenURL,
				AuthStyle: style,
			},
			RedirectURL: cfg.AppURL + callbackPath,
			// No Scopes: the authorize request then gets every scope the
			// app client allows, in Cognito as in locognito.
		}
	}
	return a, nil
}

// Verifier is the access-token verifier the API uses.
func (a *App) Verifier() *jwtverify.Verifier { return a.verifier }

// Handler is every route of the demo.
//
//	GET  /notes          notes/read, or a user's access token (aws.cognito.signin.user.admin)
//	POST /notes          notes/write; from a browser session also the CSRF token
//	GET  /me             any valid access token: its claims
//	GET  /admin/...      group admin
//	GET  /login, /auth/callback, POST /logout   browser sign-in (COGNITO_DOMAIN)
//	GET  /               a small page for the browser session
func (a *App) Handler() http.Handler {
	auth := jwtverify.Middleware(a.verifier,
		jwtverify.CookieName(cookieAccess),
		jwtverify.OnError(func(r *http.Request, err error) {
			// The error names the failed check, never the token.
			a.log.Debug("token refused", "method", r.Method, "path", r.URL.Path, "err", err)
		}))

	admin := http.NewServeMux()
	admin.HandleFunc("GET /admin/stats", a.adminStats)

	mux := http.NewServeMux()
	mux.Handle("GET /notes", auth(requireAnyScope(scopeRead, scopeUser)(http.HandlerFunc(a.listNotes))))
	mux.Handle("POST /notes", a.csrfProtect(auth(jwtverify.RequireScopes(scopeWrite)(http.HandlerFunc(a.createNote)))))
	mux.Handle("GET /me", auth(http.HandlerFunc(a.me)))
	mux.Handle("/admin/", auth(jwtverify.RequireGroups(groupAdmin)(admin)))
	mux.HandleFunc("GET /login", a.login)
	mux.HandleFunc("GET "+callbackPath, a.callback)
	mux.Handle("POST /logout", a.csrfProtect(http.HandlerFunc(a.logout)))
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return securityHeaders(mux)
}

// requireAnyScope lets a request through when its token has at least one of
// scopes. jwtverify.RequireScopes needs all of its scopes, so "notes/read or
// a user's token" is this small check on the claims Middleware stored; it
// answers like the library: 403 with an RFC 6750 insufficient_scope
// challenge naming the first scope.
func requireAnyScope(scopes ...string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, ok := jwtverify.ClaimsFromContext(r.Context())
			if !ok {
				w.Header().Set("WWW-Authenticate", "Bearer")
				writeError(w, http.StatusUnauthorized, "unauthorized", "a bearer token is required")
				return
			}
			for _, s := range scopes {
				if c.Scopes.Has(s) {
					next.ServeHTTP(w, r)
					return
				}
			}
			w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope", scope="`+scopes[0]+`"`)
			writeError(w, http.StatusForbidden, "insufficient_scope",
				"the token needs one of the scopes "+strings.Join(scopes, ", "))
		})
	}
}

// securityHeaders are the same for every answer: nothing here is meant to
// be framed, sniffed or cached by a shared cache.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers in the shape jwtverify's middleware uses.
func writeError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}
