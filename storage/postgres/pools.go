package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/locognito/locognito/storage"
)

var pools = table{
	name: "pools",
	key:  []string{"id"},
	cols: []string{"name", "region", "created_at", "last_modified_at", "password_policy",
		"username_attrs", "alias_attrs", "auto_verified", "case_sensitive", "schema_attrs",
		"admin_create_only", "unused_account_days", "mfa_configuration", "deletion_protection",
		"domain", "extra"},
}

func poolArgs(p storage.Pool) []any {
	return []any{p.ID, p.Name, p.Region, tsArg(p.CreatedAt), tsArg(p.LastModifiedAt),
		jsonArg{p.PasswordPolicy}, jsonArg{p.UsernameAttrs}, jsonArg{p.AliasAttrs},
		jsonArg{p.AutoVerified}, p.CaseSensitive, jsonArg{p.Schema}, p.AdminCreateOnly,
		p.UnusedAccountDays, p.MfaConfiguration, p.DeletionProtection, p.Domain, jsonArg{p.Extra}}
}

func scanPool(row pgx.Row) (storage.Pool, error) {
	var p storage.Pool
	err := row.Scan(&p.ID, &p.Name, &p.Region, timeCol{&p.CreatedAt}, timeCol{&p.LastModifiedAt},
		jsonCol{&p.PasswordPolicy}, jsonCol{&p.UsernameAttrs}, jsonCol{&p.AliasAttrs},
		jsonCol{&p.AutoVerified}, &p.CaseSensitive, jsonCol{&p.Schema}, &p.AdminCreateOnly,
		&p.UnusedAccountDays, &p.MfaConfiguration, &p.DeletionProtection, &p.Domain, jsonCol{&p.Extra})
	return p, err
}

func (s *Store) CreatePool(ctx context.Context, p storage.Pool) error {
	if _, err := s.pool.Exec(ctx, pools.insertSQL(), poolArgs(p)...); err != nil {
		return dbErr(fmt.Sprintf("create pool %q", p.ID), err)
	}
	return nil
}

func (s *Store) GetPool(ctx context.Context, id string) (storage.Pool, error) {
	p, err := scanPool(s.pool.QueryRow(ctx, pools.selectSQL("")+" WHERE id = $1", id))
	if err != nil {
		return storage.Pool{}, dbErr(fmt.Sprintf("get pool %q", id), err)
	}
	return p, nil
}

func (s *Store) ListPools(ctx context.Context) ([]storage.Pool, error) {
	return list(ctx, s, "list pools", scanPool, pools.selectSQL("")+" ORDER BY id")
}

// UpdatePool runs fn on the locked pool; the ID cannot change.
func (s *Store) UpdatePool(ctx context.Context, id string, fn func(*storage.Pool) error) error {
	return updateRow(ctx, s, fmt.Sprintf("update pool %q", id), pools, []any{id},
		scanPool, poolArgs, func(p *storage.Pool, orig storage.Pool) { p.ID = orig.ID }, fn)
}

// DeletePool deletes the pool; foreign keys cascade to everything in it.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	return s.exec(ctx, fmt.Sprintf("delete pool %q", id), pools.deleteSQL(), id)
}
