package jwtverify_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/locognito/locognito/jwtverify"
)

func TestMiddleware(t *testing.T) {
	e := newEnv(t)
	iss := e.srv.issuer()
	valid := sign(keyAccess, kidAccess, accessClaims(iss))
	withNotes := sign(keyAccess, kidAccess, with(accessClaims(iss), "scope", "notes/read notes/write"))
	admin := sign(keyAccess, kidAccess, with(accessClaims(iss), "cognito:groups", []string{"admins"}))
	expired := sign(keyAccess, kidAccess, with(accessClaims(iss), "exp", t0.Add(-time.Hour).Unix()))
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

	const challenge401 = `Bearer error="invalid_token"`
	tests := []struct {
		name          string
		cfg           func(c *jwtverify.Config)
		opts          []jwtverify.MiddlewareOption
		wrap          func(http.Handler) http.Handler // inside Middleware
		header        http.Header
		cookie        *http.Cookie
		noMiddleware  bool
		jwksDown      bool
		wantStatus    int
		wantChallenge string // WWW-Authenticate, exactly; "" = absent
		wantError     string // "error" member of the JSON body
		wantUser      string
	}{
		{name: "valid bearer", header: bearer(valid), wantStatus: 200, wantUser: "janedoe"},
		{name: "lower-case scheme", header: http.Header{"Authorization": {"bearer " + valid}}, wantStatus: 200, wantUser: "janedoe"},
		{name: "no token", wantStatus: 401, wantChallenge: "Bearer", wantError: "unauthorized"},
		{name: "basic auth only", header: http.Header{"Authorization": {"Basic YTpi"}},
			wantStatus: 401, wantChallenge: "Bearer", wantError: "unauthorized"},
		{name: "empty bearer", header: http.Header{"Authorization": {"Bearer "}},
			wantStatus: 400, wantChallenge: `Bearer error="invalid_request"`, wantError: "invalid_request"},
		{name: "two authorization headers", header: http.Header{"Authorization": {"Bearer " + valid, "Bearer " + valid}},
			wantStatus: 400, wantChallenge: `Bearer error="invalid_request"`, wantError: "invalid_request"},
		{name: "garbage token", header: bearer("abc"), wantStatus: 401, wantChallenge: challenge401, wantError: "invalid_token"},
		{name: "expired token", header: bearer(expired), wantStatus: 401, wantChallenge: challenge401, wantError: "invalid_token"},
		{name: "refresh token as bearer", header: bearer("eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a.b.c.d"),
			wantStatus: 401, wantChallenge: challenge401, wantError: "invalid_token"},
		{name: "cookie", opts: []jwtverify.MiddlewareOption{jwtverify.CookieName("access_token")},
			cookie: &http.Cookie{Name: "access_token", Value: valid}, wantStatus: 200, wantUser: "janedoe"},
		{name: "cookie ignored without option", cookie: &http.Cookie{Name: "access_token", Value: valid},
			wantStatus: 401, wantChallenge: "Bearer", wantError: "unauthorized"},
		{name: "bad cookie", opts: []jwtverify.MiddlewareOption{jwtverify.CookieName("access_token")},
			cookie: &http.Cookie{Name: "access_token", Value: expired}, wantStatus: 401, wantChallenge: challenge401, wantError: "invalid_token"},
		{name: "header wins over cookie", opts: []jwtverify.MiddlewareOption{jwtverify.CookieName("access_token")},
			header: bearer(expired), cookie: &http.Cookie{Name: "access_token", Value: valid},
			wantStatus: 401, wantChallenge: challenge401, wantError: "invalid_token"},
		{name: "verifier scope missing", cfg: func(c *jwtverify.Config) { c.RequiredScopes = []string{"notes/read"} },
			header: bearer(valid), wantStatus: 403, wantChallenge: `Bearer error="insufficient_scope", scope="notes/read"`,
			wantError: "insufficient_scope"},
		{name: "verifier group missing", cfg: func(c *jwtverify.Config) { c.RequiredGroups = []string{"admins"} },
			header: bearer(valid), wantStatus: 403, wantChallenge: `Bearer error="insufficient_scope"`, wantError: "insufficient_scope"},
		{name: "RequireScopes missing", wrap: jwtverify.RequireScopes("notes/read", "notes/write"), header: bearer(valid),
			wantStatus: 403, wantChallenge: `Bearer error="insufficient_scope", scope="notes/read notes/write"`,
			wantError: "insufficient_scope"},
		{name: "RequireScopes present", wrap: jwtverify.RequireScopes("notes/read", "notes/write"), header: bearer(withNotes),
			wantStatus: 200, wantUser: "janedoe"},
		{name: "RequireGroups missing", wrap: jwtverify.RequireGroups("admins", "ops"), header: bearer(valid),
			wantStatus: 403, wantChallenge: `Bearer error="insufficient_scope"`, wantError: "insufficient_scope"},
		{name: "RequireGroups present", wrap: jwtverify.RequireGroups("admins", "ops"), header: bearer(admin),
			wantStatus: 200, wantUser: "janedoe"},
		{name: "RequireScopes without Middleware", noMiddleware: true, wrap: jwtverify.RequireScopes("notes/read"),
			header: bearer(withNotes), wantStatus: 401, wantChallenge: "Bearer", wantError: "unauthorized"},
		{name: "JWKS unavailable", jwksDown: true, header: bearer(valid), wantStatus: 503, wantError: "temporarily_unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := e.cfg
			if tt.jwksDown {
				down := newEnv(t)
				down.srv.set(func(s *jwksServer) { s.status = 500 })
				cfg = down.cfg
			}
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			v, err := jwtverify.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			var gotUser string
			var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c, ok := jwtverify.ClaimsFromContext(r.Context())
				if !ok {
					t.Error("handler reached without claims")
					return
				}
				gotUser = c.Username
			})
			if tt.wrap != nil {
				h = tt.wrap(h)
			}
			if !tt.noMiddleware {
				h = jwtverify.Middleware(v, tt.opts...)(h)
			}
			req := httptest.NewRequest(http.MethodGet, "/notes", nil)
			for k, vs := range tt.header {
				req.Header[k] = vs
			}
			if tt.cookie != nil {
				req.AddCookie(tt.cookie)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if got := rec.Header().Get("WWW-Authenticate"); got != tt.wantChallenge {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tt.wantChallenge)
			}
			if gotUser != tt.wantUser {
				t.Errorf("handler saw user %q, want %q", gotUser, tt.wantUser)
			}
			if tt.wantStatus == 200 {
				return
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			var body struct {
				Error       string `json:"error"`
				Description string `json:"error_description"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if body.Error != tt.wantError || body.Description == "" {
				t.Errorf("body = %+v, want error %q", body, tt.wantError)
			}
		})
	}
}

func TestMiddlewareOnError(t *testing.T) {
	e := newEnv(t)
	var got error
	h := jwtverify.Middleware(e.verifier(t), jwtverify.OnError(func(_ *http.Request, err error) { got = err }))(
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Authorization", "Bearer "+sign(keyEvil, kidAccess, accessClaims(e.srv.issuer())))
	h.ServeHTTP(httptest.NewRecorder(), req)
	if !errors.Is(got, jwtverify.ErrSignature) {
		t.Fatalf("OnError got %v, want ErrSignature", got)
	}
}

func TestRequireScopesPanicsOnInvalidScope(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	jwtverify.RequireScopes(`bad"scope`)
}
