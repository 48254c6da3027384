package tokens

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// Refresh-token errors (spec §7.4). A token of another client answers like
// an unknown one ("Invalid Refresh Token", the spec's choice; Cognito has
// also been seen saying "Refresh Token has different Client.").
var (
	errInvalidRefresh = exception.New(exception.NotAuthorized, "Invalid Refresh Token")
	errRefreshRevoked = exception.New(exception.NotAuthorized, "Refresh Token has been revoked")
	errRefreshExpired = exception.New(exception.NotAuthorized, "Refresh Token has expired")
	errUserDisabled   = exception.New(exception.NotAuthorized, "User is disabled.")
	errRefreshReused  = exception.New(exception.RefreshTokenReuse, "Refresh token has already been used.")
)

// HashRefreshToken is the storage key of a refresh token: hex SHA-256, so a
// database dump holds no usable token.
func HashRefreshToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newRefreshToken stores and returns a new refresh token of t's family.
func (i *Issuer) newRefreshToken(ctx context.Context, t mint, expires time.Time) (string, error) {
	token := ids.RefreshToken()
	err := i.Store.CreateRefreshToken(ctx, storage.RefreshToken{
		Hash:        HashRefreshToken(token),
		PoolID:      t.poolID,
		ClientID:    t.Client.ClientID,
		UsernameKey: t.User.UsernameKey,
		OriginJTI:   t.OriginJTI,
		AuthTime:    t.AuthTime,
		Scopes:      t.Scopes,
		IssuedAt:    t.now,
		ExpiresAt:   expires,
	})
	if err != nil {
		return "", fmt.Errorf("tokens: store refresh token: %w", err)
	}
	return token, nil
}

// LookupRefresh finds the stored record of a refresh token (for SECRET_HASH,
// which uses its internal username). Unknown → NotAuthorizedException
// "Invalid Refresh Token".
func (i *Issuer) LookupRefresh(ctx context.Context, token string) (storage.RefreshToken, error) {
	if token == "" {
		return storage.RefreshToken{}, errInvalidRefresh
	}
	rec, err := i.Store.GetRefreshToken(ctx, HashRefreshToken(token))
	if errors.Is(err, storage.ErrNotFound) {
		return storage.RefreshToken{}, errInvalidRefresh
	}
	if err != nil {
		return storage.RefreshToken{}, fmt.Errorf("tokens: get refresh token: %w", err)
	}
	return rec, nil
}

// Refresh exchanges a refresh token of client for new ID and access tokens
// (and a new refresh token when the client rotates). Errors are
// *exception.Error: NotAuthorizedException ("Invalid Refresh Token",
// "Refresh Token has been revoked", "Refresh Token has expired", "User is
// disabled.") or RefreshTokenReuseException.
//
// auth_time, origin_jti and the granted scopes carry over; attributes and
// groups are read again. A rotated token keeps its family's expiry (the
// session does not grow by rotating), and the token it replaces keeps
// working for the client's grace period.
func (i *Issuer) Refresh(ctx context.Context, client storage.Client, token string, flow Flow) (Result, error) {
	rec, err := i.LookupRefresh(ctx, token)
	if err != nil {
		return Result{}, err
	}
	if rec.ClientID != client.ClientID {
		return Result{}, errInvalidRefresh
	}
	user, err := i.Store.GetUser(ctx, rec.PoolID, rec.UsernameKey)
	if errors.Is(err, storage.ErrNotFound) {
		// Cognito's wording for a deleted user's token is unverified.
		return Result{}, errInvalidRefresh
	}
	if err != nil {
		return Result{}, fmt.Errorf("tokens: get user: %w", err)
	}
	now := i.Clock.Now()
	revoked, err := i.refreshRevoked(ctx, rec, user)
	if err != nil {
		return Result{}, err
	}
	switch {
	case revoked:
		return Result{}, errRefreshRevoked
	case !now.Before(rec.ExpiresAt):
		return Result{}, errRefreshExpired
	case !user.Enabled:
		return Result{}, errUserDisabled
	}
	if err := i.markRotated(ctx, client, rec, now); err != nil {
		return Result{}, err
	}
	pool, err := i.Store.GetPool(ctx, rec.PoolID)
	if err != nil {
		return Result{}, fmt.Errorf("tokens: get pool: %w", err)
	}
	return i.issue(ctx, Request{
		Pool: pool, Client: client, User: user, Flow: flow,
		Scopes: rec.Scopes, AuthTime: rec.AuthTime, OriginJTI: rec.OriginJTI,
		WithRefresh: client.RefreshTokenRotation,
	}, rec.ExpiresAt)
}

