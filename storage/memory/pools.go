package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/locognito/locognito/storage"
)

func (s *Store) CreatePool(_ context.Context, p storage.Pool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.pools[p.ID]; ok {
		return fmt.Errorf("memory: create pool %q: %w", p.ID, storage.ErrAlreadyExists)
	}
	s.pools[p.ID] = clonePool(p)
	return nil
}

func (s *Store) GetPool(_ context.Context, id string) (storage.Pool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.pools[id]
	if !ok {
		return storage.Pool{}, fmt.Errorf("memory: get pool %q: %w", id, storage.ErrNotFound)
	}
	return clonePool(p), nil
}

func (s *Store) ListPools(context.Context) ([]storage.Pool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]storage.Pool, 0, len(s.pools))
	for _, p := range s.pools {
		out = append(out, clonePool(p))
	}
	slices.SortFunc(out, func(a, b storage.Pool) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// UpdatePool runs fn on a copy of the pool; the ID cannot change.
func (s *Store) UpdatePool(_ context.Context, id string, fn func(*storage.Pool) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.pools[id]
	if !ok {
		return fmt.Errorf("memory: update pool %q: %w", id, storage.ErrNotFound)
	}
	p := clonePool(cur)
	if err := fn(&p); err != nil {
		return updateErr(err)
	}
	p.ID = id
	s.pools[id] = clonePool(p)
	return nil
}

// DeletePool removes the pool and every record that belongs to it.
func (s *Store) DeletePool(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.pools[id]; !ok {
		return fmt.Errorf("memory: delete pool %q: %w", id, storage.ErrNotFound)
	}
	delete(s.pools, id)
	for k, c := range s.clients {
		if c.PoolID == id {
			delete(s.clients, k)
		}
	}
	deletePoolKeys(s.users, id)
	deletePoolKeys(s.subs, id)
	deletePoolKeys(s.groups, id)
	deletePoolKeys(s.members, id)
	deletePoolKeys(s.resourceServers, id)
	deletePoolKeys(s.revocations, id)
	for k, t := range s.refreshTokens {
		if t.PoolID == id {
			delete(s.refreshTokens, k)
		}
	}
	for k, g := range s.grants {
		if g.PoolID == id {
			delete(s.grants, k)
		}
	}
	for k, sess := range s.sessions {
		if sess.PoolID == id {
			delete(s.sessions, k)
		}
	}
	delete(s.keySets, id)
	s.messages = slices.DeleteFunc(s.messages, func(m storage.Message) bool { return m.PoolID == id })
	return nil
}

func deletePoolKeys[V any](m map[poolKey]V, poolID string) {
	for k := range m {
		if k.pool == poolID {
			delete(m, k)
		}
	}
}
