// Package keys owns each pool's RSA-2048 signing keys: one for ID tokens and
// one for access tokens (spec §4), their rotation, signing and the JWKS.
//
// # Lifecycle
//
// A pool's keys live in one storage.KeySet, and everything about a key's
// state is computed from its record and the injected clock, so every replica
// reaches the same answer without coordination:
//
//   - the signing key of a use is the most recently created key of that use
//     whose ActivatesAt has passed;
//   - a key is published (in the JWKS, and accepted by PublicKey) from its
//     creation until its RemoveAfter;
//   - RemoveAfter is set when a successor is created: successor.ActivatesAt +
//     Retention (default 24 h, the longest token lifetime), so every token the
//     old key signed has expired before the key leaves the JWKS;
//   - keys past RemoveAfter are pruned on the next write.
//
// Rotation adds one key per use with ActivatesAt = now + delay, in one
// UpdateKeySet, so a new key is published for delay before it signs and
// verifiers that cache the JWKS see it in time. Scheduled rotation re-checks
// inside that update that the newest key is older than Interval, so two
// replicas rotate once, not twice.
//
// # Performance
//
// RSA-2048 generation takes 50-200 ms (more under -race). It always happens
// outside the storage transaction: a writer generates first, then its update
// re-checks and, if another replica won, hands the unused keys back. A small
// process-wide buffer of spare keys, refilled by a short-lived goroutine
// after each use, keeps CreateUserPool and rotation fast. Parsed private keys
// and each pool's key set are cached for CacheTTL (see there for the
// trade-off), so issuing a token is not a storage query.
package keys
