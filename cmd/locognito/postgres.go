package main

import (
	"context"

	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/postgres"
)

// openPostgres connects to Postgres and runs the embedded migrations.
func openPostgres(ctx context.Context, databaseURL string) (storage.Storage, error) {
	return postgres.Open(ctx, databaseURL)
}
