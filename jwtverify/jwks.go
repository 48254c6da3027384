package jwtverify

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"
	"golang.org/x/sync/singleflight"
)

// maxJWKSSize bounds a JWKS response body.
const maxJWKSSize = 1 << 20

// minRSABits is the smallest modulus accepted; Cognito uses 2048.
const minRSABits = 2048

// jwk is a parsed verification key.
type jwk struct {
	pub *rsa.PublicKey
	alg string // the JWK's "alg", "" when absent
}

// jwksCache holds one JWKS URL's keys by kid. It fetches on first use and
// again only when a token names a kid it does not hold. Concurrent refetches
// are merged (singleflight); a refetch that fails, or that does not yield the
// kid that caused it, starts a penalty window during which no kid miss causes
// another fetch. Keys never expire otherwise: Cognito keys are long-lived and
// locognito publishes new keys before signing with them.
type jwksCache struct {
	url     string
	client  *http.Client
	timeout time.Duration
	penalty time.Duration
	now     func() time.Time

	keys  atomic.Pointer[map[string]jwk] // nil until the first successful fetch
	group singleflight.Group

	mu           sync.Mutex // guards the two below and orders them with keys
	penaltyUntil time.Time
	lastErr      error
}

func newJWKSCache(r *resolved) *jwksCache {
	return &jwksCache{url: r.jwksURL, client: r.client, timeout: r.fetchTimeout, penalty: r.penalty, now: r.now}
}

// key returns the key for kid. The warm path is one atomic load and a map
// lookup.
func (c *jwksCache) key(ctx context.Context, kid string) (jwk, *ValidationError) {
	if m := c.keys.Load(); m != nil {
		if k, ok := (*m)[kid]; ok {
			return k, nil
		}
	}
	return c.refetch(ctx, kid)
}

func (c *jwksCache) refetch(ctx context.Context, kid string) (jwk, *ValidationError) {
	c.mu.Lock()
	// A fetch may have completed since the lock-free lookup.
	m := c.keys.Load()
	if m != nil {
		if k, ok := (*m)[kid]; ok {
			c.mu.Unlock()
			return k, nil
		}
	}
	if c.now().Before(c.penaltyUntil) {
		lastErr := c.lastErr
		c.mu.Unlock()
		if m == nil {
			return jwk{}, &ValidationError{Check: CheckKey, Err: ErrJWKSFetch,
				Detail: "JWKS fetch failed recently, not retrying yet", Cause: lastErr}
		}
		return jwk{}, fail(CheckKey, ErrUnknownKID, "kid not in JWKS (refetch suppressed in penalty window)")
	}
	// Join or start the fetch while still holding c.mu: a flight publishes
	// its result under c.mu before it ends, so this caller either joins it
	// or sees its result above, and never starts a second fetch right after.
	// DoChan runs the fetch on its own goroutine, so holding c.mu is safe.
	// The fetch is shared, so it must not die with this caller's context.
	fetchCtx := context.WithoutCancel(ctx)
	ch := c.group.DoChan("", func() (any, error) { return c.fetchAndStore(fetchCtx, kid) })
	c.mu.Unlock()
	select {
	case res := <-ch:
		if res.Err != nil {
			return jwk{}, &ValidationError{Check: CheckKey, Err: ErrJWKSFetch, Detail: c.url, Cause: res.Err}
		}
		if k, ok := res.Val.(map[string]jwk)[kid]; ok {
			return k, nil
		}
		c.startPenalty()
		return jwk{}, fail(CheckKey, ErrUnknownKID, "kid not in JWKS after refetch")
	case <-ctx.Done():
		return jwk{}, &ValidationError{Check: CheckKey, Err: ErrJWKSFetch, Detail: "waiting for JWKS", Cause: ctx.Err()}
	}
}

// fetchAndStore fetches the JWKS, publishes it and, if the kid that caused
// the fetch is still missing or the fetch failed, starts the penalty window,
// all under c.mu so no caller can slip a second fetch in between.
func (c *jwksCache) fetchAndStore(ctx context.Context, kid string) (any, error) {
	m, err := c.fetch(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.penaltyUntil, c.lastErr = c.now().Add(c.penalty), err
		return nil, err
	}
	c.keys.Store(&m)
	if _, ok := m[kid]; !ok {
		c.penaltyUntil = c.now().Add(c.penalty)
	}
	return m, nil
}

func (c *jwksCache) startPenalty() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.penaltyUntil = c.now().Add(c.penalty)
}

// fetch GETs the JWKS: one retry, each attempt bounded by c.timeout.
func (c *jwksCache) fetch(ctx context.Context) (map[string]jwk, error) {
	m, err := c.fetchOnce(ctx)
	if err != nil && ctx.Err() == nil {
		m, err = c.fetchOnce(ctx)
	}
	return m, err
}

func (c *jwksCache) fetchOnce(ctx context.Context) (map[string]jwk, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("JWKS: HTTP status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSSize+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxJWKSSize {
		return nil, errors.New("JWKS: response too large")
	}
	return parseJWKS(body)
}

// parseJWKS strictly decodes a JWKS document: one JSON object with a "keys"
// array of objects. It keeps only RSA keys for signing (use "sig" or absent)
// with a kid and at least 2048 bits. Malformed keys, private key material
// and duplicate kids fail the whole document, so the previous keys stay.
func parseJWKS(body []byte) (map[string]jwk, error) {
	var doc map[string]json.RawMessage
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, errors.New("JWKS: not a JSON object")
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("JWKS: %w", err)
	}
	rawKeys, ok := doc["keys"]
	if !ok || !bytes.HasPrefix(bytes.TrimLeft(rawKeys, " \t\r\n"), []byte("[")) {
		return nil, errors.New(`JWKS: "keys" is missing or not an array`)
	}
	var keys []json.RawMessage
	if err := json.Unmarshal(rawKeys, &keys); err != nil {
		return nil, fmt.Errorf("JWKS: %w", err)
	}
	m := make(map[string]jwk, len(keys))
	for i, raw := range keys {
		var meta struct {
			Kty string `json:"kty"`
			Use string `json:"use"`
			Alg string `json:"alg"`
			Kid string `json:"kid"`
		}
		if !bytes.HasPrefix(bytes.TrimLeft(raw, " \t\r\n"), []byte("{")) {
			return nil, fmt.Errorf("JWKS: key %d is not an object", i)
		}
		if err := json.Unmarshal(raw, &meta); err != nil {
			return nil, fmt.Errorf("JWKS: key %d: %w", i, err)
		}
		if meta.Kty != "RSA" || (meta.Use != "" && meta.Use != "sig") || meta.Kid == "" {
			continue
		}
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(raw); err != nil {
			return nil, fmt.Errorf("JWKS: key %q: %w", meta.Kid, err)
		}
		pub, ok := k.Key.(*rsa.PublicKey) // a JWK with "d" parses as *rsa.PrivateKey
		if !ok {
			return nil, fmt.Errorf("JWKS: key %q is not a public RSA key", meta.Kid)
		}
		if pub.N.BitLen() < minRSABits {
			continue
		}
		if _, dup := m[meta.Kid]; dup {
			return nil, fmt.Errorf("JWKS: duplicate kid %q", meta.Kid)
		}
		m[meta.Kid] = jwk{pub: pub, alg: meta.Alg}
	}
	return m, nil
}
