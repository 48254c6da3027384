package conformance

import (
	"context"
	"testing"

	"github.com/locognito/locognito/storage"
)

func testPools(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	recordCase[storage.Pool]{
		full:    func() storage.Pool { return fullPool(poolA) },
		minimal: func() storage.Pool { return storage.Pool{ID: poolB} },
		create:  func(ctx context.Context, s storage.Storage, p storage.Pool) error { return s.CreatePool(ctx, p) },
		get: func(ctx context.Context, s storage.Storage, p storage.Pool) (storage.Pool, error) {
			return s.GetPool(ctx, p.ID)
		},
		update: func(ctx context.Context, s storage.Storage, p storage.Pool, fn func(*storage.Pool) error) error {
			return s.UpdatePool(ctx, p.ID, fn)
		},
		keepKeys: func(dst *storage.Pool, src storage.Pool) { dst.ID = src.ID },
	}.run(t, s)

	_, err := s.GetPool(ctx, noPool)
	wantErr(t, "GetPool missing", err, storage.ErrNotFound)

	// Byte-wise order: upper case before lower case.
	for _, id := range []string{"eu-west-1_b", "eu-west-1_B", "eu-west-1_a"} {
		createPool(t, s, id)
	}
	pools, err := s.ListPools(ctx)
	must(t, "ListPools", err)
	var ids []string
	for _, p := range pools {
		ids = append(ids, p.ID)
	}
	checkNames(t, "ListPools IDs", ids, []string{"eu-west-1_B", "eu-west-1_a", "eu-west-1_b", poolA, poolB})
	scribble(&pools[0])
	p, err := s.GetPool(ctx, "eu-west-1_B")
	must(t, "GetPool", err)
	check(t, "pool after scribbling a listed copy", p, storage.Pool{ID: "eu-west-1_B", Name: "eu-west-1_B"})

	must(t, "DeletePool", s.DeletePool(ctx, "eu-west-1_a"))
	_, err = s.GetPool(ctx, "eu-west-1_a")
	wantErr(t, "GetPool deleted", err, storage.ErrNotFound)
	wantErr(t, "DeletePool again", s.DeletePool(ctx, "eu-west-1_a"), storage.ErrNotFound)
	pools, err = s.ListPools(ctx)
	must(t, "ListPools", err)
	if len(pools) != 4 {
		t.Errorf("ListPools after delete: %d pools, want 4", len(pools))
	}
}
