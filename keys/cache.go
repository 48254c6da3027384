package keys

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/locognito/locognito/storage"
)

// CacheTTL is how long a Manager trusts its copy of a pool's key set before
// reading it again. Writes by the same Manager invalidate the copy at once;
// the TTL only bounds how late a replica notices another replica's
// rotation. Because the copy includes keys that are published but not yet
// active, a stale copy still switches to the new key at its ActivatesAt;
// what staleness can do is serve a JWKS without a key that another replica
// just published. A key signs PublishDelay after it is published, so keep
// PublishDelay comfortably above CacheTTL (plus the JWKS max-age, see
// JWKSMaxAge) and every verifier sees a key before any token it signed.
// Shorter would mean a storage read per token on Postgres; longer would
// need a longer PublishDelay.
const CacheTTL = 5 * time.Second

// loadTimeout bounds a shared key-set read, which runs detached from the
// context of whichever caller started it.
const loadTimeout = 10 * time.Second

// snapshot is one read of a pool's key set with its private keys parsed. It
// is immutable once built, so readers share it without locks.
type snapshot struct {
	keys    []storage.Key // PrivateKeyDER cleared: priv holds the parsed keys
	priv    map[string]*rsa.PrivateKey
	fetched time.Time
}

// LogValue keeps private keys out of logs should a snapshot ever be logged.
func (s *snapshot) LogValue() slog.Value {
	kids := make([]string, len(s.keys))
	for i, k := range s.keys {
		kids[i] = k.KID
	}
	return slog.GroupValue(slog.Any("kids", kids), slog.String("private_keys", "[redacted]"))
}

// snapshot returns the pool's key set, from the cache while it is younger
// than CacheTTL unless fresh is set. A pool without keys gives an empty
// snapshot, not an error.
func (m *Manager) snapshot(ctx context.Context, poolID string, fresh bool) (*snapshot, error) {
	now := m.Clock.Now()
	m.mu.Lock()
	cached, gen := m.sets[poolID], m.gens[poolID]
	m.mu.Unlock()
	if !fresh && cached != nil && !cached.fetched.After(now) && now.Sub(cached.fetched) < CacheTTL {
		return cached, nil
	}
	// Concurrent misses share one read. The generation in the key keeps a
	// caller that arrives after a local write from joining a read that
	// started before it.
	v, err, _ := m.loads.Do(poolID+"\x00"+strconv.FormatUint(gen, 10), func() (any, error) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), loadTimeout)
		defer cancel()
		set, err := m.Store.GetKeySet(ctx, poolID)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return nil, fmt.Errorf("keys: get key set of %s: %w", poolID, err)
		}
		snap, err := newSnapshot(set.Keys, cached, now)
		if err != nil {
			return nil, fmt.Errorf("keys: pool %s: %w", poolID, err)
		}
		m.mu.Lock()
		if m.sets == nil {
			m.sets, m.gens = map[string]*snapshot{}, map[string]uint64{}
		}
		if m.gens[poolID] == gen {
			m.sets[poolID] = snap
		}
		m.mu.Unlock()
		return snap, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*snapshot), nil
}

// newSnapshot parses the private keys of ks, reusing those already parsed in
// prev (a kid names one key forever).
func newSnapshot(ks []storage.Key, prev *snapshot, now time.Time) (*snapshot, error) {
	s := &snapshot{keys: make([]storage.Key, len(ks)), priv: make(map[string]*rsa.PrivateKey, len(ks)), fetched: now}
	for i, k := range ks {
		if prev != nil && prev.priv[k.KID] != nil {
			s.priv[k.KID] = prev.priv[k.KID]
		} else {
			parsed, err := x509.ParsePKCS8PrivateKey(k.PrivateKeyDER)
			if err != nil {
				return nil, fmt.Errorf("parse key %s: %w", k.KID, err)
			}
			rk, ok := parsed.(*rsa.PrivateKey)
			if !ok {
				return nil, fmt.Errorf("key %s is %T, not RSA", k.KID, parsed)
			}
			s.priv[k.KID] = rk
		}
		k.PrivateKeyDER = nil
		s.keys[i] = k
	}
	return s, nil
}

// invalidate drops the cached key set of the pool after a local write.
func (m *Manager) invalidate(poolID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sets == nil {
		m.sets, m.gens = map[string]*snapshot{}, map[string]uint64{}
	}
	m.gens[poolID]++
	delete(m.sets, poolID)
}
