package userpool

import (
	"context"
	"errors"
	"fmt"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// GlobalSignOut signs the access token's user out everywhere (spec §5.6):
// every access token issued so far and every refresh token stop working.
func (s *Service) GlobalSignOut(ctx context.Context, accessToken string) error {
	p, u, _, err := s.UserFromAccessToken(ctx, accessToken)
	if err != nil {
		return err
	}
	return s.signOutUser(ctx, p, u)
}

// AdminUserGlobalSignOut is GlobalSignOut by pool and username (or alias).
func (s *Service) AdminUserGlobalSignOut(ctx context.Context, poolID, username string) error {
	p, u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	return s.signOutUser(ctx, p, u)
}

// signOutUser moves the user's sign-out watermark to now. The token checks
// refuse access tokens issued at or before it and refresh tokens created
// before it; hosted-UI sessions are kept (only /logout ends them).
func (s *Service) signOutUser(ctx context.Context, p storage.Pool, u storage.User) error {
	now := s.Clock.Now()
	err := s.Store.UpdateUser(ctx, p.ID, u.UsernameKey, func(u *storage.User) error {
		u.SignedOutAt = now
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return errUserNotFound
	}
	if err != nil {
		return fmt.Errorf("global sign-out: %w", err)
	}
	return nil
}

// RevokeToken revokes a refresh token and every token of its family
// (spec §5.6). The client proves itself with its raw secret; RevokeToken's
// error set has no NotAuthorizedException or ResourceNotFoundException, so
// a bad client is UnauthorizedException.
func (s *Service) RevokeToken(ctx context.Context, clientID, clientSecret, token string) error {
	c, err := s.Store.GetClient(ctx, clientID)
	if errors.Is(err, storage.ErrNotFound) {
		return errBadRevokeClient
	}
	if err != nil {
		return fmt.Errorf("get client: %w", err)
	}
	if c.Secret != "" && (clientSecret == "" || !CheckClientSecret(c, clientSecret)) {
		return errBadRevokeClient
	}
	return s.Tokens.Revoke(ctx, c, token)
}

var errBadRevokeClient = exception.New(exception.Unauthorized, "Client authentication failed.")
