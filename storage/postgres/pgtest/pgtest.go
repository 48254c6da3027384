package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/postgres"
)

// EnvURL names the environment variable holding the test database URL.
const EnvURL = "TEST_DATABASE_URL"

// unreachable remembers, by URL, why a database could not be reached.
var unreachable sync.Map

// URL returns the test database URL and the name of a new, empty schema in
// it, dropped (with everything in it) when the test ends. Tests that reopen a
// store, e.g. to check a restart, pass both to postgres.Open with
// postgres.WithSchema.
func URL(t testing.TB) (url, schema string) {
	t.Helper()
	url = os.Getenv(EnvURL)
	if url == "" {
		unavailable(t, EnvURL+" is not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if why, ok := unreachable.Load(url); ok {
		unavailable(t, why.(string))
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		why := "cannot reach " + EnvURL + ": " + err.Error()
		unreachable.Store(url, why) // so later tests do not wait again
		unavailable(t, why)
	}
	defer conn.Close(ctx)

	schema = "test_" + randomHex(8)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Errorf("pgtest: drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("pgtest: drop schema %s: %v", schema, err)
		}
	})
	return url, schema
}

// Open returns a migrated store in a fresh schema (see URL), closed when the
// test ends.
func Open(t testing.TB) storage.Storage {
	t.Helper()
	url, schema := URL(t)
	s, err := postgres.Open(context.Background(), url, postgres.WithSchema(schema))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// unavailable fails the test under CI and skips it elsewhere.
func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("pgtest: %s; %s must be set and reachable in CI", why, EnvURL)
	}
	t.Skipf("pgtest: %s; skipping Postgres test", why)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails
	return hex.EncodeToString(b)
}
