package conformance

import (
	"context"
	"testing"

	"github.com/locognito/locognito/storage"
)

func testGroups(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	recordCase[storage.Group]{
		full:    func() storage.Group { return fullGroup(poolA, "admins") },
		minimal: func() storage.Group { return storage.Group{PoolID: poolA, Name: "readers"} },
		orphan:  func() storage.Group { return fullGroup(noPool, "admins") },
		create:  func(ctx context.Context, s storage.Storage, g storage.Group) error { return s.CreateGroup(ctx, g) },
		get: func(ctx context.Context, s storage.Storage, g storage.Group) (storage.Group, error) {
			return s.GetGroup(ctx, g.PoolID, g.Name)
		},
		update: func(ctx context.Context, s storage.Storage, g storage.Group, fn func(*storage.Group) error) error {
			return s.UpdateGroup(ctx, g.PoolID, g.Name, fn)
		},
		keepKeys: func(dst *storage.Group, src storage.Group) { dst.PoolID, dst.Name = src.PoolID, src.Name },
	}.run(t, s)

	must(t, "CreateGroup same name in other pool", s.CreateGroup(ctx, fullGroup(poolB, "admins")))
	must(t, "CreateGroup", s.CreateGroup(ctx, fullGroup(poolA, "Editors")))
	groups, err := s.ListGroups(ctx, poolA)
	must(t, "ListGroups", err)
	var names []string
	for _, g := range groups {
		names = append(names, g.Name)
	}
	checkNames(t, "ListGroups names", names, []string{"Editors", "admins", "readers"})

	must(t, "DeleteGroup", s.DeleteGroup(ctx, poolA, "admins"))
	_, err = s.GetGroup(ctx, poolA, "admins")
	wantErr(t, "GetGroup deleted", err, storage.ErrNotFound)
	wantErr(t, "DeleteGroup again", s.DeleteGroup(ctx, poolA, "admins"), storage.ErrNotFound)
	if _, err := s.GetGroup(ctx, poolB, "admins"); err != nil {
		t.Errorf("GetGroup in the other pool: %v", err)
	}
}

func testGroupMembership(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	for _, name := range []string{"b-group", "a-group", "C-group"} {
		must(t, "CreateGroup", s.CreateGroup(ctx, fullGroup(poolA, name)))
	}
	must(t, "CreateGroup", s.CreateGroup(ctx, fullGroup(poolB, "a-group")))
	for _, key := range []string{"alice", "bob", "Zed"} {
		must(t, "CreateUser", s.CreateUser(ctx, fullUser(poolA, key, "sub-"+key)))
	}
	must(t, "CreateUser", s.CreateUser(ctx, fullUser(poolB, "alice", "sub-alice")))

	members := func(group string) []string {
		t.Helper()
		keys, err := s.ListUsersInGroup(ctx, poolA, group)
		must(t, "ListUsersInGroup "+group, err)
		return keys
	}
	groupsOf := func(key string) []string {
		t.Helper()
		groups, err := s.ListGroupsForUser(ctx, poolA, key)
		must(t, "ListGroupsForUser "+key, err)
		var names []string
		for _, g := range groups {
			if g.PoolID != poolA {
				t.Errorf("ListGroupsForUser(%s) returned a group of pool %s", poolA, g.PoolID)
			}
			names = append(names, g.Name)
		}
		return names
	}

	checkNames(t, "members of an empty group", members("a-group"), []string(nil))
	checkNames(t, "groups of a user in none", groupsOf("alice"), []string(nil))
	checkNames(t, "groups of an unknown user", groupsOf("nobody"), []string(nil))

	for range 2 { // idempotent
		must(t, "AddUserToGroup", s.AddUserToGroup(ctx, poolA, "a-group", "bob"))
		must(t, "AddUserToGroup", s.AddUserToGroup(ctx, poolA, "a-group", "alice"))
		must(t, "AddUserToGroup", s.AddUserToGroup(ctx, poolA, "a-group", "Zed"))
		must(t, "AddUserToGroup", s.AddUserToGroup(ctx, poolA, "b-group", "alice"))
		must(t, "AddUserToGroup", s.AddUserToGroup(ctx, poolA, "C-group", "alice"))
	}
	must(t, "AddUserToGroup other pool", s.AddUserToGroup(ctx, poolB, "a-group", "alice"))
	checkNames(t, "members of a-group", members("a-group"), []string{"Zed", "alice", "bob"})
	checkNames(t, "groups of alice", groupsOf("alice"), []string{"C-group", "a-group", "b-group"})
	groups, err := s.ListGroupsForUser(ctx, poolA, "alice")
	must(t, "ListGroupsForUser", err)
	check(t, "group record from ListGroupsForUser", groups[0], fullGroup(poolA, "C-group"))

	wantErr(t, "AddUserToGroup missing group", s.AddUserToGroup(ctx, poolA, "nope", "alice"), storage.ErrNotFound)
	wantErr(t, "AddUserToGroup missing user", s.AddUserToGroup(ctx, poolA, "a-group", "nobody"), storage.ErrNotFound)
	wantErr(t, "AddUserToGroup user of another pool", s.AddUserToGroup(ctx, poolB, "a-group", "bob"), storage.ErrNotFound)
	wantErr(t, "RemoveUserFromGroup missing group", s.RemoveUserFromGroup(ctx, poolA, "nope", "alice"), storage.ErrNotFound)
	_, err = s.ListUsersInGroup(ctx, poolA, "nope")
	wantErr(t, "ListUsersInGroup missing group", err, storage.ErrNotFound)

	for range 2 { // idempotent
		must(t, "RemoveUserFromGroup", s.RemoveUserFromGroup(ctx, poolA, "a-group", "bob"))
	}
	must(t, "RemoveUserFromGroup non-member", s.RemoveUserFromGroup(ctx, poolA, "b-group", "bob"))
	must(t, "RemoveUserFromGroup unknown user", s.RemoveUserFromGroup(ctx, poolA, "b-group", "nobody"))
	checkNames(t, "members of a-group after removal", members("a-group"), []string{"Zed", "alice"})

	// Deleting a user removes its memberships, and a new user with the same
	// key starts in no group.
	must(t, "DeleteUser", s.DeleteUser(ctx, poolA, "alice"))
	checkNames(t, "members of a-group after user delete", members("a-group"), []string{"Zed"})
	checkNames(t, "members of b-group after user delete", members("b-group"), []string(nil))
	must(t, "CreateUser again", s.CreateUser(ctx, fullUser(poolA, "alice", "sub-alice")))
	checkNames(t, "groups of a re-created user", groupsOf("alice"), []string(nil))

	// Deleting a group removes its memberships, and a new group with the
	// same name starts empty.
	must(t, "AddUserToGroup", s.AddUserToGroup(ctx, poolA, "b-group", "Zed"))
	must(t, "DeleteGroup", s.DeleteGroup(ctx, poolA, "a-group"))
	checkNames(t, "groups of Zed after group delete", groupsOf("Zed"), []string{"b-group"})
	must(t, "CreateGroup again", s.CreateGroup(ctx, fullGroup(poolA, "a-group")))
	checkNames(t, "members of a re-created group", members("a-group"), []string(nil))

	// The other pool is untouched.
	keys, err := s.ListUsersInGroup(ctx, poolB, "a-group")
	must(t, "ListUsersInGroup other pool", err)
	checkNames(t, "members in the other pool", keys, []string{"alice"})
}
