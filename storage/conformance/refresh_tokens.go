package conformance

import (
	"context"
	"testing"
	"time"

	"github.com/locognito/locognito/storage"
)

func testRefreshTokens(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	recordCase[storage.RefreshToken]{
		full:    func() storage.RefreshToken { return fullRefreshToken(poolA, "hash-full") },
		minimal: func() storage.RefreshToken { return storage.RefreshToken{Hash: "hash-min", PoolID: poolA} },
		orphan:  func() storage.RefreshToken { return fullRefreshToken(noPool, "hash-orphan") },
		create: func(ctx context.Context, s storage.Storage, r storage.RefreshToken) error {
			return s.CreateRefreshToken(ctx, r)
		},
		get: func(ctx context.Context, s storage.Storage, r storage.RefreshToken) (storage.RefreshToken, error) {
			return s.GetRefreshToken(ctx, r.Hash)
		},
		update: func(ctx context.Context, s storage.Storage, r storage.RefreshToken, fn func(*storage.RefreshToken) error) error {
			return s.UpdateRefreshToken(ctx, r.Hash, fn)
		},
		keepKeys: func(dst *storage.RefreshToken, src storage.RefreshToken) {
			dst.Hash, dst.PoolID = src.Hash, src.PoolID
		},
	}.run(t, s)

	// hash-full now expires at +30d+1h (scribbled); hash-min never.
	expiring := func(hash string, d time.Duration) {
		t.Helper()
		r := fullRefreshToken(poolA, hash)
		r.ExpiresAt = at(d)
		must(t, "CreateRefreshToken", s.CreateRefreshToken(ctx, r))
	}
	expiring("old-1", -time.Hour)
	expiring("old-2", time.Minute)
	expiring("edge", time.Hour) // exactly at the cut-off: kept
	expiring("new", 2*time.Hour)

	n, err := s.DeleteExpiredRefreshTokens(ctx, at(time.Hour))
	must(t, "DeleteExpiredRefreshTokens", err)
	if n != 2 {
		t.Errorf("DeleteExpiredRefreshTokens removed %d, want 2", n)
	}
	for hash, wantKept := range map[string]bool{"old-1": false, "old-2": false, "edge": true, "new": true, "hash-full": true, "hash-min": true} {
		_, err := s.GetRefreshToken(ctx, hash)
		switch {
		case wantKept && err != nil:
			t.Errorf("GetRefreshToken %s after DeleteExpired: %v", hash, err)
		case !wantKept:
			wantErr(t, "GetRefreshToken "+hash+" after DeleteExpired", err, storage.ErrNotFound)
		}
	}
	n, err = s.DeleteExpiredRefreshTokens(ctx, at(time.Hour))
	must(t, "DeleteExpiredRefreshTokens again", err)
	if n != 0 {
		t.Errorf("DeleteExpiredRefreshTokens again removed %d, want 0", n)
	}
}

func testRevocations(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)
	revoked := func(pool, jti string) bool {
		t.Helper()
		ok, err := s.IsOriginRevoked(ctx, pool, jti)
		must(t, "IsOriginRevoked", err)
		return ok
	}
	if revoked(poolA, "jti-1") {
		t.Errorf("jti-1 revoked before RevokeOrigin")
	}
	r := storage.Revocation{PoolID: poolA, OriginJTI: "jti-1", RevokedAt: at(0), ExpiresAt: at(time.Hour)}
	must(t, "RevokeOrigin", s.RevokeOrigin(ctx, r))
	r.RevokedAt = at(time.Minute)
	must(t, "RevokeOrigin again", s.RevokeOrigin(ctx, r))
	must(t, "RevokeOrigin with zero times", s.RevokeOrigin(ctx, storage.Revocation{PoolID: poolA, OriginJTI: "jti-2"}))
	if !revoked(poolA, "jti-1") || !revoked(poolA, "jti-2") {
		t.Errorf("jti-1/jti-2 not revoked after RevokeOrigin")
	}
	if revoked(poolB, "jti-1") {
		t.Errorf("jti-1 revoked in the other pool")
	}
	if revoked(poolA, "jti-3") {
		t.Errorf("jti-3 revoked but never was")
	}
	wantErr(t, "RevokeOrigin missing pool", s.RevokeOrigin(ctx, storage.Revocation{PoolID: noPool, OriginJTI: "x"}), storage.ErrNotFound)
}
