package memory

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/locognito/locognito/storage"
)

var _ storage.Storage = (*Store)(nil)

// Store is the in-memory storage.Storage. The zero value is not usable; call
// New.
type Store struct {
	mu sync.RWMutex

	pools           map[string]storage.Pool
	clients         map[string]storage.Client
	users           map[poolKey]storage.User
	subs            map[poolKey]string // (pool, sub) → UsernameKey
	groups          map[poolKey]storage.Group
	members         map[poolKey]map[string]struct{} // (pool, group) → UsernameKeys
	resourceServers map[poolKey]storage.ResourceServer
	refreshTokens   map[string]storage.RefreshToken
	revocations     map[poolKey]storage.Revocation
	grants          map[grantKey]storage.Grant
	sessions        map[string]storage.Session
	keySets         map[string]storage.KeySet
	messages        []storage.Message // in insertion order
}

// poolKey is a key scoped to a pool: a username key, sub, group name,
// resource-server identifier or origin_jti.
type poolKey struct{ pool, name string }

type grantKey struct{ kind, id string }

// New returns an empty Store.
func New() *Store {
	return &Store{
		pools:           map[string]storage.Pool{},
		clients:         map[string]storage.Client{},
		users:           map[poolKey]storage.User{},
		subs:            map[poolKey]string{},
		groups:          map[poolKey]storage.Group{},
		members:         map[poolKey]map[string]struct{}{},
		resourceServers: map[poolKey]storage.ResourceServer{},
		refreshTokens:   map[string]storage.RefreshToken{},
		revocations:     map[poolKey]storage.Revocation{},
		grants:          map[grantKey]storage.Grant{},
		sessions:        map[string]storage.Session{},
		keySets:         map[string]storage.KeySet{},
	}
}

// Ping always succeeds.
func (s *Store) Ping(context.Context) error { return nil }

// Close does nothing; the Store stays usable.
func (s *Store) Close() error { return nil }

// requirePool fails with ErrNotFound when the pool does not exist, as a
// foreign key would. The caller holds the lock.
func (s *Store) requirePool(op, poolID string) error {
	if _, ok := s.pools[poolID]; !ok {
		return fmt.Errorf("memory: %s: pool %q: %w", op, poolID, storage.ErrNotFound)
	}
	return nil
}

// updateErr turns an Update callback's error into the Update's result:
// ErrNoChange means success without a write; any other error is returned as
// it is, so callers can match their own error types.
func updateErr(err error) error {
	if errors.Is(err, storage.ErrNoChange) {
		return nil
	}
	return err
}

// deleteExpired removes the records of m whose expiry is set and before the
// given time, compared at the stored precision, as Postgres's
// "expires_at < $1" does (NULL never matches), and returns how many went.
// The caller holds the write lock.
func deleteExpired[K comparable, V any](m map[K]V, before time.Time, expiresAt func(V) time.Time) int {
	before = ts(before)
	n := 0
	for k, v := range m {
		if e := expiresAt(v); !e.IsZero() && e.Before(before) {
			delete(m, k)
			n++
		}
	}
	return n
}
