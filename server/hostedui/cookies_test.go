package hostedui

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
)

// TestCookiesSecureOnHTTPS: the session and CSRF cookies are Secure when
// the request came over TLS or the public URL is https, and always HttpOnly
// and SameSite=Lax.
func TestCookiesSecureOnHTTPS(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 5, 7, 8, 9, 0, time.UTC)
	store := memory.New()
	pool := storage.Pool{ID: "us-east-1_Cookie123", CreatedAt: now}
	if err := store.CreatePool(ctx, pool); err != nil {
		t.Fatal(err)
	}
	user := storage.User{PoolID: pool.ID, Username: "jane", UsernameKey: "jane"}
	for _, tt := range []struct {
		name       string
		tls        bool
		public     bool // UI.Secure: public URL is https
		wantSecure bool
	}{
		{"plain http", false, false, false},
		{"TLS request", true, false, true},
		{"https public URL behind a proxy", false, true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ui := &UI{Store: store, Clock: clock.NewFake(now), Secure: tt.public}
			r := httptest.NewRequest(http.MethodGet, "/login", nil)
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			w := httptest.NewRecorder()
			ui.csrfToken(w, r)
			if _, err := ui.startSession(ctx, w, r, pool, user); err != nil {
				t.Fatal(err)
			}
			cookies := w.Result().Cookies()
			if len(cookies) != 2 {
				t.Fatalf("cookies: %v", cookies)
			}
			for _, c := range cookies {
				if c.Secure != tt.wantSecure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
					t.Errorf("%s: Secure %t HttpOnly %t SameSite %v Path %q", c.Name, c.Secure, c.HttpOnly, c.SameSite, c.Path)
				}
			}
		})
	}
}
