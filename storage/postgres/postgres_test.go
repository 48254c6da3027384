package postgres_test

import (
	"context"
	"errors"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/locognito/locognito/migrations"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/conformance"
	"github.com/locognito/locognito/storage/postgres"
	"github.com/locognito/locognito/storage/postgres/pgtest"
)

func TestConformance(t *testing.T) {
	conformance.RunTests(t, func(t *testing.T) storage.Storage { return pgtest.Open(t) })
}

// TestOpenConcurrent: instances starting together on a fresh schema all
// succeed, and each migration is applied once.
func TestOpenConcurrent(t *testing.T) {
	url, schema := pgtest.URL(t)
	ctx := t.Context()

	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			s, err := postgres.Open(ctx, url, postgres.WithSchema(schema))
			if err == nil {
				err = s.CreatePool(ctx, storage.Pool{ID: "pool-" + string(rune('a'+i))})
				_ = s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		}
	}

	files, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("embedded migrations: %v, %d files", err, len(files))
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows, distinct int
	err = conn.QueryRow(ctx, "SELECT count(*), count(DISTINCT version) FROM "+
		pgx.Identifier{schema, "schema_migrations"}.Sanitize()).Scan(&rows, &distinct)
	if err != nil {
		t.Fatal(err)
	}
	if rows != len(files) || distinct != len(files) {
		t.Errorf("schema_migrations has %d rows (%d versions), want %d", rows, distinct, len(files))
	}
}

// TestReopen: data survives Close and a new Open (a restart), and the
// second Open applies nothing.
func TestReopen(t *testing.T) {
	url, schema := pgtest.URL(t)
	ctx := t.Context()

	s, err := postgres.Open(ctx, url, postgres.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2025, 1, 2, 3, 4, 5, 6789, time.UTC)
	if err := s.CreatePool(ctx, storage.Pool{ID: "p", Name: "before restart", CreatedAt: created}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, storage.User{PoolID: "p", UsernameKey: "alice", Sub: "sub-1",
		Attributes: map[string]string{"email": "a@example.com"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateKeySet(ctx, "p", func(ks *storage.KeySet) error {
		ks.Keys = []storage.Key{{KID: "k1", Use: "id", PrivateKeyDER: []byte{1, 2, 3}}}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = postgres.Open(ctx, url, postgres.WithSchema(schema))
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	p, err := s.GetPool(ctx, "p")
	if err != nil {
		t.Fatalf("GetPool after reopen: %v", err)
	}
	if p.Name != "before restart" || !p.CreatedAt.Equal(created.Truncate(time.Microsecond)) {
		t.Errorf("pool after reopen = %+v", p)
	}
	u, err := s.GetUserBySub(ctx, "p", "sub-1")
	if err != nil || u.Attributes["email"] != "a@example.com" {
		t.Errorf("GetUserBySub after reopen = %+v, %v", u, err)
	}
	ks, err := s.GetKeySet(ctx, "p")
	if err != nil || ks.Version != 1 || len(ks.Keys) != 1 || ks.Keys[0].KID != "k1" {
		t.Errorf("GetKeySet after reopen = %+v, %v", ks, err)
	}
}

// TestOpenUnreachable: Open reports a database it cannot reach.
func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	s, err := postgres.Open(ctx, "postgres://nobody:secret@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err == nil {
		s.Close()
		t.Fatal("Open of an unreachable database succeeded")
	}
	if errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Open error %v wraps ErrNotFound", err)
	}
}

func TestOpenBadURL(t *testing.T) {
	if _, err := postgres.Open(t.Context(), "postgres://user:hunter2@%zz/db"); err == nil {
		t.Fatal("Open of a malformed URL succeeded")
	}
}

// TestOpenCreatesSchema: WithSchema creates a schema that does not exist.
func TestOpenCreatesSchema(t *testing.T) {
	url, base := pgtest.URL(t)
	ctx := t.Context()
	schema := base + "_new"
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), url)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	s, err := postgres.Open(ctx, url, postgres.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreatePool(ctx, storage.Pool{ID: "p"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetPool(ctx, "p"); err != nil {
		t.Fatal(err)
	}
}
