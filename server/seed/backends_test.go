package seed_test

import (
	"testing"

	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
	"github.com/locognito/locognito/storage/postgres/pgtest"
)

// forEachStore runs f on a fresh memory store and on a fresh Postgres schema
// (pgtest: skipped locally without TEST_DATABASE_URL, a failure under CI).
func forEachStore(t *testing.T, f func(t *testing.T, store storage.Storage)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) { f(t, memory.New()) })
	t.Run("postgres", func(t *testing.T) { f(t, pgtest.Open(t)) })
}
