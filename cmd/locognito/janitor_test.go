package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/locognito/locognito/storage"
)

// A sweep purges grants and refresh tokens expired for longer than the
// grace, and keeps the rest.
func TestSweepPurgesExpiredRecords(t *testing.T) {
	r := startProgram(t, "--config", "../../testdata/seed.yaml")
	ctx := context.Background()
	now := time.Now()
	const poolID = "us-east-1_LocalDev1"
	grants := map[string]time.Time{
		"long-expired":  now.Add(-janitorGrace - time.Hour),
		"just-expired":  now.Add(-time.Minute),
		"still-running": now.Add(time.Hour),
	}
	for id, exp := range grants {
		if err := r.Store.CreateGrant(ctx, storage.Grant{Kind: "test", ID: id, PoolID: poolID, CreatedAt: now.Add(-3 * time.Hour), ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
	}
	for hash, exp := range map[string]time.Time{"old": now.Add(-janitorGrace - time.Hour), "live": now.Add(time.Hour)} {
		if err := r.Store.CreateRefreshToken(ctx, storage.RefreshToken{
			Hash: hash, PoolID: poolID, ClientID: "", UsernameKey: "alice", OriginJTI: hash,
			IssuedAt: now.Add(-3 * time.Hour), ExpiresAt: exp,
		}); err != nil {
			t.Fatal(err)
		}
	}

	r.sweep(ctx)

	for id, wantGone := range map[string]bool{"long-expired": true, "just-expired": false, "still-running": false} {
		_, err := r.Store.GetGrant(ctx, "test", id)
		if gone := errors.Is(err, storage.ErrNotFound); gone != wantGone {
			t.Errorf("grant %s: gone = %v, want %v (err %v)", id, gone, wantGone, err)
		}
	}
	for hash, wantGone := range map[string]bool{"old": true, "live": false} {
		_, err := r.Store.GetRefreshToken(ctx, hash)
		if gone := errors.Is(err, storage.ErrNotFound); gone != wantGone {
			t.Errorf("refresh token %s: gone = %v, want %v (err %v)", hash, gone, wantGone, err)
		}
	}
}
