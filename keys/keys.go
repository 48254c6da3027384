// Package keys owns each pool's RSA-2048 signing keys: one for ID tokens and
// one for access tokens (spec §4), their rotation, signing and the JWKS.
//
// CONTRACT STUB written by the lead: the exported API below is fixed; the
// implementation is being written.
package keys

import (
	"context"
	"crypto/rsa"
	"errors"
	"log/slog"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/storage"
)

// Token uses; each has its own key.
const (
	UseID     = "id"
	UseAccess = "access"
)

// Manager creates, rotates and serves pool keys.
type Manager struct {
	Store        storage.Keys
	Clock        clock.Clock
	Log          *slog.Logger
	PublishDelay time.Duration // how long a new key is published before it signs
	Retention    time.Duration // how long a retired key stays published (default 24h)
	Interval     time.Duration // scheduled rotation interval; 0 = off
}

var errTODO = errors.New("keys: not implemented yet")

// Ensure creates the pool's initial keys if it has none (idempotent, safe
// across replicas).
func (m *Manager) Ensure(ctx context.Context, poolID string) error { return errTODO }

// Signer returns the key that currently signs tokens of the given use.
func (m *Manager) Signer(ctx context.Context, poolID, use string) (kid string, key *rsa.PrivateKey, err error) {
	return "", nil, errTODO
}

// PublicKey returns a published key of the pool by kid, and its use.
func (m *Manager) PublicKey(ctx context.Context, poolID, kid string) (*rsa.PublicKey, string, error) {
	return nil, "", errTODO
}

// JWKS returns the pool's published public keys.
func (m *Manager) JWKS(ctx context.Context, poolID string) (jose.JSONWebKeySet, error) {
	return jose.JSONWebKeySet{}, errTODO
}

// Rotate forces a rotation of both keys: the new keys are published now and
// sign from now+delay.
func (m *Manager) Rotate(ctx context.Context, poolID string, delay time.Duration) error {
	return errTODO
}
