package conformance

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/locognito/locognito/storage"
)

func testKeySets(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)

	_, err := s.GetKeySet(ctx, poolA)
	wantErr(t, "GetKeySet before any update", err, storage.ErrNotFound)

	// Failing or unchanged first updates create nothing.
	for _, fail := range []error{errBoom, storage.ErrNoChange} {
		err := s.UpdateKeySet(ctx, poolA, func(ks *storage.KeySet) error {
			ks.Keys = fullKeys()
			return fail
		})
		if fail == errBoom && !errors.Is(err, errBoom) {
			t.Errorf("UpdateKeySet returning errBoom: err = %v", err)
		}
		if fail == storage.ErrNoChange && err != nil {
			t.Errorf("UpdateKeySet returning ErrNoChange: err = %v, want nil", err)
		}
		_, err = s.GetKeySet(ctx, poolA)
		wantErr(t, fmt.Sprintf("GetKeySet after first update returned %v", fail), err, storage.ErrNotFound)
	}

	// The first update starts from an empty set of the pool.
	var kept *storage.KeySet
	must(t, "UpdateKeySet first", s.UpdateKeySet(ctx, poolA, func(ks *storage.KeySet) error {
		check(t, "key set passed to the first update", *ks, storage.KeySet{PoolID: poolA})
		ks.Keys = fullKeys()
		ks.PoolID = poolB // ignored
		ks.Version = 42   // ignored
		kept = ks
		return nil
	}))
	scribble(kept)
	want := storage.KeySet{PoolID: poolA, Keys: fullKeys(), Version: 1}
	got, err := s.GetKeySet(ctx, poolA)
	must(t, "GetKeySet", err)
	check(t, "key set after first update", got, want)
	scribble(&got)
	got, err = s.GetKeySet(ctx, poolA)
	must(t, "GetKeySet", err)
	check(t, "key set after scribbling a returned copy", got, want)
	_, err = s.GetKeySet(ctx, poolB)
	wantErr(t, "GetKeySet of the other pool", err, storage.ErrNotFound)

	// Later updates see the stored set; errors and ErrNoChange write nothing.
	for _, fail := range []error{errBoom, storage.ErrNoChange} {
		_ = s.UpdateKeySet(ctx, poolA, func(ks *storage.KeySet) error {
			check(t, "key set passed to update", *ks, want)
			scribble(ks)
			return fail
		})
		got, err = s.GetKeySet(ctx, poolA)
		must(t, "GetKeySet", err)
		check(t, fmt.Sprintf("key set after update returned %v", fail), got, want)
	}
	must(t, "UpdateKeySet second", s.UpdateKeySet(ctx, poolA, func(ks *storage.KeySet) error {
		scribble(ks)
		ks.Keys = append(ks.Keys, storage.Key{KID: "id-2", Use: "id"})
		return nil
	}))
	want2 := want
	want2.Keys = fullKeys()
	for i := range want2.Keys {
		scribble(&want2.Keys[i])
	}
	want2.Keys = append(want2.Keys, storage.Key{KID: "id-2", Use: "id"})
	want2.Version = 2
	got, err = s.GetKeySet(ctx, poolA)
	must(t, "GetKeySet", err)
	check(t, "key set after second update", got, want2)

	// Empty, non-nil keys stay empty, not nil.
	must(t, "UpdateKeySet empty", s.UpdateKeySet(ctx, poolB, func(ks *storage.KeySet) error {
		ks.Keys = []storage.Key{}
		return nil
	}))
	got, err = s.GetKeySet(ctx, poolB)
	must(t, "GetKeySet", err)
	check(t, "empty key set", got, storage.KeySet{PoolID: poolB, Keys: []storage.Key{}, Version: 1})

	err = s.UpdateKeySet(ctx, noPool, func(ks *storage.KeySet) error { return nil })
	wantErr(t, "UpdateKeySet missing pool", err, storage.ErrNotFound)
}

// testKeySetsConcurrent: concurrent updates serialize. Every write appends
// one key, so every snapshot has exactly Version keys.
func testKeySetsConcurrent(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)

	const n = 20
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		writers atomic.Int32
	)
	writers.Store(n)
	for i := range n {
		wg.Go(func() {
			defer writers.Add(-1)
			<-start
			err := s.UpdateKeySet(ctx, poolA, func(ks *storage.KeySet) error {
				ks.Keys = append(ks.Keys, storage.Key{KID: fmt.Sprintf("k%02d", i), Use: "access"})
				return nil
			})
			if err != nil {
				t.Errorf("UpdateKeySet %d: %v", i, err)
			}
		})
	}
	var readErr error
	wg.Go(func() { // a reader: versions never go back, keys match versions
		<-start
		last := int64(0)
		for writers.Load() > 0 {
			ks, err := s.GetKeySet(ctx, poolA)
			if errors.Is(err, storage.ErrNotFound) {
				continue
			}
			if err != nil {
				readErr = err
				return
			}
			if ks.Version < last || int64(len(ks.Keys)) != ks.Version {
				readErr = fmt.Errorf("snapshot version %d with %d keys after version %d", ks.Version, len(ks.Keys), last)
				return
			}
			last = ks.Version
		}
	})
	close(start)
	wg.Wait()
	if readErr != nil {
		t.Errorf("reader: %v", readErr)
	}

	ks, err := s.GetKeySet(ctx, poolA)
	must(t, "GetKeySet", err)
	if ks.Version != n {
		t.Errorf("Version = %d after %d updates, want %d", ks.Version, n, n)
	}
	seen := map[string]bool{}
	for _, k := range ks.Keys {
		seen[k.KID] = true
	}
	if len(ks.Keys) != n || len(seen) != n {
		t.Errorf("%d keys (%d distinct) after %d concurrent appends, want %d", len(ks.Keys), len(seen), n, n)
	}
}
