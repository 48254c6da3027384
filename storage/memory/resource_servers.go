package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/locognito/locognito/storage"
)

func (s *Store) CreateResourceServer(_ context.Context, r storage.ResourceServer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePool("create resource server", r.PoolID); err != nil {
		return err
	}
	k := poolKey{r.PoolID, r.Identifier}
	if _, ok := s.resourceServers[k]; ok {
		return fmt.Errorf("memory: create resource server %q: %w", r.Identifier, storage.ErrAlreadyExists)
	}
	s.resourceServers[k] = cloneResourceServer(r)
	return nil
}

func (s *Store) GetResourceServer(_ context.Context, poolID, identifier string) (storage.ResourceServer, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.resourceServers[poolKey{poolID, identifier}]
	if !ok {
		return storage.ResourceServer{}, fmt.Errorf("memory: get resource server %q: %w", identifier, storage.ErrNotFound)
	}
	return cloneResourceServer(r), nil
}

// ListResourceServers returns the pool's resource servers ordered by
// Identifier.
func (s *Store) ListResourceServers(_ context.Context, poolID string) ([]storage.ResourceServer, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []storage.ResourceServer{}
	for k, r := range s.resourceServers {
		if k.pool == poolID {
			out = append(out, cloneResourceServer(r))
		}
	}
	slices.SortFunc(out, func(a, b storage.ResourceServer) int { return cmp.Compare(a.Identifier, b.Identifier) })
	return out, nil
}

// UpdateResourceServer runs fn on a copy; PoolID and Identifier cannot change.
func (s *Store) UpdateResourceServer(_ context.Context, poolID, identifier string, fn func(*storage.ResourceServer) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := poolKey{poolID, identifier}
	cur, ok := s.resourceServers[k]
	if !ok {
		return fmt.Errorf("memory: update resource server %q: %w", identifier, storage.ErrNotFound)
	}
	r := cloneResourceServer(cur)
	if err := fn(&r); err != nil {
		return updateErr(err)
	}
	r.PoolID, r.Identifier = poolID, identifier
	s.resourceServers[k] = cloneResourceServer(r)
	return nil
}

func (s *Store) DeleteResourceServer(_ context.Context, poolID, identifier string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := poolKey{poolID, identifier}
	if _, ok := s.resourceServers[k]; !ok {
		return fmt.Errorf("memory: delete resource server %q: %w", identifier, storage.ErrNotFound)
	}
	delete(s.resourceServers, k)
	return nil
}
