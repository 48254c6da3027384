package conformance

import (
	"context"
	"testing"

	"github.com/locognito/locognito/storage"
)

func testSessions(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	recordCase[storage.Session]{
		full:    func() storage.Session { return fullSession(poolA, "sess-full") },
		minimal: func() storage.Session { return storage.Session{ID: "sess-min", PoolID: poolA} },
		orphan:  func() storage.Session { return fullSession(noPool, "sess-orphan") },
		create:  func(ctx context.Context, s storage.Storage, x storage.Session) error { return s.CreateSession(ctx, x) },
		get: func(ctx context.Context, s storage.Storage, x storage.Session) (storage.Session, error) {
			return s.GetSession(ctx, x.ID)
		},
		update: func(ctx context.Context, s storage.Storage, x storage.Session, fn func(*storage.Session) error) error {
			return s.UpdateSession(ctx, x.ID, fn)
		},
		keepKeys: func(dst *storage.Session, src storage.Session) { dst.ID, dst.PoolID = src.ID, src.PoolID },
	}.run(t, s)

	must(t, "DeleteSession", s.DeleteSession(ctx, "sess-full"))
	_, err := s.GetSession(ctx, "sess-full")
	wantErr(t, "GetSession deleted", err, storage.ErrNotFound)
	wantErr(t, "DeleteSession again", s.DeleteSession(ctx, "sess-full"), storage.ErrNotFound)
	if _, err := s.GetSession(ctx, "sess-min"); err != nil {
		t.Errorf("GetSession of another session: %v", err)
	}
}
