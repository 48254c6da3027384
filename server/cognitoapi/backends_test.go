package cognitoapi_test

import (
	"testing"

	"github.com/locognito/locognito/server/servertest"
)

// forEachBackend runs f once per storage backend, as subtests named after
// the backend. f passes opts to servertest.Start so that the server it starts
// uses that backend; the memory run passes none (servertest's default).
//
// Postgres is added once storage/postgres/pgtest lands: it will pass
// servertest.WithStore(pgtest.Open(t)), which skips locally without
// TEST_DATABASE_URL and fails under CI=true.
func forEachBackend(t *testing.T, f func(t *testing.T, opts ...servertest.Option)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) { f(t) })
}
