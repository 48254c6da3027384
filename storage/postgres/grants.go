package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/locognito/locognito/storage"
)

// Errors name the grant kind but not its ID, which may be a token signature.

var grants = table{
	name: "grants",
	key:  []string{"kind", "id"},
	cols: []string{"pool_id", "client_id", "data", "created_at", "expires_at", "consumed"},
}

func grantArgs(g storage.Grant) []any {
	return []any{g.Kind, g.ID, textArg(g.PoolID), g.ClientID, g.Data, tsArg(g.CreatedAt), tsArg(g.ExpiresAt), g.Consumed}
}

func scanGrant(row pgx.Row) (storage.Grant, error) {
	var g storage.Grant
	err := row.Scan(&g.Kind, &g.ID, textCol{&g.PoolID}, &g.ClientID, &g.Data,
		timeCol{&g.CreatedAt}, timeCol{&g.ExpiresAt}, &g.Consumed)
	return g, err
}

// CreateGrant fails with ErrAlreadyExists when (Kind, ID) is taken. A grant
// may have no PoolID (stored as NULL); when it has one, the pool must exist
// (ErrNotFound).
func (s *Store) CreateGrant(ctx context.Context, g storage.Grant) error {
	if _, err := s.pool.Exec(ctx, grants.insertSQL(), grantArgs(g)...); err != nil {
		return dbErr(fmt.Sprintf("create %s grant", g.Kind), err)
	}
	return nil
}

func (s *Store) GetGrant(ctx context.Context, kind, id string) (storage.Grant, error) {
	g, err := scanGrant(s.pool.QueryRow(ctx, grants.selectSQL("")+" WHERE "+grants.whereKey(), kind, id))
	if err != nil {
		return storage.Grant{}, dbErr(fmt.Sprintf("get %s grant", kind), err)
	}
	return g, nil
}

// ConsumeGrant is one conditional UPDATE, so exactly one of any number of
// concurrent calls wins; the others get ErrConflict. The grant is returned as
// it was before (Consumed false).
func (s *Store) ConsumeGrant(ctx context.Context, kind, id string) (storage.Grant, error) {
	op := fmt.Sprintf("consume %s grant", kind)
	g, err := scanGrant(s.pool.QueryRow(ctx, "UPDATE grants SET consumed = true WHERE "+grants.whereKey()+
		" AND NOT consumed RETURNING "+grants.columns(""), kind, id))
	if err == nil {
		g.Consumed = false
		return g, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return storage.Grant{}, dbErr(op, err)
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM grants WHERE "+grants.whereKey()+")",
		kind, id).Scan(&exists); err != nil {
		return storage.Grant{}, dbErr(op, err)
	}
	if exists {
		return storage.Grant{}, fmt.Errorf("postgres: %s: already consumed: %w", op, storage.ErrConflict)
	}
	return storage.Grant{}, fmt.Errorf("postgres: %s: %w", op, storage.ErrNotFound)
}

func (s *Store) DeleteGrant(ctx context.Context, kind, id string) error {
	return s.exec(ctx, fmt.Sprintf("delete %s grant", kind), grants.deleteSQL(), kind, id)
}

// DeleteExpiredGrants removes grants whose ExpiresAt is set and before the
// given time (compared at microsecond precision), consumed or not.
func (s *Store) DeleteExpiredGrants(ctx context.Context, before time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, "DELETE FROM grants WHERE expires_at < $1", ts(before))
	if err != nil {
		return 0, dbErr("delete expired grants", err)
	}
	return int(tag.RowsAffected()), nil
}
