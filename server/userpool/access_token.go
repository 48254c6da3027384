package userpool

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/storage"
)

// ScopeUserAdmin is the scope the self-service APIs need (spec §5.3).
const ScopeUserAdmin = "aws.cognito.signin.user.admin"

var errTokenRevoked = exception.New(exception.NotAuthorized, "Access Token has been revoked")

// UserFromAccessToken authenticates a self-service call (GetUser,
// UpdateUserAttributes, ChangePassword, DeleteUser, GlobalSignOut, …): the
// token must verify (signature, expiry, revocation: tokens.VerifyAccess)
// and carry aws.cognito.signin.user.admin, and its user must still be the
// one it was issued to.
func (s *Service) UserFromAccessToken(ctx context.Context, token string) (storage.Pool, storage.User, tokens.AccessClaims, error) {
	claims, err := s.Tokens.VerifyAccess(ctx, token)
	if err != nil {
		return storage.Pool{}, storage.User{}, claims, err
	}
	if !slices.Contains(claims.Scopes, ScopeUserAdmin) {
		return storage.Pool{}, storage.User{}, claims, exception.New(exception.NotAuthorized, "Access Token does not have required scopes")
	}
	p, err := s.Store.GetPool(ctx, claims.PoolID)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Pool{}, storage.User{}, claims, errTokenRevoked
	}
	if err != nil {
		return storage.Pool{}, storage.User{}, claims, fmt.Errorf("get pool: %w", err)
	}
	u, err := s.Store.GetUser(ctx, p.ID, UsernameKey(p, claims.Username))
	if errors.Is(err, storage.ErrNotFound) {
		return p, storage.User{}, claims, errTokenRevoked
	}
	if err != nil {
		return p, storage.User{}, claims, fmt.Errorf("get user: %w", err)
	}
	// A user deleted and created again under the same name is someone else;
	// a disabled user's tokens are revoked (spec §5.6).
	if (claims.Sub != "" && u.Sub != claims.Sub) || !u.Enabled {
		return p, storage.User{}, claims, errTokenRevoked
	}
	return p, u, claims, nil
}
