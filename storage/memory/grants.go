package memory

import (
	"context"
	"fmt"
	"time"

	"github.com/locognito/locognito/storage"
)

// Errors name the grant kind but not its ID, which may be a token signature.

// CreateGrant fails with ErrAlreadyExists when (Kind, ID) is taken. A grant
// may have no PoolID; when it has one, the pool must exist (ErrNotFound).
func (s *Store) CreateGrant(_ context.Context, g storage.Grant) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g.PoolID != "" {
		if err := s.requirePool("create grant", g.PoolID); err != nil {
			return err
		}
	}
	k := grantKey{g.Kind, g.ID}
	if _, ok := s.grants[k]; ok {
		return fmt.Errorf("memory: create %s grant: %w", g.Kind, storage.ErrAlreadyExists)
	}
	s.grants[k] = cloneGrant(g)
	return nil
}

func (s *Store) GetGrant(_ context.Context, kind, id string) (storage.Grant, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, ok := s.grants[grantKey{kind, id}]
	if !ok {
		return storage.Grant{}, fmt.Errorf("memory: get %s grant: %w", kind, storage.ErrNotFound)
	}
	return cloneGrant(g), nil
}

// ConsumeGrant marks the grant consumed and returns it as it was before
// (Consumed false). A consumed grant gives ErrConflict.
func (s *Store) ConsumeGrant(_ context.Context, kind, id string) (storage.Grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := grantKey{kind, id}
	g, ok := s.grants[k]
	if !ok {
		return storage.Grant{}, fmt.Errorf("memory: consume %s grant: %w", kind, storage.ErrNotFound)
	}
	if g.Consumed {
		return storage.Grant{}, fmt.Errorf("memory: consume %s grant: already consumed: %w", kind, storage.ErrConflict)
	}
	out := cloneGrant(g)
	g.Consumed = true
	s.grants[k] = g
	return out, nil
}

func (s *Store) DeleteGrant(_ context.Context, kind, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := grantKey{kind, id}
	if _, ok := s.grants[k]; !ok {
		return fmt.Errorf("memory: delete %s grant: %w", kind, storage.ErrNotFound)
	}
	delete(s.grants, k)
	return nil
}

// DeleteExpiredGrants removes grants whose ExpiresAt is set and before the
// given time, consumed or not.
func (s *Store) DeleteExpiredGrants(_ context.Context, before time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return deleteExpired(s.grants, before, func(g storage.Grant) time.Time { return g.ExpiresAt }), nil
}
