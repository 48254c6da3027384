package memory

import (
	"context"
	"fmt"
	"time"

	"github.com/locognito/locognito/storage"
)

// Errors name no token hash: a hash is as good as a key to the record.

func (s *Store) CreateRefreshToken(_ context.Context, t storage.RefreshToken) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePool("create refresh token", t.PoolID); err != nil {
		return err
	}
	if _, ok := s.refreshTokens[t.Hash]; ok {
		return fmt.Errorf("memory: create refresh token: %w", storage.ErrAlreadyExists)
	}
	s.refreshTokens[t.Hash] = cloneRefreshToken(t)
	return nil
}

func (s *Store) GetRefreshToken(_ context.Context, hash string) (storage.RefreshToken, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := s.refreshTokens[hash]
	if !ok {
		return storage.RefreshToken{}, fmt.Errorf("memory: get refresh token: %w", storage.ErrNotFound)
	}
	return cloneRefreshToken(t), nil
}

// UpdateRefreshToken runs fn on a copy; Hash and PoolID cannot change.
func (s *Store) UpdateRefreshToken(_ context.Context, hash string, fn func(*storage.RefreshToken) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.refreshTokens[hash]
	if !ok {
		return fmt.Errorf("memory: update refresh token: %w", storage.ErrNotFound)
	}
	t := cloneRefreshToken(cur)
	if err := fn(&t); err != nil {
		return updateErr(err)
	}
	t.Hash, t.PoolID = cur.Hash, cur.PoolID
	s.refreshTokens[hash] = cloneRefreshToken(t)
	return nil
}

// DeleteExpiredRefreshTokens removes tokens whose ExpiresAt is set and before
// the given time.
func (s *Store) DeleteExpiredRefreshTokens(_ context.Context, before time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return deleteExpired(s.refreshTokens, before, func(t storage.RefreshToken) time.Time { return t.ExpiresAt }), nil
}
