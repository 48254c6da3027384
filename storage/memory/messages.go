package memory

import (
	"context"
	"slices"

	"github.com/locognito/locognito/storage"
)

// AddMessage fails with ErrNotFound when the pool does not exist.
func (s *Store) AddMessage(_ context.Context, m storage.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePool("add message", m.PoolID); err != nil {
		return err
	}
	s.messages = append(s.messages, cloneMessage(m))
	return nil
}

// ListMessages returns messages ordered by CreatedAt, ties in the order they
// were added. The username must match exactly.
func (s *Store) ListMessages(_ context.Context, poolID, username string) ([]storage.Message, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []storage.Message{}
	for _, m := range s.messages {
		if m.PoolID == poolID && (username == "" || m.Username == username) {
			out = append(out, cloneMessage(m))
		}
	}
	slices.SortStableFunc(out, func(a, b storage.Message) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}
