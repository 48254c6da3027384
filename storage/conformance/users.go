package conformance

import (
	"context"
	"testing"

	"github.com/locognito/locognito/storage"
)

func userCase() recordCase[storage.User] {
	return recordCase[storage.User]{
		full:    func() storage.User { return fullUser(poolA, userKey, "sub-alice") },
		minimal: func() storage.User { return storage.User{PoolID: poolA, UsernameKey: "bob"} },
		orphan:  func() storage.User { return fullUser(noPool, "orphan", "sub-orphan") },
		create:  func(ctx context.Context, s storage.Storage, u storage.User) error { return s.CreateUser(ctx, u) },
		get: func(ctx context.Context, s storage.Storage, u storage.User) (storage.User, error) {
			return s.GetUser(ctx, u.PoolID, u.UsernameKey)
		},
		update: func(ctx context.Context, s storage.Storage, u storage.User, fn func(*storage.User) error) error {
			return s.UpdateUser(ctx, u.PoolID, u.UsernameKey, fn)
		},
		keepKeys: func(dst *storage.User, src storage.User) {
			dst.PoolID, dst.UsernameKey = src.PoolID, src.UsernameKey
		},
	}
}

func testUsers(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	userCase().run(t, s)

	_, err := s.GetUser(ctx, poolB, userKey)
	wantErr(t, "GetUser in other pool", err, storage.ErrNotFound)
	must(t, "CreateUser same key in other pool", s.CreateUser(ctx, fullUser(poolB, userKey, "sub-alice-b")))
	must(t, "CreateUser", s.CreateUser(ctx, fullUser(poolA, "Carol", "sub-carol")))

	users, err := s.ListUsers(ctx, poolA)
	must(t, "ListUsers", err)
	var keys []string
	for _, u := range users {
		keys = append(keys, u.UsernameKey)
	}
	checkNames(t, "ListUsers keys", keys, []string{"Carol", "alice", "bob"})
	scribble(&users[0])
	u, err := s.GetUser(ctx, poolA, "Carol")
	must(t, "GetUser", err)
	check(t, "user after scribbling a listed copy", u, fullUser(poolA, "Carol", "sub-carol"))

	must(t, "DeleteUser", s.DeleteUser(ctx, poolA, "Carol"))
	_, err = s.GetUser(ctx, poolA, "Carol")
	wantErr(t, "GetUser deleted", err, storage.ErrNotFound)
	_, err = s.GetUserBySub(ctx, poolA, "sub-carol")
	wantErr(t, "GetUserBySub deleted", err, storage.ErrNotFound)
	wantErr(t, "DeleteUser again", s.DeleteUser(ctx, poolA, "Carol"), storage.ErrNotFound)
	if _, err := s.GetUser(ctx, poolB, userKey); err != nil {
		t.Errorf("GetUser in the other pool: %v", err)
	}
}

func testUsersSub(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	must(t, "CreateUser", s.CreateUser(ctx, fullUser(poolA, "alice", "sub-1")))
	must(t, "CreateUser", s.CreateUser(ctx, fullUser(poolA, "bob", "sub-2")))

	u, err := s.GetUserBySub(ctx, poolA, "sub-1")
	must(t, "GetUserBySub", err)
	check(t, "GetUserBySub", u, fullUser(poolA, "alice", "sub-1"))
	_, err = s.GetUserBySub(ctx, poolA, "sub-3")
	wantErr(t, "GetUserBySub missing", err, storage.ErrNotFound)
	_, err = s.GetUserBySub(ctx, poolB, "sub-1")
	wantErr(t, "GetUserBySub in other pool", err, storage.ErrNotFound)

	wantErr(t, "CreateUser with a taken sub", s.CreateUser(ctx, fullUser(poolA, "carol", "sub-1")), storage.ErrAlreadyExists)
	_, err = s.GetUser(ctx, poolA, "carol")
	wantErr(t, "GetUser after failed create", err, storage.ErrNotFound)
	must(t, "CreateUser same sub in other pool", s.CreateUser(ctx, fullUser(poolB, "carol", "sub-1")))

	// An empty sub is not a key.
	must(t, "CreateUser empty sub", s.CreateUser(ctx, storage.User{PoolID: poolA, UsernameKey: "e1"}))
	must(t, "CreateUser empty sub", s.CreateUser(ctx, storage.User{PoolID: poolA, UsernameKey: "e2"}))
	_, err = s.GetUserBySub(ctx, poolA, "")
	wantErr(t, "GetUserBySub empty", err, storage.ErrNotFound)

	// Update cannot take another user's sub; it can take a free one.
	err = s.UpdateUser(ctx, poolA, "bob", func(u *storage.User) error {
		u.Sub = "sub-1"
		u.Status = "CONFIRMED"
		return nil
	})
	wantErr(t, "UpdateUser to a taken sub", err, storage.ErrAlreadyExists)
	u, err = s.GetUser(ctx, poolA, "bob")
	must(t, "GetUser", err)
	check(t, "user after failed sub change", u, fullUser(poolA, "bob", "sub-2"))

	must(t, "UpdateUser to a free sub", s.UpdateUser(ctx, poolA, "bob", func(u *storage.User) error {
		u.Sub = "sub-9"
		return nil
	}))
	_, err = s.GetUserBySub(ctx, poolA, "sub-2")
	wantErr(t, "GetUserBySub old sub", err, storage.ErrNotFound)
	u, err = s.GetUserBySub(ctx, poolA, "sub-9")
	must(t, "GetUserBySub new sub", err)
	if u.UsernameKey != "bob" {
		t.Errorf("GetUserBySub new sub: user %q, want bob", u.UsernameKey)
	}
	must(t, "CreateUser with a freed sub", s.CreateUser(ctx, fullUser(poolA, "dave", "sub-2")))

	// Deleting a user frees its sub.
	must(t, "DeleteUser", s.DeleteUser(ctx, poolA, "alice"))
	must(t, "CreateUser with a deleted user's sub", s.CreateUser(ctx, fullUser(poolA, "erin", "sub-1")))
}

