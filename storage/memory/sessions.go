package memory

import (
	"context"
	"fmt"

	"github.com/locognito/locognito/storage"
)

// Errors name no session ID: it is the hash of the cookie.

func (s *Store) CreateSession(_ context.Context, sess storage.Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePool("create session", sess.PoolID); err != nil {
		return err
	}
	if _, ok := s.sessions[sess.ID]; ok {
		return fmt.Errorf("memory: create session: %w", storage.ErrAlreadyExists)
	}
	s.sessions[sess.ID] = cloneSession(sess)
	return nil
}

func (s *Store) GetSession(_ context.Context, id string) (storage.Session, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sess, ok := s.sessions[id]
	if !ok {
		return storage.Session{}, fmt.Errorf("memory: get session: %w", storage.ErrNotFound)
	}
	return cloneSession(sess), nil
}

// UpdateSession runs fn on a copy; ID and PoolID cannot change.
func (s *Store) UpdateSession(_ context.Context, id string, fn func(*storage.Session) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.sessions[id]
	if !ok {
		return fmt.Errorf("memory: update session: %w", storage.ErrNotFound)
	}
	sess := cloneSession(cur)
	if err := fn(&sess); err != nil {
		return updateErr(err)
	}
	sess.ID, sess.PoolID = cur.ID, cur.PoolID
	s.sessions[id] = cloneSession(sess)
	return nil
}

func (s *Store) DeleteSession(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[id]; !ok {
		return fmt.Errorf("memory: delete session: %w", storage.ErrNotFound)
	}
	delete(s.sessions, id)
	return nil
}
