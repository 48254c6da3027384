// Package postgres is the PostgreSQL storage backend (pgx/v5, pgxpool).
//
// Open applies the embedded migrations (package migrations) under a Postgres
// advisory lock, so several instances may start together against one
// database, and records them in schema_migrations. WithSchema puts all
// tables in one schema (created if missing) by setting search_path on every
// pooled connection; tests use it to get a fresh schema each.
//
// Each aggregate has its own table with real keys and foreign keys to pools
// ON DELETE CASCADE. Nested or variable parts of a record (password policy,
// schema, client lists, user attributes, codes and quotas, keys) are jsonb
// holding the encoding/json form of the storage types, so renaming a field of
// those types is a schema change. Times are timestamptz (the zero time is
// NULL) and are returned in UTC at microsecond precision; durations are
// bigint nanoseconds.
//
// Update methods lock the row (SELECT ... FOR UPDATE) in a transaction, run
// the callback and write the row back; ConsumeGrant is one conditional
// UPDATE. Errors wrap storage.ErrNotFound (no row, or a missing referenced
// record), storage.ErrAlreadyExists (unique violation) or
// storage.ErrConflict. Nothing here logs.
package postgres
