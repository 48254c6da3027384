// Package migrations holds locognito's PostgreSQL schema as numbered SQL
// files (0001_init.sql, 0002_..., applied in order, each exactly once) and
// embeds them so storage/postgres can apply them at start-up.
//
// A file is applied in one transaction and recorded in schema_migrations
// (version, applied_at). Files are never edited once released: a change to
// the schema is a new file with the next number.
package migrations
