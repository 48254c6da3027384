package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/locognito/locognito/storage"
)

// Errors name no token hash: a hash is as good as a key to the record.

var refreshTokens = table{
	name: "refresh_tokens",
	key:  []string{"hash"},
	cols: []string{"pool_id", "client_id", "username_key", "origin_jti", "auth_time", "scopes",
		"issued_at", "expires_at", "revoked_at", "rotated_at"},
}

func refreshTokenArgs(t storage.RefreshToken) []any {
	return []any{t.Hash, t.PoolID, t.ClientID, t.UsernameKey, t.OriginJTI, tsArg(t.AuthTime),
		jsonArg{t.Scopes}, tsArg(t.IssuedAt), tsArg(t.ExpiresAt), tsArg(t.RevokedAt), tsArg(t.RotatedAt)}
}

func scanRefreshToken(row pgx.Row) (storage.RefreshToken, error) {
	var t storage.RefreshToken
	err := row.Scan(&t.Hash, &t.PoolID, &t.ClientID, &t.UsernameKey, &t.OriginJTI, timeCol{&t.AuthTime},
		jsonCol{&t.Scopes}, timeCol{&t.IssuedAt}, timeCol{&t.ExpiresAt}, timeCol{&t.RevokedAt}, timeCol{&t.RotatedAt})
	return t, err
}

func (s *Store) CreateRefreshToken(ctx context.Context, t storage.RefreshToken) error {
	if _, err := s.pool.Exec(ctx, refreshTokens.insertSQL(), refreshTokenArgs(t)...); err != nil {
		return dbErr("create refresh token", err)
	}
	return nil
}

func (s *Store) GetRefreshToken(ctx context.Context, hash string) (storage.RefreshToken, error) {
	t, err := scanRefreshToken(s.pool.QueryRow(ctx, refreshTokens.selectSQL("")+" WHERE hash = $1", hash))
	if err != nil {
		return storage.RefreshToken{}, dbErr("get refresh token", err)
	}
	return t, nil
}

// UpdateRefreshToken runs fn on the locked token; Hash and PoolID cannot
// change.
func (s *Store) UpdateRefreshToken(ctx context.Context, hash string, fn func(*storage.RefreshToken) error) error {
	return updateRow(ctx, s, "update refresh token", refreshTokens, []any{hash},
		scanRefreshToken, refreshTokenArgs, func(t *storage.RefreshToken, orig storage.RefreshToken) {
			t.Hash, t.PoolID = orig.Hash, orig.PoolID
		}, fn)
}

// DeleteExpiredRefreshTokens removes tokens whose ExpiresAt is set and before
// the given time (compared at microsecond precision).
func (s *Store) DeleteExpiredRefreshTokens(ctx context.Context, before time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, "DELETE FROM refresh_tokens WHERE expires_at < $1", ts(before))
	if err != nil {
		return 0, dbErr("delete expired refresh tokens", err)
	}
	return int(tag.RowsAffected()), nil
}
