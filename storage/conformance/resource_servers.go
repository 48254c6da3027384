package conformance

import (
	"context"
	"testing"

	"github.com/locognito/locognito/storage"
)

func testResourceServers(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	recordCase[storage.ResourceServer]{
		full: func() storage.ResourceServer { return fullResourceServer(poolA, "https://notes.example.com") },
		minimal: func() storage.ResourceServer {
			return storage.ResourceServer{PoolID: poolA, Identifier: "minimal"}
		},
		orphan: func() storage.ResourceServer { return fullResourceServer(noPool, "notes") },
		create: func(ctx context.Context, s storage.Storage, r storage.ResourceServer) error {
			return s.CreateResourceServer(ctx, r)
		},
		get: func(ctx context.Context, s storage.Storage, r storage.ResourceServer) (storage.ResourceServer, error) {
			return s.GetResourceServer(ctx, r.PoolID, r.Identifier)
		},
		update: func(ctx context.Context, s storage.Storage, r storage.ResourceServer, fn func(*storage.ResourceServer) error) error {
			return s.UpdateResourceServer(ctx, r.PoolID, r.Identifier, fn)
		},
		keepKeys: func(dst *storage.ResourceServer, src storage.ResourceServer) {
			dst.PoolID, dst.Identifier = src.PoolID, src.Identifier
		},
	}.run(t, s)

	must(t, "CreateResourceServer other pool", s.CreateResourceServer(ctx, fullResourceServer(poolB, "minimal")))
	must(t, "CreateResourceServer", s.CreateResourceServer(ctx, fullResourceServer(poolA, "Notes")))
	list, err := s.ListResourceServers(ctx, poolA)
	must(t, "ListResourceServers", err)
	var ids []string
	for _, r := range list {
		ids = append(ids, r.Identifier)
	}
	checkNames(t, "ListResourceServers identifiers", ids, []string{"Notes", "https://notes.example.com", "minimal"})

	must(t, "DeleteResourceServer", s.DeleteResourceServer(ctx, poolA, "minimal"))
	_, err = s.GetResourceServer(ctx, poolA, "minimal")
	wantErr(t, "GetResourceServer deleted", err, storage.ErrNotFound)
	wantErr(t, "DeleteResourceServer again", s.DeleteResourceServer(ctx, poolA, "minimal"), storage.ErrNotFound)
	if _, err := s.GetResourceServer(ctx, poolB, "minimal"); err != nil {
		t.Errorf("GetResourceServer in the other pool: %v", err)
	}
}
