package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/locognito/locognito/storage"
)

func (s *Store) CreateGroup(_ context.Context, g storage.Group) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePool("create group", g.PoolID); err != nil {
		return err
	}
	k := poolKey{g.PoolID, g.Name}
	if _, ok := s.groups[k]; ok {
		return fmt.Errorf("memory: create group %q: %w", g.Name, storage.ErrAlreadyExists)
	}
	s.groups[k] = cloneGroup(g)
	return nil
}

func (s *Store) GetGroup(_ context.Context, poolID, name string) (storage.Group, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, ok := s.groups[poolKey{poolID, name}]
	if !ok {
		return storage.Group{}, fmt.Errorf("memory: get group %q: %w", name, storage.ErrNotFound)
	}
	return cloneGroup(g), nil
}

func (s *Store) ListGroups(_ context.Context, poolID string) ([]storage.Group, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []storage.Group{}
	for k, g := range s.groups {
		if k.pool == poolID {
			out = append(out, cloneGroup(g))
		}
	}
	sortGroups(out)
	return out, nil
}

func sortGroups(gs []storage.Group) {
	slices.SortFunc(gs, func(a, b storage.Group) int { return cmp.Compare(a.Name, b.Name) })
}

// UpdateGroup runs fn on a copy of the group; PoolID and Name cannot change.
func (s *Store) UpdateGroup(_ context.Context, poolID, name string, fn func(*storage.Group) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := poolKey{poolID, name}
	cur, ok := s.groups[k]
	if !ok {
		return fmt.Errorf("memory: update group %q: %w", name, storage.ErrNotFound)
	}
	g := cloneGroup(cur)
	if err := fn(&g); err != nil {
		return updateErr(err)
	}
	g.PoolID, g.Name = poolID, name
	s.groups[k] = cloneGroup(g)
	return nil
}

// DeleteGroup removes the group and its memberships.
func (s *Store) DeleteGroup(_ context.Context, poolID, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := poolKey{poolID, name}
	if _, ok := s.groups[k]; !ok {
		return fmt.Errorf("memory: delete group %q: %w", name, storage.ErrNotFound)
	}
	delete(s.groups, k)
	delete(s.members, k)
	return nil
}

// AddUserToGroup is idempotent; it fails with ErrNotFound when the group or
// the user does not exist.
func (s *Store) AddUserToGroup(_ context.Context, poolID, groupName, usernameKey string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := poolKey{poolID, groupName}
	if _, ok := s.groups[k]; !ok {
		return fmt.Errorf("memory: add user to group %q: %w", groupName, storage.ErrNotFound)
	}
	if _, ok := s.users[poolKey{poolID, usernameKey}]; !ok {
		return fmt.Errorf("memory: add user %q to group: %w", usernameKey, storage.ErrNotFound)
	}
	m := s.members[k]
	if m == nil {
		m = map[string]struct{}{}
		s.members[k] = m
	}
	m[usernameKey] = struct{}{}
	return nil
}

// RemoveUserFromGroup is idempotent; it fails with ErrNotFound only when the
// group does not exist.
func (s *Store) RemoveUserFromGroup(_ context.Context, poolID, groupName, usernameKey string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := poolKey{poolID, groupName}
	if _, ok := s.groups[k]; !ok {
		return fmt.Errorf("memory: remove user from group %q: %w", groupName, storage.ErrNotFound)
	}
	delete(s.members[k], usernameKey)
	return nil
}

// ListGroupsForUser returns no groups (and no error) for an unknown user.
func (s *Store) ListGroupsForUser(_ context.Context, poolID, usernameKey string) ([]storage.Group, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []storage.Group{}
	for k, m := range s.members {
		if k.pool != poolID {
			continue
		}
		if _, ok := m[usernameKey]; ok {
			out = append(out, cloneGroup(s.groups[k]))
		}
	}
	sortGroups(out)
	return out, nil
}

// ListUsersInGroup fails with ErrNotFound when the group does not exist.
func (s *Store) ListUsersInGroup(_ context.Context, poolID, groupName string) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k := poolKey{poolID, groupName}
	if _, ok := s.groups[k]; !ok {
		return nil, fmt.Errorf("memory: list users in group %q: %w", groupName, storage.ErrNotFound)
	}
	out := []string{}
	for u := range s.members[k] {
		out = append(out, u)
	}
	slices.Sort(out)
	return out, nil
}
