package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/locognito/locognito/storage"
)

var _ storage.Storage = (*Store)(nil)

// Store is the PostgreSQL storage.Storage. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
}

// Option configures Open.
type Option func(*options)

type options struct {
	schema string
}

// WithSchema keeps every table in the named schema, creating it if needed.
// Every pooled connection gets it as its search_path.
func WithSchema(name string) Option {
	return func(o *options) { o.schema = name }
}

// Open connects to databaseURL, applies pending migrations and returns the
// Store. Call Close when done.
func Open(ctx context.Context, databaseURL string, opts ...Option) (*Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse database URL: %w", err)
	}
	if o.schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{o.schema}.Sanitize()
	}
	if err := migrate(ctx, cfg.ConnConfig, o.schema); err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: create pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: ping: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Close closes every connection; the Store is unusable afterwards.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// SQLSTATE codes mapped to storage errors.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

// dbErr wraps a database error with the operation and the matching storage
// sentinel: no rows and foreign-key violations (a missing pool, group or
// user) are ErrNotFound, unique violations ErrAlreadyExists.
func dbErr(op string, err error) error {
	var pgErr *pgconn.PgError
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("postgres: %s: %w", op, storage.ErrNotFound)
	case errors.As(err, &pgErr) && pgErr.Code == uniqueViolation:
		return fmt.Errorf("postgres: %s: %w: %w", op, storage.ErrAlreadyExists, err)
	case errors.As(err, &pgErr) && pgErr.Code == foreignKeyViolation:
		return fmt.Errorf("postgres: %s: %w: %w", op, storage.ErrNotFound, err)
	default:
		return fmt.Errorf("postgres: %s: %w", op, err)
	}
}

// exec runs a statement that must change a row: none changed is ErrNotFound.
func (s *Store) exec(ctx context.Context, op, sql string, args ...any) error {
	tag, err := s.pool.Exec(ctx, sql, args...)
	if err != nil {
		return dbErr(op, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %s: %w", op, storage.ErrNotFound)
	}
	return nil
}

// updateRow is the Update method of a table: in one transaction it locks the
// row with the given key values, scans it, runs fn, restores the fields fn
// must not change with keep (from the row as read) and writes the row back. fn's error is returned as it is, except
// that storage.ErrNoChange gives nil; either way nothing is written.
func updateRow[T any](ctx context.Context, s *Store, op string, t table, key []any,
	scan func(pgx.Row) (T, error), args func(T) []any, keep func(dst *T, orig T), fn func(*T) error,
) error {
	var fnErr error
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rec, err := scan(tx.QueryRow(ctx, t.selectSQL("")+" WHERE "+t.whereKey()+" FOR UPDATE", key...))
		if err != nil {
			return err
		}
		orig := rec // keep copies only scalar fields, which fn cannot reach
		if fnErr = fn(&rec); fnErr != nil {
			return fnErr
		}
		keep(&rec, orig)
		_, err = tx.Exec(ctx, t.updateSQL(), args(rec)...)
		return err
	})
	return updateResult(op, fnErr, err)
}

// updateResult is an Update's result once its transaction is over: fn's
// error as it is, except that storage.ErrNoChange gives nil (fn's error
// rolled the transaction back, so nothing was written); else the
// transaction's own error, as dbErr(op).
func updateResult(op string, fnErr, txErr error) error {
	if fnErr != nil {
		if errors.Is(fnErr, storage.ErrNoChange) {
			return nil
		}
		return fnErr
	}
	if txErr != nil {
		return dbErr(op, txErr)
	}
	return nil
}

// list runs a query and scans every row; no rows is an empty, non-nil slice.
func list[T any](ctx context.Context, s *Store, op string, scan func(pgx.Row) (T, error), sql string, args ...any) ([]T, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, dbErr(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if err != nil {
		return nil, dbErr(op, err)
	}
	return out, nil
}
