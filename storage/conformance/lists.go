package conformance

import (
	"testing"

	"github.com/locognito/locognito/storage"
)

// testEmptyLists: a list with nothing in it is empty but not nil, so it
// encodes as [] rather than null.
func testEmptyLists(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	pools, err := s.ListPools(ctx)
	wantEmpty(t, "ListPools", pools, err)
	createPool(t, s, poolA)
	must(t, "CreateGroup", s.CreateGroup(ctx, fullGroup(poolA, "empty")))

	clients, err := s.ListClients(ctx, poolA)
	wantEmpty(t, "ListClients", clients, err)
	users, err := s.ListUsers(ctx, poolA)
	wantEmpty(t, "ListUsers", users, err)
	users, err = s.FindUsersByAttribute(ctx, poolA, "email", "nobody@example.com", false)
	wantEmpty(t, "FindUsersByAttribute", users, err)
	users, err = s.FindUsersByAttribute(ctx, poolA, "email", "nobody@example.com", true)
	wantEmpty(t, "FindUsersByAttribute fold", users, err)
	groups, err := s.ListGroups(ctx, noPool)
	wantEmpty(t, "ListGroups", groups, err)
	groups, err = s.ListGroupsForUser(ctx, poolA, "nobody")
	wantEmpty(t, "ListGroupsForUser", groups, err)
	members, err := s.ListUsersInGroup(ctx, poolA, "empty")
	wantEmpty(t, "ListUsersInGroup", members, err)
	rs, err := s.ListResourceServers(ctx, poolA)
	wantEmpty(t, "ListResourceServers", rs, err)
	msgs, err := s.ListMessages(ctx, poolA, "")
	wantEmpty(t, "ListMessages", msgs, err)
	msgs, err = s.ListMessages(ctx, poolA, "nobody")
	wantEmpty(t, "ListMessages for a user", msgs, err)
}

func wantEmpty[T any](t *testing.T, what string, got []T, err error) {
	t.Helper()
	switch {
	case err != nil:
		t.Errorf("%s: %v", what, err)
	case got == nil:
		t.Errorf("%s: nil, want an empty slice", what)
	case len(got) != 0:
		t.Errorf("%s: %d items, want none", what, len(got))
	}
}
