package hostedui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

const (
	// sessionCookie is the hosted-UI session (spec §10.2).
	sessionCookie = "cognito"
	// sessionLifetime is Cognito's fixed hosted-UI session length.
	sessionLifetime = time.Hour
)

// sessionID is the storage key of a cookie value: its SHA-256, so the store
// holds nothing a browser could present.
func sessionID(cookie string) string {
	sum := sha256.Sum256([]byte(cookie))
	return hex.EncodeToString(sum[:])
}

// startSession signs the browser in to the pool: a random cookie value
// mapped to the user and the time they signed in, for an hour.
func (ui *UI) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, pool storage.Pool, u storage.User) (time.Time, error) {
	now := ui.Clock.Now()
	value := ids.Token(32)
	err := ui.Store.CreateSession(ctx, storage.Session{
		ID: sessionID(value), PoolID: pool.ID, UsernameKey: u.UsernameKey,
		AuthTime: now, CreatedAt: now, ExpiresAt: now.Add(sessionLifetime),
	})
	if err != nil {
		return now, fmt.Errorf("create session: %w", err)
	}
	// A browser signed in elsewhere before keeps only the new session.
	ui.dropSession(ctx, r)
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: value, Path: "/", MaxAge: int(sessionLifetime / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: ui.secure(r),
	})
	return now, nil
}

// sessionUser returns the user the browser is signed in as in pool, and
// when they signed in. ok is false when there is no live session for the
// pool or its user can no longer sign in.
func (ui *UI) sessionUser(ctx context.Context, r *http.Request, pool storage.Pool) (u storage.User, authTime time.Time, ok bool, err error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return u, authTime, false, nil
	}
	s, err := ui.Store.GetSession(ctx, sessionID(c.Value))
	if errors.Is(err, storage.ErrNotFound) {
		return u, authTime, false, nil
	}
	if err != nil {
		return u, authTime, false, fmt.Errorf("get session: %w", err)
	}
	if s.PoolID != pool.ID || !ui.Clock.Now().Before(s.ExpiresAt) {
		return u, authTime, false, nil
	}
	u, err = ui.Store.GetUser(ctx, pool.ID, s.UsernameKey)
	if errors.Is(err, storage.ErrNotFound) {
		return u, authTime, false, nil
	}
	if err != nil {
		return u, authTime, false, fmt.Errorf("get user: %w", err)
	}
	if !u.Enabled || u.Status != userpool.StatusConfirmed {
		return u, authTime, false, nil
	}
	return u, s.AuthTime, true, nil
}

// dropSession forgets the browser's session, if any.
func (ui *UI) dropSession(ctx context.Context, r *http.Request) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return
	}
	if err := ui.Store.DeleteSession(ctx, sessionID(c.Value)); err != nil && !errors.Is(err, storage.ErrNotFound) {
		ui.log().WarnContext(ctx, "hostedui: delete session", "err", err)
	}
}

// clearSession signs the browser out: the session is deleted and the
// cookie expired.
func (ui *UI) clearSession(ctx context.Context, w http.ResponseWriter, r *http.Request) {
	ui.dropSession(ctx, r)
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: ui.secure(r),
	})
}
