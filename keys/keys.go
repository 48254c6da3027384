package keys

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"golang.org/x/sync/singleflight"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/storage"
)

// Token uses; each has its own key.
const (
	UseID     = "id"
	UseAccess = "access"
)

// DefaultRetention is how long a retired key stays published after its
// successor activates: the longest token lifetime (1 day, spec §5.4).
const DefaultRetention = 24 * time.Hour

// ErrKeyNotFound: the pool has no published key with that kid.
var ErrKeyNotFound = errors.New("keys: no published key with that kid")

// Manager creates, rotates and serves pool keys. The zero value of the
// unexported fields is ready to use; Store and Clock are required.
type Manager struct {
	Store        storage.Keys
	Clock        clock.Clock
	Log          *slog.Logger
	PublishDelay time.Duration // how long a new key is published before it signs
	Retention    time.Duration // how long a retired key stays published (default 24h)
	Interval     time.Duration // scheduled rotation interval; 0 = off
	// NewKey, when set, supplies new RSA-2048 keys instead of generating
	// them (and bypasses the spare buffer). For harnesses that create pools
	// by the thousand, such as fuzzing, where key generation would be
	// nearly all the work; production leaves it nil.
	NewKey func() (*rsa.PrivateKey, error)

	mu      sync.Mutex
	sets    map[string]*snapshot // pool → cached key set
	gens    map[string]uint64    // pool → bumped by every local write
	loads   singleflight.Group
	ensures singleflight.Group
}

// KeyInfo describes a stored key without its private part.
type KeyInfo struct {
	KID         string
	Use         string
	CreatedAt   time.Time
	ActivatesAt time.Time
}

// Ensure creates the pool's initial keys if it has none (idempotent, safe
// across replicas).
func (m *Manager) Ensure(ctx context.Context, poolID string) error {
	snap, err := m.snapshot(ctx, poolID, false)
	if err != nil {
		return err
	}
	now := m.Clock.Now()
	if hasUse(snap.keys, UseID, now) && hasUse(snap.keys, UseAccess, now) {
		return nil
	}
	// Concurrent local callers (say, the first requests after a restart)
	// share one attempt; other replicas are handled by the re-check below.
	_, err, _ = m.ensures.Do(poolID, func() (any, error) {
		return nil, m.create(ctx, poolID)
	})
	return err
}

// create stores a key for each use that has none. Keys are generated before
// the update; the update re-checks and hands back what it does not need.
func (m *Manager) create(ctx context.Context, poolID string) error {
	fresh, err := m.takeKeys(2)
	if err != nil {
		return err
	}
	var used int
	err = m.Store.UpdateKeySet(ctx, poolID, func(set *storage.KeySet) error {
		now := m.Clock.Now()
		used = 0
		set.Keys = prune(set.Keys, now)
		for _, use := range []string{UseID, UseAccess} {
			if hasUse(set.Keys, use, now) {
				continue
			}
			if _, err := addKey(set, use, fresh[used], now, now, m.retention()); err != nil {
				return err
			}
			used++
		}
		if used == 0 {
			return storage.ErrNoChange
		}
		return nil
	})
	if err != nil {
		// The update may have been committed before the error reached us:
		// never reuse keys that might be stored.
		return fmt.Errorf("keys: create keys of %s: %w", poolID, err)
	}
	m.giveBack(fresh[used:]...)
	// Even when another replica created the keys, our cached copy (which
	// said there were none) is now known to be stale.
	m.invalidate(poolID)
	if used > 0 {
		m.log().Info("created pool keys", "pool_id", poolID)
	}
	return nil
}

// Signer returns the key that currently signs tokens of the given use. A
// pool without keys gets them first.
func (m *Manager) Signer(ctx context.Context, poolID, use string) (kid string, key *rsa.PrivateKey, err error) {
	if use != UseID && use != UseAccess {
		return "", nil, fmt.Errorf("keys: unknown use %q", use)
	}
	for attempt := 0; ; attempt++ {
		snap, err := m.snapshot(ctx, poolID, false)
		if err != nil {
			return "", nil, err
		}
		now := m.Clock.Now()
		if i := signingIndex(snap.keys, use, now); i >= 0 {
			k := snap.keys[i]
			return k.KID, snap.priv[k.KID], nil
		}
		if attempt > 0 || hasUse(snap.keys, use, now) {
			return "", nil, fmt.Errorf("keys: pool %s has no active %s key", poolID, use)
		}
		if err := m.Ensure(ctx, poolID); err != nil {
			return "", nil, err
		}
	}
}

// PublicKey returns a published key of the pool by kid, and its use. An
// unknown kid causes one fresh read (another replica may just have
// published it) before ErrKeyNotFound.
func (m *Manager) PublicKey(ctx context.Context, poolID, kid string) (*rsa.PublicKey, string, error) {
	for _, fresh := range []bool{false, true} {
		snap, err := m.snapshot(ctx, poolID, fresh)
		if err != nil {
			return nil, "", err
		}
		now := m.Clock.Now()
		for _, k := range snap.keys {
			if k.KID == kid && isPublished(k, now) {
				return &snap.priv[k.KID].PublicKey, k.Use, nil
			}
		}
	}
	return nil, "", fmt.Errorf("%w: pool %s", ErrKeyNotFound, poolID)
}

