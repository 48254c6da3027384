package conformance

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/locognito/locognito/storage"
)

func testGrants(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	recordCase[storage.Grant]{
		full:    func() storage.Grant { return fullGrant(poolA, "authorize_code", "sig-1") },
		minimal: func() storage.Grant { return storage.Grant{Kind: "authorize_code", ID: "sig-0"} }, // no pool
		orphan:  func() storage.Grant { return fullGrant(noPool, "authorize_code", "sig-orphan") },
		create:  func(ctx context.Context, s storage.Storage, g storage.Grant) error { return s.CreateGrant(ctx, g) },
		get: func(ctx context.Context, s storage.Storage, g storage.Grant) (storage.Grant, error) {
			return s.GetGrant(ctx, g.Kind, g.ID)
		},
	}.run(t, s)

	// Kind namespaces ID.
	must(t, "CreateGrant same ID other kind", s.CreateGrant(ctx, fullGrant(poolA, "pkce", "sig-1")))

	g, err := s.ConsumeGrant(ctx, "authorize_code", "sig-1")
	must(t, "ConsumeGrant", err)
	check(t, "consumed grant as it was", g, fullGrant(poolA, "authorize_code", "sig-1"))
	scribble(&g)
	_, err = s.ConsumeGrant(ctx, "authorize_code", "sig-1")
	wantErr(t, "ConsumeGrant twice", err, storage.ErrConflict)
	g, err = s.GetGrant(ctx, "authorize_code", "sig-1")
	must(t, "GetGrant consumed", err)
	want := fullGrant(poolA, "authorize_code", "sig-1")
	want.Consumed = true
	check(t, "GetGrant after consume", g, want)
	g, err = s.GetGrant(ctx, "pkce", "sig-1")
	must(t, "GetGrant other kind", err)
	if g.Consumed {
		t.Errorf("consuming authorize_code/sig-1 consumed pkce/sig-1")
	}
	_, err = s.ConsumeGrant(ctx, "authorize_code", "nope")
	wantErr(t, "ConsumeGrant missing", err, storage.ErrNotFound)
	_, err = s.ConsumeGrant(ctx, "openid", "sig-1")
	wantErr(t, "ConsumeGrant missing kind", err, storage.ErrNotFound)

	must(t, "DeleteGrant consumed", s.DeleteGrant(ctx, "authorize_code", "sig-1"))
	_, err = s.GetGrant(ctx, "authorize_code", "sig-1")
	wantErr(t, "GetGrant deleted", err, storage.ErrNotFound)
	wantErr(t, "DeleteGrant again", s.DeleteGrant(ctx, "authorize_code", "sig-1"), storage.ErrNotFound)
	if _, err := s.GetGrant(ctx, "pkce", "sig-1"); err != nil {
		t.Errorf("GetGrant other kind after delete: %v", err)
	}
	must(t, "CreateGrant after delete", s.CreateGrant(ctx, fullGrant(poolA, "authorize_code", "sig-1")))

	// Expiry: pkce/sig-1 and authorize_code/sig-1 expire at +5m, sig-0 never.
	expiring := func(id string, d time.Duration, consumed bool) {
		t.Helper()
		g := fullGrant(poolA, "access_token", id)
		g.ExpiresAt = at(d)
		must(t, "CreateGrant", s.CreateGrant(ctx, g))
		if consumed {
			_, err := s.ConsumeGrant(ctx, "access_token", id)
			must(t, "ConsumeGrant", err)
		}
	}
	expiring("old", -time.Hour, false)
	expiring("old-consumed", time.Minute, true)
	expiring("edge", 10*time.Minute, false)
	expiring("new", time.Hour, true)
	n, err := s.DeleteExpiredGrants(ctx, at(10*time.Minute))
	must(t, "DeleteExpiredGrants", err)
	if n != 4 {
		t.Errorf("DeleteExpiredGrants removed %d, want 4", n)
	}
	for _, k := range []struct {
		kind, id string
		kept     bool
	}{
		{"access_token", "old", false}, {"access_token", "old-consumed", false},
		{"pkce", "sig-1", false}, {"authorize_code", "sig-1", false},
		{"access_token", "edge", true}, {"access_token", "new", true}, {"authorize_code", "sig-0", true},
	} {
		_, err := s.GetGrant(ctx, k.kind, k.id)
		switch {
		case k.kept && err != nil:
			t.Errorf("GetGrant %s/%s after DeleteExpired: %v", k.kind, k.id, err)
		case !k.kept:
			wantErr(t, "GetGrant "+k.kind+"/"+k.id+" after DeleteExpired", err, storage.ErrNotFound)
		}
	}
}

func testGrantsConsumeConcurrent(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	must(t, "CreateGrant", s.CreateGrant(ctx, fullGrant(poolA, "authorize_code", "race")))

	const n = 50
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		errs  = make(chan error, n)
	)
	for range n {
		wg.Go(func() {
			<-start
			_, err := s.ConsumeGrant(ctx, "authorize_code", "race")
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	wins := 0
	for err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, storage.ErrConflict):
			t.Errorf("ConsumeGrant: %v, want nil or ErrConflict", err)
		}
	}
	if wins != 1 {
		t.Errorf("%d of %d concurrent ConsumeGrant calls won, want exactly 1", wins, n)
	}
}
