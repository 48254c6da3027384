package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/locognito/locognito/storage"
)

// CreateClient fails with ErrAlreadyExists when the ClientID is taken and
// with ErrNotFound when the pool does not exist.
func (s *Store) CreateClient(_ context.Context, c storage.Client) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePool("create client", c.PoolID); err != nil {
		return err
	}
	if _, ok := s.clients[c.ClientID]; ok {
		return fmt.Errorf("memory: create client %q: %w", c.ClientID, storage.ErrAlreadyExists)
	}
	s.clients[c.ClientID] = cloneClient(c)
	return nil
}

func (s *Store) GetClient(_ context.Context, clientID string) (storage.Client, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.clients[clientID]
	if !ok {
		return storage.Client{}, fmt.Errorf("memory: get client %q: %w", clientID, storage.ErrNotFound)
	}
	return cloneClient(c), nil
}

func (s *Store) ListClients(_ context.Context, poolID string) ([]storage.Client, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []storage.Client{}
	for _, c := range s.clients {
		if c.PoolID == poolID {
			out = append(out, cloneClient(c))
		}
	}
	slices.SortFunc(out, func(a, b storage.Client) int { return cmp.Compare(a.ClientID, b.ClientID) })
	return out, nil
}

// UpdateClient runs fn on a copy of the client; ClientID and PoolID cannot
// change.
func (s *Store) UpdateClient(_ context.Context, clientID string, fn func(*storage.Client) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.clients[clientID]
	if !ok {
		return fmt.Errorf("memory: update client %q: %w", clientID, storage.ErrNotFound)
	}
	c := cloneClient(cur)
	if err := fn(&c); err != nil {
		return updateErr(err)
	}
	c.ClientID, c.PoolID = cur.ClientID, cur.PoolID
	s.clients[clientID] = cloneClient(c)
	return nil
}

func (s *Store) DeleteClient(_ context.Context, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.clients[clientID]; !ok {
		return fmt.Errorf("memory: delete client %q: %w", clientID, storage.ErrNotFound)
	}
	delete(s.clients, clientID)
	return nil
}
