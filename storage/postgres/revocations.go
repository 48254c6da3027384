package postgres

import (
	"context"
	"fmt"

	"github.com/locognito/locognito/storage"
)

// RevokeOrigin is idempotent: revoking a revoked family keeps the first
// record. It fails with ErrNotFound when the pool does not exist.
func (s *Store) RevokeOrigin(ctx context.Context, r storage.Revocation) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO revocations (pool_id, origin_jti, revoked_at, expires_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (pool_id, origin_jti) DO NOTHING`,
		r.PoolID, r.OriginJTI, tsArg(r.RevokedAt), tsArg(r.ExpiresAt))
	if err != nil {
		return dbErr(fmt.Sprintf("revoke origin %q", r.OriginJTI), err)
	}
	return nil
}

func (s *Store) IsOriginRevoked(ctx context.Context, poolID, originJTI string) (bool, error) {
	var revoked bool
	err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM revocations WHERE pool_id = $1 AND origin_jti = $2)",
		poolID, originJTI).Scan(&revoked)
	if err != nil {
		return false, dbErr(fmt.Sprintf("check revocation of %q", originJTI), err)
	}
	return revoked, nil
}
