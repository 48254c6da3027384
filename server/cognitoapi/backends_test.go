package cognitoapi_test

import (
	"testing"

	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/storage/postgres/pgtest"
)

// forEachBackend runs f once per storage backend, as subtests named after
// the backend. f passes opts to servertest.Start so that the server it starts
// uses that backend: memory (servertest's default) and Postgres in a fresh
// schema (pgtest skips locally without TEST_DATABASE_URL and fails under
// CI=true).
func forEachBackend(t *testing.T, f func(t *testing.T, opts ...servertest.Option)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) { f(t) })
	t.Run("postgres", func(t *testing.T) { f(t, servertest.WithStore(pgtest.Open(t))) })
}