// JWKS returns the pool's published public keys. A pool without keys gets
// them first, so a JWKS is never empty.
func (m *Manager) JWKS(ctx context.Context, poolID string) (jose.JSONWebKeySet, error) {
	snap, err := m.snapshot(ctx, poolID, false)
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	now := m.Clock.Now()
	if !hasUse(snap.keys, UseID, now) || !hasUse(snap.keys, UseAccess, now) {
		if err := m.Ensure(ctx, poolID); err != nil {
			return jose.JSONWebKeySet{}, err
		}
		if snap, err = m.snapshot(ctx, poolID, false); err != nil {
			return jose.JSONWebKeySet{}, err
		}
	}
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	for _, k := range snap.keys {
		if !isPublished(k, now) {
			continue
		}
		set.Keys = append(set.Keys, jose.JSONWebKey{
			Key:       &snap.priv[k.KID].PublicKey,
			KeyID:     k.KID,
			Algorithm: "RS256",
			Use:       "sig",
		})
	}
	return set, nil
}

// JWKSMaxAge is how long clients may cache a JWKS response: short enough
// that a verifier which fetched the JWKS just before a rotation refetches
// before the new key signs, i.e. PublishDelay minus what a replica's stale
// cache may add (CacheTTL), capped at an hour. Verifiers that refetch on an
// unknown kid (aws-jwt-verify, go-oidc, jwtverify) work with any value.
func (m *Manager) JWKSMaxAge() time.Duration {
	return min(max(m.PublishDelay-CacheTTL, 0), time.Hour)
}

// Rotate forces a rotation of both keys: the new keys are published now and
// sign from now+delay.
func (m *Manager) Rotate(ctx context.Context, poolID string, delay time.Duration) error {
	_, err := m.RotateKeys(ctx, poolID, delay)
	return err
}

// RotateKeys is Rotate returning the new keys (the dev rotate endpoint
// reports them).
func (m *Manager) RotateKeys(ctx context.Context, poolID string, delay time.Duration) ([]KeyInfo, error) {
	if delay < 0 {
		return nil, fmt.Errorf("keys: negative publish delay %s", delay)
	}
	infos, err := m.rotate(ctx, poolID, func(*storage.KeySet, time.Time) bool { return true }, delay)
	if err != nil {
		return nil, err
	}
	return infos, nil
}

// RotateIfDue rotates the pool's keys when the newest is older than
// Interval, publishing the new keys PublishDelay before they sign. The
// check is repeated inside the storage update, so replicas racing on the
// same pool rotate it once. It reports whether this call rotated.
func (m *Manager) RotateIfDue(ctx context.Context, poolID string) (bool, error) {
	if m.Interval <= 0 {
		return false, nil
	}
	snap, err := m.snapshot(ctx, poolID, false)
	if err != nil {
		return false, err
	}
	if !rotationDue(snap.keys, m.Interval, m.Clock.Now()) {
		return false, nil
	}
	due := func(set *storage.KeySet, now time.Time) bool { return rotationDue(set.Keys, m.Interval, now) }
	infos, err := m.rotate(ctx, poolID, due, m.PublishDelay)
	return len(infos) > 0, err
}

// rotate adds a key per use in one update when due(set) holds inside it,
// and returns the added keys (none when due said no).
func (m *Manager) rotate(ctx context.Context, poolID string, due func(*storage.KeySet, time.Time) bool, delay time.Duration) ([]KeyInfo, error) {
	fresh, err := m.takeKeys(2)
	if err != nil {
		return nil, err
	}
	var added []KeyInfo
	err = m.Store.UpdateKeySet(ctx, poolID, func(set *storage.KeySet) error {
		added = nil
		now := m.Clock.Now()
		if !due(set, now) {
			return storage.ErrNoChange
		}
		set.Keys = prune(set.Keys, now)
		for i, use := range []string{UseID, UseAccess} {
			rec, err := addKey(set, use, fresh[i], now, now.Add(delay), m.retention())
			if err != nil {
				return err
			}
			added = append(added, KeyInfo{KID: rec.KID, Use: rec.Use, CreatedAt: rec.CreatedAt, ActivatesAt: rec.ActivatesAt})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("keys: rotate keys of %s: %w", poolID, err)
	}
	m.invalidate(poolID)
	if len(added) == 0 {
		m.giveBack(fresh...)
		return nil, nil
	}
	m.log().Info("rotated pool keys", "pool_id", poolID,
		"id_kid", added[0].KID, "access_kid", added[1].KID, "activates_at", added[0].ActivatesAt)
	return added, nil
}

// Run rotates every pool's keys when due until ctx ends; it returns at once
// when Interval is 0. listPools names the pools to check. The ticker is a
// real one (it only decides when to look); whether a pool is due is decided
// by RotateIfDue on m.Clock.
func (m *Manager) Run(ctx context.Context, listPools func(context.Context) ([]string, error)) error {
	if m.Interval <= 0 {
		return nil
	}
	t := time.NewTicker(min(max(m.Interval/10, time.Second), time.Minute))
	defer t.Stop()
	for {
		m.rotateAll(ctx, listPools)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (m *Manager) rotateAll(ctx context.Context, listPools func(context.Context) ([]string, error)) {
	pools, err := listPools(ctx)
	if err != nil {
		if ctx.Err() == nil {
			m.log().Error("key rotation: list pools", "err", err)
		}
		return
	}
	for _, id := range pools {
		if ctx.Err() != nil {
			return
		}
		if _, err := m.RotateIfDue(ctx, id); err != nil && ctx.Err() == nil {
			m.log().Error("key rotation failed", "pool_id", id, "err", err)
		}
	}
}

func (m *Manager) retention() time.Duration {
	if m.Retention > 0 {
		return m.Retention
	}
	return DefaultRetention
}

func (m *Manager) log() *slog.Logger {
	if m.Log == nil {
		return slog.Default()
	}
	return m.Log
}
