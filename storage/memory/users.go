package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/locognito/locognito/storage"
)

// CreateUser fails with ErrAlreadyExists when the UsernameKey or the
// (non-empty) Sub is taken in the pool, and with ErrNotFound when the pool
// does not exist.
func (s *Store) CreateUser(_ context.Context, u storage.User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePool("create user", u.PoolID); err != nil {
		return err
	}
	k := poolKey{u.PoolID, u.UsernameKey}
	if _, ok := s.users[k]; ok {
		return fmt.Errorf("memory: create user %q: %w", u.UsernameKey, storage.ErrAlreadyExists)
	}
	if u.Sub != "" {
		if _, ok := s.subs[poolKey{u.PoolID, u.Sub}]; ok {
			return fmt.Errorf("memory: create user %q: sub %q: %w", u.UsernameKey, u.Sub, storage.ErrAlreadyExists)
		}
		s.subs[poolKey{u.PoolID, u.Sub}] = u.UsernameKey
	}
	s.users[k] = cloneUser(u)
	return nil
}

func (s *Store) GetUser(_ context.Context, poolID, usernameKey string) (storage.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.users[poolKey{poolID, usernameKey}]
	if !ok {
		return storage.User{}, fmt.Errorf("memory: get user %q: %w", usernameKey, storage.ErrNotFound)
	}
	return cloneUser(u), nil
}

func (s *Store) GetUserBySub(_ context.Context, poolID, sub string) (storage.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	key, ok := s.subs[poolKey{poolID, sub}]
	if !ok { // an empty sub is never indexed
		return storage.User{}, fmt.Errorf("memory: get user by sub %q: %w", sub, storage.ErrNotFound)
	}
	return cloneUser(s.users[poolKey{poolID, key}]), nil
}

// FindUsersByAttribute compares lower-cased values when fold is set, as
// Postgres lower() does. Users without the attribute never match.
func (s *Store) FindUsersByAttribute(_ context.Context, poolID, name, value string, fold bool) ([]storage.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if fold {
		value = strings.ToLower(value)
	}
	out := []storage.User{}
	for k, u := range s.users {
		if k.pool != poolID {
			continue
		}
		v, ok := u.Attributes[name]
		if !ok {
			continue
		}
		if fold {
			v = strings.ToLower(v)
		}
		if v == value {
			out = append(out, cloneUser(u))
		}
	}
	sortUsers(out)
	return out, nil
}

func (s *Store) ListUsers(_ context.Context, poolID string) ([]storage.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []storage.User{}
	for k, u := range s.users {
		if k.pool == poolID {
			out = append(out, cloneUser(u))
		}
	}
	sortUsers(out)
	return out, nil
}

func sortUsers(us []storage.User) {
	slices.SortFunc(us, func(a, b storage.User) int { return cmp.Compare(a.UsernameKey, b.UsernameKey) })
}

// UpdateUser runs fn on a copy of the user; PoolID and UsernameKey cannot
// change. A new Sub must be free in the pool (ErrAlreadyExists otherwise).
func (s *Store) UpdateUser(_ context.Context, poolID, usernameKey string, fn func(*storage.User) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := poolKey{poolID, usernameKey}
	cur, ok := s.users[k]
	if !ok {
		return fmt.Errorf("memory: update user %q: %w", usernameKey, storage.ErrNotFound)
	}
	u := cloneUser(cur)
	if err := fn(&u); err != nil {
		return updateErr(err)
	}
	u.PoolID, u.UsernameKey = poolID, usernameKey
	if u.Sub != cur.Sub {
		if u.Sub != "" {
			if _, taken := s.subs[poolKey{poolID, u.Sub}]; taken {
				return fmt.Errorf("memory: update user %q: sub %q: %w", usernameKey, u.Sub, storage.ErrAlreadyExists)
			}
			s.subs[poolKey{poolID, u.Sub}] = usernameKey
		}
		if cur.Sub != "" {
			delete(s.subs, poolKey{poolID, cur.Sub})
		}
	}
	s.users[k] = cloneUser(u)
	return nil
}

// DeleteUser removes the user and its group memberships.
func (s *Store) DeleteUser(_ context.Context, poolID, usernameKey string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := poolKey{poolID, usernameKey}
	u, ok := s.users[k]
	if !ok {
		return fmt.Errorf("memory: delete user %q: %w", usernameKey, storage.ErrNotFound)
	}
	delete(s.users, k)
	if u.Sub != "" {
		delete(s.subs, poolKey{poolID, u.Sub})
	}
	for g, m := range s.members {
		if g.pool == poolID {
			delete(m, usernameKey)
		}
	}
	return nil
}
