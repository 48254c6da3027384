package conformance

import (
	"context"
	"testing"

	"github.com/locognito/locognito/storage"
)

func testClients(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	recordCase[storage.Client]{
		full:    func() storage.Client { return fullClient(poolA, "client1") },
		minimal: func() storage.Client { return storage.Client{ClientID: "client0", PoolID: poolA} },
		orphan:  func() storage.Client { return fullClient(noPool, "orphan") },
		create:  func(ctx context.Context, s storage.Storage, c storage.Client) error { return s.CreateClient(ctx, c) },
		get: func(ctx context.Context, s storage.Storage, c storage.Client) (storage.Client, error) {
			return s.GetClient(ctx, c.ClientID)
		},
		update: func(ctx context.Context, s storage.Storage, c storage.Client, fn func(*storage.Client) error) error {
			return s.UpdateClient(ctx, c.ClientID, fn)
		},
		keepKeys: func(dst *storage.Client, src storage.Client) {
			dst.ClientID, dst.PoolID = src.ClientID, src.PoolID
		},
	}.run(t, s)

	// Client IDs are global: the same ID in another pool is taken.
	wantErr(t, "CreateClient same ID in other pool", s.CreateClient(ctx, fullClient(poolB, "client1")), storage.ErrAlreadyExists)
	must(t, "CreateClient", s.CreateClient(ctx, fullClient(poolB, "clientB")))
	must(t, "CreateClient", s.CreateClient(ctx, fullClient(poolA, "Client2")))

	clients, err := s.ListClients(ctx, poolA)
	must(t, "ListClients", err)
	var ids []string
	for _, c := range clients {
		if c.PoolID != poolA {
			t.Errorf("ListClients(%s) returned a client of pool %s", poolA, c.PoolID)
		}
		ids = append(ids, c.ClientID)
	}
	checkNames(t, "ListClients IDs", ids, []string{"Client2", "client0", "client1"})
	clients, err = s.ListClients(ctx, noPool)
	must(t, "ListClients missing pool", err)
	if len(clients) != 0 {
		t.Errorf("ListClients of a missing pool: %d clients, want 0", len(clients))
	}

	must(t, "DeleteClient", s.DeleteClient(ctx, "client1"))
	_, err = s.GetClient(ctx, "client1")
	wantErr(t, "GetClient deleted", err, storage.ErrNotFound)
	wantErr(t, "DeleteClient again", s.DeleteClient(ctx, "client1"), storage.ErrNotFound)
	if _, err := s.GetClient(ctx, "clientB"); err != nil {
		t.Errorf("GetClient of the other pool: %v", err)
	}
}
