package conformance

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/locognito/locognito/storage"
)

// RunTests runs the suite against the backend newStore opens. newStore is
// called once per subtest and must return an empty store; it is in charge
// of closing it (t.Cleanup).
func RunTests(t *testing.T, newStore func(t *testing.T) storage.Storage) {
	tests := []struct {
		name string
		run  func(t *testing.T, s storage.Storage)
	}{
		{"Ping", testPing},
		{"EmptyLists", testEmptyLists},
		{"Pools", testPools},
		{"Clients", testClients},
		{"Users", testUsers},
		{"UsersSub", testUsersSub},
		{"UsersFindByAttribute", testUsersFindByAttribute},
		{"Groups", testGroups},
		{"GroupMembership", testGroupMembership},
		{"ResourceServers", testResourceServers},
		{"RefreshTokens", testRefreshTokens},
		{"Revocations", testRevocations},
		{"Grants", testGrants},
		{"GrantsConsumeConcurrent", testGrantsConsumeConcurrent},
		{"Sessions", testSessions},
		{"KeySets", testKeySets},
		{"KeySetsConcurrent", testKeySetsConcurrent},
		{"Messages", testMessages},
		{"DeletePoolCascades", testDeletePoolCascades},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, newStore(t))
		})
	}
}

func testPing(t *testing.T, s storage.Storage) {
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

// errBoom is what Update callbacks return to abort.
var errBoom = errors.New("boom")

// must fails the test when err is not nil.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantErr checks that err wraps target, with some context added.
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	switch {
	case !errors.Is(err, target):
		t.Errorf("%s: err = %v, want %v", what, err, target)
	case err == target:
		t.Errorf("%s: err is the bare %v; want it wrapped with context", what, target)
	}
}

// check fails the test when got and want differ (see diff).
func check(t *testing.T, what string, got, want any) {
	t.Helper()
	if d := diff(got, want); d != "" {
		t.Errorf("%s: %s", what, d)
	}
}

// checkNames compares lists of keys or names; nil and empty are equal.
func checkNames(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: %q, want %q", what, got, want)
	}
}

func createPool(t *testing.T, s storage.Storage, id string) {
	t.Helper()
	must(t, "CreatePool "+id, s.CreatePool(t.Context(), storage.Pool{ID: id, Name: id}))
}

// recordCase drives the checks every record type shares.
type recordCase[T any] struct {
	// full has every field set, with maps, slices and pointers non-empty
	// (some slices may be empty but not nil). Each call returns a fresh one.
	full func() T
	// minimal has only its key fields set (a different key from full's).
	minimal func() T
	// orphan is a record in a pool that does not exist; nil to skip.
	orphan func() T

	create func(ctx context.Context, s storage.Storage, r T) error
	// get reads the record with r's key.
	get func(ctx context.Context, s storage.Storage, r T) (T, error)
	// update runs the Update method on r's key; nil when there is none.
	update func(ctx context.Context, s storage.Storage, r T, fn func(*T) error) error
	// keepKeys copies onto dst the fields that Update must not change.
	keepKeys func(dst *T, src T)
}

// run checks round trips, duplicates, missing keys, copy isolation and the
// Update contract. It leaves full() (updated) and minimal() in the store.
func (rc recordCase[T]) run(t *testing.T, s storage.Storage) {
	t.Helper()
	ctx := t.Context()

	// Round trip, and the store keeps no reference to what it was given.
	in := rc.full()
	must(t, "create full", rc.create(ctx, s, in))
	scribble(&in)
	got, err := rc.get(ctx, s, rc.full())
	must(t, "get full", err)
	check(t, "full record read back", got, rc.full())

	in = rc.minimal()
	must(t, "create minimal", rc.create(ctx, s, in))
	got, err = rc.get(ctx, s, rc.minimal())
	must(t, "get minimal", err)
	check(t, "minimal record read back", got, rc.minimal())

	wantErr(t, "create duplicate", rc.create(ctx, s, rc.full()), storage.ErrAlreadyExists)
	if rc.orphan != nil {
		wantErr(t, "create in missing pool", rc.create(ctx, s, rc.orphan()), storage.ErrNotFound)
		_, err := rc.get(ctx, s, rc.orphan())
		wantErr(t, "get orphan after failed create", err, storage.ErrNotFound)
	}

	// A returned record shares nothing with the store.
	got, err = rc.get(ctx, s, rc.full())
	must(t, "get full", err)
	scribble(&got)
	got, err = rc.get(ctx, s, rc.full())
	must(t, "get full", err)
	check(t, "after scribbling a returned record", got, rc.full())

	if rc.update == nil {
		return
	}
	missing := rc.full()
	scribble(&missing) // changes the key
	called := false
	err = rc.update(ctx, s, missing, func(*T) error { called = true; return nil })
	wantErr(t, "update missing", err, storage.ErrNotFound)
	if called {
		t.Errorf("update missing: callback was called")
	}

	// The callback sees the stored record; an error writes nothing and comes
	// back as it is.
	err = rc.update(ctx, s, rc.full(), func(r *T) error {
		check(t, "record passed to update", *r, rc.full())
		scribble(r)
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Errorf("update returning errBoom: err = %v, want errBoom", err)
	}
	got, err = rc.get(ctx, s, rc.full())
	must(t, "get full", err)
	check(t, "after update that failed", got, rc.full())

	// ErrNoChange, bare or wrapped, writes nothing and returns nil.
	for _, noChange := range []error{storage.ErrNoChange, errors.Join(errors.New("same"), storage.ErrNoChange)} {
		err = rc.update(ctx, s, rc.full(), func(r *T) error {
			scribble(r)
			return noChange
		})
		if err != nil {
			t.Errorf("update returning %v: err = %v, want nil", noChange, err)
		}
		got, err = rc.get(ctx, s, rc.full())
		must(t, "get full", err)
		check(t, "after update with ErrNoChange", got, rc.full())
	}

	// The record given to the callback is not kept by the store.
	var kept *T
	must(t, "update keeping the pointer", rc.update(ctx, s, rc.full(), func(r *T) error {
		kept = r
		return nil
	}))
	scribble(kept)
	got, err = rc.get(ctx, s, rc.full())
	must(t, "get full", err)
	check(t, "after scribbling the record an update saw", got, rc.full())

	// Update writes every field but the keys.
	want := rc.full()
	scribble(&want)
	rc.keepKeys(&want, rc.full())
	must(t, "update every field", rc.update(ctx, s, rc.full(), func(r *T) error {
		scribble(r)
		return nil
	}))
	got, err = rc.get(ctx, s, rc.full())
	must(t, "get full", err)
	check(t, "after update of every field", got, want)
}
