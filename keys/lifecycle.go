package keys

import (
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/locognito/locognito/storage"
)

// The functions in this file are the whole key lifecycle. They are pure:
// given the records and "now" they decide, so replicas sharing a store agree.

// isPublished reports whether k is in the JWKS at now.
func isPublished(k storage.Key, now time.Time) bool {
	return k.RemoveAfter.IsZero() || now.Before(k.RemoveAfter)
}

// signingIndex returns the index of the key that signs tokens of use at now:
// the most recently created published key of that use that has activated.
// It returns -1 when there is none.
func signingIndex(ks []storage.Key, use string, now time.Time) int {
	best := -1
	for i, k := range ks {
		if k.Use != use || k.ActivatesAt.After(now) || !isPublished(k, now) {
			continue
		}
		if best < 0 || k.CreatedAt.After(ks[best].CreatedAt) {
			best = i
		}
	}
	return best
}

// hasUse reports whether ks holds a published key of use.
func hasUse(ks []storage.Key, use string, now time.Time) bool {
	for _, k := range ks {
		if k.Use == use && isPublished(k, now) {
			return true
		}
	}
	return false
}

// rotationDue reports whether scheduled rotation is due: some use's newest
// key was created interval or longer ago. A set without keys is not due
// (Ensure creates the first ones).
func rotationDue(ks []storage.Key, interval time.Duration, now time.Time) bool {
	for _, use := range []string{UseID, UseAccess} {
		var newest time.Time
		found := false
		for _, k := range ks {
			if k.Use == use && (!found || k.CreatedAt.After(newest)) {
				newest, found = k.CreatedAt, true
			}
		}
		if found && !now.Before(newest.Add(interval)) {
			return true
		}
	}
	return false
}

// prune drops keys whose RemoveAfter has passed.
func prune(ks []storage.Key, now time.Time) []storage.Key {
	out := ks[:0]
	for _, k := range ks {
		if isPublished(k, now) {
			out = append(out, k)
		}
	}
	return out
}

// addKey appends key as the newest key of use. It is published at once and
// signs from activates, or from now when the use has no key yet (nobody can
// hold a cached JWKS of a use without keys, so there is nothing to wait
// for). Every earlier key of the use that has no successor yet is scheduled
// to leave the JWKS Retention after the new key activates.
func addKey(set *storage.KeySet, use string, key *rsa.PrivateKey, now, activates time.Time, retention time.Duration) (storage.Key, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return storage.Key{}, fmt.Errorf("keys: marshal private key: %w", err)
	}
	created := now
	if !hasUse(set.Keys, use, now) {
		activates = now
	}
	for i := range set.Keys {
		k := &set.Keys[i]
		// Creation order decides which activated key signs. Keep it strict
		// even when the clock has not moved (a fake clock, or two rotations
		// within a timestamp tick): a microsecond survives every backend.
		if !created.After(k.CreatedAt) {
			created = k.CreatedAt.Add(time.Microsecond)
		}
		if k.Use == use && k.RemoveAfter.IsZero() {
			k.RetiredAt = activates
			k.RemoveAfter = activates.Add(retention)
		}
	}
	rec := storage.Key{
		KID:           KID(&key.PublicKey),
		Use:           use,
		PrivateKeyDER: der,
		CreatedAt:     created,
		ActivatesAt:   activates,
	}
	set.Keys = append(set.Keys, rec)
	return rec, nil
}