func testUsersFindByAttribute(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	add := func(pool, key string, attrs map[string]string) {
		t.Helper()
		must(t, "CreateUser "+key, s.CreateUser(ctx, storage.User{PoolID: pool, UsernameKey: key, Sub: "sub-" + key, Attributes: attrs}))
	}
	add(poolA, "u1", map[string]string{"email": "Alice@Example.com", "custom:team": "Red"})
	add(poolA, "u2", map[string]string{"email": "alice@example.com", "custom:team": "red"})
	add(poolA, "u0", map[string]string{"email": "ALICE@EXAMPLE.COM"})
	add(poolA, "u3", map[string]string{"email": "bob@example.com", "phone_number": "+15550100"})
	add(poolA, "u4", map[string]string{"email": ""})
	add(poolA, "u5", nil)
	add(poolB, "u1", map[string]string{"email": "alice@example.com"})

	tests := []struct {
		name, value string
		fold        bool
		wantKeys    []string
	}{
		{"email", "alice@example.com", false, []string{"u2"}},
		{"email", "Alice@Example.com", false, []string{"u1"}},
		{"email", "alice@example.com", true, []string{"u0", "u1", "u2"}},
		{"email", "aLiCe@eXaMpLe.CoM", true, []string{"u0", "u1", "u2"}},
		{"email", "carol@example.com", true, nil},
		{"email", "", false, []string{"u4"}},
		{"phone_number", "+15550100", false, []string{"u3"}},
		{"phone_number", "+15550100", true, []string{"u3"}},
		{"custom:team", "red", false, []string{"u2"}},
		{"custom:team", "RED", true, []string{"u1", "u2"}},
		{"custom:missing", "red", true, nil},
		{"email'; --", "x", true, nil},
	}
	for _, tc := range tests {
		users, err := s.FindUsersByAttribute(ctx, poolA, tc.name, tc.value, tc.fold)
		must(t, "FindUsersByAttribute", err)
		var keys []string
		for _, u := range users {
			if u.PoolID != poolA {
				t.Errorf("FindUsersByAttribute(%s) returned a user of pool %s", poolA, u.PoolID)
			}
			keys = append(keys, u.UsernameKey)
		}
		checkNames(t, "FindUsersByAttribute("+tc.name+"="+tc.value+")", keys, tc.wantKeys)
	}

	users, err := s.FindUsersByAttribute(ctx, poolA, "email", "bob@example.com", false)
	must(t, "FindUsersByAttribute", err)
	if len(users) != 1 {
		t.Fatalf("FindUsersByAttribute: %d users, want 1", len(users))
	}
	want := storage.User{PoolID: poolA, UsernameKey: "u3", Sub: "sub-u3",
		Attributes: map[string]string{"email": "bob@example.com", "phone_number": "+15550100"}}
	check(t, "found user", users[0], want)
	scribble(&users[0])
	u, err := s.GetUser(ctx, poolA, "u3")
	must(t, "GetUser", err)
	check(t, "user after scribbling a found copy", u, want)
}
