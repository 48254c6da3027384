package userpool

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/storage"
)

// Service implements the user-pool rules on top of storage.
type Service struct {
	Store  storage.Storage
	Tokens *tokens.Issuer
	Keys   *keys.Manager
	Clock  clock.Clock
	Log    *slog.Logger
	// Region prefixes new pool ids.
	Region string
	// BcryptCost for password hashes (default 10).
	BcryptCost int
	// FixedCode, when set, is every confirmation and reset code (hermetic tests).
	FixedCode string
	// DisableLockout turns off the failed-sign-in lockout (spec §11.2).
	DisableLockout bool
	// SRPTimestampSkew bounds how far PASSWORD_VERIFIER's TIMESTAMP may be
	// from the clock (spec §9.3); zero means 5 minutes.
	SRPTimestampSkew time.Duration
}

// Pool returns the pool or ResourceNotFoundException.
func (s *Service) Pool(ctx context.Context, poolID string) (storage.Pool, error) {
	p, err := s.Store.GetPool(ctx, poolID)
	if errors.Is(err, storage.ErrNotFound) {
		return p, exception.Newf(exception.ResourceNotFound, "User pool %s does not exist.", poolID)
	}
	if err != nil {
		return p, fmt.Errorf("get pool: %w", err)
	}
	return p, nil
}

// Client returns the app client or ResourceNotFoundException. When poolID is
// not empty the client must belong to it.
func (s *Service) Client(ctx context.Context, poolID, clientID string) (storage.Client, error) {
	c, err := s.Store.GetClient(ctx, clientID)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && poolID != "" && c.PoolID != poolID) {
		return storage.Client{}, exception.Newf(exception.ResourceNotFound, "User pool client %s does not exist.", clientID)
	}
	if err != nil {
		return c, fmt.Errorf("get client: %w", err)
	}
	return c, nil
}

// PoolAndClient resolves a public call's ClientId to its client and pool.
func (s *Service) PoolAndClient(ctx context.Context, clientID string) (storage.Pool, storage.Client, error) {
	c, err := s.Client(ctx, "", clientID)
	if err != nil {
		return storage.Pool{}, c, err
	}
	p, err := s.Pool(ctx, c.PoolID)
	return p, c, err
}

// UsernameKey is the storage key of a username in the pool.
func UsernameKey(p storage.Pool, username string) string {
	if p.CaseSensitive {
		return username
	}
	return strings.ToLower(username)
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}
