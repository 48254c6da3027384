package conformance

import (
	"testing"

	"github.com/locognito/locognito/storage"
)

// testDeletePoolCascades fills two pools, deletes one, and checks that
// nothing of it is left while the other is untouched.
func testDeletePoolCascades(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	fill := func(pool, suffix string) {
		t.Helper()
		must(t, "CreatePool", s.CreatePool(ctx, fullPool(pool)))
		must(t, "CreateClient", s.CreateClient(ctx, fullClient(pool, "client-"+suffix)))
		must(t, "CreateUser", s.CreateUser(ctx, fullUser(pool, userKey, "sub-"+suffix)))
		must(t, "CreateGroup", s.CreateGroup(ctx, fullGroup(pool, "admins")))
		must(t, "AddUserToGroup", s.AddUserToGroup(ctx, pool, "admins", userKey))
		must(t, "CreateResourceServer", s.CreateResourceServer(ctx, fullResourceServer(pool, "notes")))
		must(t, "CreateRefreshToken", s.CreateRefreshToken(ctx, fullRefreshToken(pool, "hash-"+suffix)))
		must(t, "RevokeOrigin", s.RevokeOrigin(ctx, storage.Revocation{PoolID: pool, OriginJTI: "jti"}))
		must(t, "CreateGrant", s.CreateGrant(ctx, fullGrant(pool, "authorize_code", "code-"+suffix)))
		must(t, "CreateSession", s.CreateSession(ctx, fullSession(pool, "sess-"+suffix)))
		must(t, "UpdateKeySet", s.UpdateKeySet(ctx, pool, func(ks *storage.KeySet) error {
			ks.Keys = fullKeys()
			return nil
		}))
		must(t, "AddMessage", s.AddMessage(ctx, fullMessage(pool, userKey, "123456", at(0))))
	}
	fill(poolA, "a")
	fill(poolB, "b")
	must(t, "CreateGrant without pool", s.CreateGrant(ctx, fullGrant("", "srp", "no-pool")))

	must(t, "DeletePool", s.DeletePool(ctx, poolA))

	gone := func(what string, err error) {
		t.Helper()
		wantErr(t, what+" of the deleted pool", err, storage.ErrNotFound)
	}
	_, err := s.GetPool(ctx, poolA)
	gone("GetPool", err)
	_, err = s.GetClient(ctx, "client-a")
	gone("GetClient", err)
	_, err = s.GetUser(ctx, poolA, userKey)
	gone("GetUser", err)
	_, err = s.GetUserBySub(ctx, poolA, "sub-a")
	gone("GetUserBySub", err)
	_, err = s.GetGroup(ctx, poolA, "admins")
	gone("GetGroup", err)
	_, err = s.ListUsersInGroup(ctx, poolA, "admins")
	gone("ListUsersInGroup", err)
	_, err = s.GetResourceServer(ctx, poolA, "notes")
	gone("GetResourceServer", err)
	_, err = s.GetRefreshToken(ctx, "hash-a")
	gone("GetRefreshToken", err)
	_, err = s.GetGrant(ctx, "authorize_code", "code-a")
	gone("GetGrant", err)
	_, err = s.GetSession(ctx, "sess-a")
	gone("GetSession", err)
	_, err = s.GetKeySet(ctx, poolA)
	gone("GetKeySet", err)
	if ok, err := s.IsOriginRevoked(ctx, poolA, "jti"); err != nil || ok {
		t.Errorf("IsOriginRevoked of the deleted pool = %t, %v; want false", ok, err)
	}

	// Re-creating the pool finds nothing left over.
	must(t, "CreatePool again", s.CreatePool(ctx, fullPool(poolA)))
	empty := func(what string, n int, err error) {
		t.Helper()
		must(t, what, err)
		if n != 0 {
			t.Errorf("%s of the re-created pool: %d left over", what, n)
		}
	}
	clients, err := s.ListClients(ctx, poolA)
	empty("ListClients", len(clients), err)
	users, err := s.ListUsers(ctx, poolA)
	empty("ListUsers", len(users), err)
	found, err := s.FindUsersByAttribute(ctx, poolA, "sub", "sub-a", false)
	empty("FindUsersByAttribute", len(found), err)
	groups, err := s.ListGroups(ctx, poolA)
	empty("ListGroups", len(groups), err)
	groups, err = s.ListGroupsForUser(ctx, poolA, userKey)
	empty("ListGroupsForUser", len(groups), err)
	rs, err := s.ListResourceServers(ctx, poolA)
	empty("ListResourceServers", len(rs), err)
	msgs, err := s.ListMessages(ctx, poolA, "")
	empty("ListMessages", len(msgs), err)
	if ok, err := s.IsOriginRevoked(ctx, poolA, "jti"); err != nil || ok {
		t.Errorf("IsOriginRevoked of the re-created pool = %t, %v; want false", ok, err)
	}

	// The other pool, and the grant of no pool, are untouched.
	p, err := s.GetPool(ctx, poolB)
	must(t, "GetPool other", err)
	check(t, "other pool", p, fullPool(poolB))
	c, err := s.GetClient(ctx, "client-b")
	must(t, "GetClient other", err)
	check(t, "other client", c, fullClient(poolB, "client-b"))
	u, err := s.GetUser(ctx, poolB, userKey)
	must(t, "GetUser other", err)
	check(t, "other user", u, fullUser(poolB, userKey, "sub-b"))
	g, err := s.GetGroup(ctx, poolB, "admins")
	must(t, "GetGroup other", err)
	check(t, "other group", g, fullGroup(poolB, "admins"))
	members, err := s.ListUsersInGroup(ctx, poolB, "admins")
	must(t, "ListUsersInGroup other", err)
	checkNames(t, "other members", members, []string{userKey})
	r, err := s.GetResourceServer(ctx, poolB, "notes")
	must(t, "GetResourceServer other", err)
	check(t, "other resource server", r, fullResourceServer(poolB, "notes"))
	rt, err := s.GetRefreshToken(ctx, "hash-b")
	must(t, "GetRefreshToken other", err)
	check(t, "other refresh token", rt, fullRefreshToken(poolB, "hash-b"))
	if ok, err := s.IsOriginRevoked(ctx, poolB, "jti"); err != nil || !ok {
		t.Errorf("IsOriginRevoked of the other pool = %t, %v; want true", ok, err)
	}
	gr, err := s.GetGrant(ctx, "authorize_code", "code-b")
	must(t, "GetGrant other", err)
	check(t, "other grant", gr, fullGrant(poolB, "authorize_code", "code-b"))
	if _, err := s.GetGrant(ctx, "srp", "no-pool"); err != nil {
		t.Errorf("GetGrant without pool: %v", err)
	}
	sess, err := s.GetSession(ctx, "sess-b")
	must(t, "GetSession other", err)
	check(t, "other session", sess, fullSession(poolB, "sess-b"))
	ks, err := s.GetKeySet(ctx, poolB)
	must(t, "GetKeySet other", err)
	check(t, "other key set", ks, storage.KeySet{PoolID: poolB, Keys: fullKeys(), Version: 1})
	msgs, err = s.ListMessages(ctx, poolB, "")
	must(t, "ListMessages other", err)
	check(t, "other messages", msgs, []storage.Message{fullMessage(poolB, userKey, "123456", at(0))})
}