// refreshRevoked reports whether the token, its family, or everything the
// user held before a global sign-out was revoked. A token created in the
// same instant as the sign-out counts as before it, as access tokens do.
func (i *Issuer) refreshRevoked(ctx context.Context, rec storage.RefreshToken, user storage.User) (bool, error) {
	if !rec.RevokedAt.IsZero() {
		return true, nil
	}
	if !user.SignedOutAt.IsZero() && !rec.IssuedAt.After(user.SignedOutAt) {
		return true, nil
	}
	revoked, err := i.Store.IsOriginRevoked(ctx, rec.PoolID, rec.OriginJTI)
	if err != nil {
		return false, fmt.Errorf("tokens: check revocation: %w", err)
	}
	return revoked, nil
}

// markRotated enforces rotation: the first use of a token under rotation
// marks it replaced; later uses pass only within the grace period, then
// fail with RefreshTokenReuseException. Without rotation nothing changes.
// The check and the mark are one storage update, so a token is replaced
// once however many requests race.
func (i *Issuer) markRotated(ctx context.Context, client storage.Client, rec storage.RefreshToken, now time.Time) error {
	if !client.RefreshTokenRotation && rec.RotatedAt.IsZero() {
		return nil
	}
	err := i.Store.UpdateRefreshToken(ctx, rec.Hash, func(t *storage.RefreshToken) error {
		if t.RotatedAt.IsZero() {
			if !client.RefreshTokenRotation {
				return storage.ErrNoChange
			}
			t.RotatedAt = now
			return nil
		}
		if !now.Before(t.RotatedAt.Add(client.RotationGracePeriod)) {
			return errRefreshReused
		}
		return storage.ErrNoChange
	})
	var exc *exception.Error
	if errors.As(err, &exc) {
		return exc
	}
	if err != nil {
		return fmt.Errorf("tokens: mark refresh token rotated: %w", err)
	}
	return nil
}

// Revoke revokes the refresh token's family (RevokeToken, /oauth2/revoke).
// Unknown tokens succeed silently; access/ID tokens give
// UnsupportedTokenTypeException; a client without revocation gives
// UnsupportedOperationException; a token of another client gives
// UnauthorizedException (RevokeToken's model declares no
// NotAuthorizedException, so this is the error an SDK can type; the OAuth
// endpoint maps it to 401 invalid_client).
func (i *Issuer) Revoke(ctx context.Context, client storage.Client, token string) error {
	if !client.EnableTokenRevocation {
		return exception.New(exception.UnsupportedOperation, "Token revocation is not enabled for this client.")
	}
	if strings.Count(token, ".") == 2 {
		return exception.New(exception.UnsupportedTokenType, "Only refresh tokens can be revoked.")
	}
	rec, err := i.Store.GetRefreshToken(ctx, HashRefreshToken(token))
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("tokens: get refresh token: %w", err)
	}
	if rec.ClientID != client.ClientID {
		return exception.New(exception.Unauthorized, "The token was not issued to this client.")
	}
	now := i.Clock.Now()
	// Every refresh token of the family expires by rec.ExpiresAt (rotation
	// keeps the family's expiry) and every access token by now + 1 day, so
	// the revocation may be forgotten after the later of the two.
	expires := now.Add(MaxTokenValidity)
	if rec.ExpiresAt.After(expires) {
		expires = rec.ExpiresAt
	}
	if err := i.Store.RevokeOrigin(ctx, storage.Revocation{PoolID: rec.PoolID, OriginJTI: rec.OriginJTI, RevokedAt: now, ExpiresAt: expires}); err != nil {
		return fmt.Errorf("tokens: revoke family: %w", err)
	}
	err = i.Store.UpdateRefreshToken(ctx, rec.Hash, func(t *storage.RefreshToken) error {
		if !t.RevokedAt.IsZero() {
			return storage.ErrNoChange
		}
		t.RevokedAt = now
		return nil
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("tokens: mark refresh token revoked: %w", err)
	}
	return nil
}
