package jwtverify_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/locognito/locognito/jwtverify"
)

func wantHits(t *testing.T, s *jwksServer, want int64) {
	t.Helper()
	if got := s.hits.Load(); got != want {
		t.Fatalf("JWKS fetched %d times, want %d", got, want)
	}
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}

func TestUnknownKIDRefetchAndPenalty(t *testing.T) {
	e := newEnv(t)
	v := e.verifier(t)
	ctx := context.Background()
	iss := e.srv.issuer()
	wantHits(t, e.srv, 0) // New does not fetch

	if _, err := v.Verify(ctx, sign(keyAccess, kidAccess, accessClaims(iss))); err != nil {
		t.Fatal(err)
	}
	wantHits(t, e.srv, 1)

	_, err := v.Verify(ctx, sign(keyEvil, kidEvil, accessClaims(iss)))
	wantErr(t, err, jwtverify.ErrUnknownKID)
	wantHits(t, e.srv, 2) // exactly one refetch

	// Within the penalty window: no fetch for the same or another unknown kid.
	e.clock.Add(9 * time.Second)
	for _, kid := range []string{kidEvil, "another-unknown-kid"} {
		_, err = v.Verify(ctx, sign(keyEvil, kid, accessClaims(iss)))
		wantErr(t, err, jwtverify.ErrUnknownKID)
	}
	wantHits(t, e.srv, 2)

	// Known kids keep verifying during the penalty.
	if _, err := v.Verify(ctx, sign(keyAccess, kidAccess, accessClaims(iss))); err != nil {
		t.Fatal(err)
	}

	// After the window, one more refetch.
	e.clock.Add(time.Second)
	_, err = v.Verify(ctx, sign(keyEvil, kidEvil, accessClaims(iss)))
	wantErr(t, err, jwtverify.ErrUnknownKID)
	wantHits(t, e.srv, 3)
}

func TestPenaltyWindowConfigurable(t *testing.T) {
	e := newEnv(t)
	e.cfg.PenaltyWindow = time.Minute
	v := e.verifier(t)
	ctx := context.Background()
	evil := sign(keyEvil, kidEvil, accessClaims(e.srv.issuer()))
	_, _ = v.Verify(ctx, evil)
	e.clock.Add(59 * time.Second)
	_, _ = v.Verify(ctx, evil)
	wantHits(t, e.srv, 1)
	e.clock.Add(time.Second)
	_, _ = v.Verify(ctx, evil)
	wantHits(t, e.srv, 2)
}

func TestKeyRotation(t *testing.T) {
	e := newEnv(t)
	v := e.verifier(t)
	ctx := context.Background()
	iss := e.srv.issuer()
	oldTok := sign(keyAccess, kidAccess, accessClaims(iss))
	newTok := sign(keyNew, kidNew, accessClaims(iss))

	if _, err := v.Verify(ctx, oldTok); err != nil {
		t.Fatal(err)
	}
	// Rotate: the new key is published, the old one withdrawn.
	e.srv.setKeys(jwkJSON(kidNew, keyNew, "RS256", "sig"), jwkJSON(kidID, keyID, "RS256", "sig"))

	// The old key is still cached: no refetch merely because the JWKS changed.
	if _, err := v.Verify(ctx, oldTok); err != nil {
		t.Fatalf("old key before any refetch: %v", err)
	}
	wantHits(t, e.srv, 1)

	// The new kid triggers a refetch and verifies.
	if _, err := v.Verify(ctx, newTok); err != nil {
		t.Fatalf("rotated-in key: %v", err)
	}
	wantHits(t, e.srv, 2)

	// After that refetch the removed key no longer verifies.
	_, err := v.Verify(ctx, oldTok)
	wantErr(t, err, jwtverify.ErrUnknownKID)
}

func TestRefetchSingleFlight(t *testing.T) {
	tests := []struct {
		name      string
		kid       string
		key       bool // the kid is published once the burst starts
		wantErr   error
		wantFetch int64
	}{
		{name: "unknown kid", kid: kidEvil, wantErr: jwtverify.ErrUnknownKID, wantFetch: 1},
		{name: "rotated-in kid", kid: kidNew, key: true, wantFetch: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			v := e.verifier(t)
			ctx := context.Background()
			if _, err := v.Verify(ctx, sign(keyAccess, kidAccess, accessClaims(e.srv.issuer()))); err != nil {
				t.Fatal(err)
			}
			e.srv.set(func(s *jwksServer) {
				s.delay = 50 * time.Millisecond // keep the fetch in flight while callers pile up
				if tt.key {
					s.keys = append(poolKeys(), jwkJSON(kidNew, keyNew, "RS256", "sig"))
				}
			})
			signer := keyEvil
			if tt.key {
				signer = keyNew
			}
			tok := sign(signer, tt.kid, accessClaims(e.srv.issuer()))

			const n = 50
			start := make(chan struct{})
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					<-start
					_, errs[i] = v.Verify(ctx, tok)
				})
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if !errors.Is(err, tt.wantErr) && (tt.wantErr != nil || err != nil) {
					t.Fatalf("goroutine %d: err = %v, want %v", i, err, tt.wantErr)
				}
			}
			wantHits(t, e.srv, 1+tt.wantFetch)
		})
	}
}

func TestJWKSFetchFailures(t *testing.T) {
	keysJSON := func(keys ...string) string { return `{"keys":[` + strings.Join(keys, ",") + `]}` }
	accessJWK := mustJSON(jwkJSON(kidAccess, keyAccess, "RS256", "sig"))
	tests := []struct {
		name      string
		setup     func(s *jwksServer)
		cfg       func(c *jwtverify.Config)
		wantErr   error // nil: the access token verifies
		wantCause error
		wantHits  int64
	}{
		{name: "plain JWKS", setup: func(s *jwksServer) { s.body = keysJSON(accessJWK) }, wantHits: 1},
		{name: "HTTP 500, retried once", setup: func(s *jwksServer) { s.status = 500 },
			wantErr: jwtverify.ErrJWKSFetch, wantHits: 2},
		{name: "HTTP 201 is not 200", setup: func(s *jwksServer) { s.status = 201 },
			wantErr: jwtverify.ErrJWKSFetch, wantHits: 2},
		{name: "one failure then success", setup: func(s *jwksServer) { s.fails = 1 }, wantHits: 2},
		{name: "timeout", setup: func(s *jwksServer) { s.delay = 300 * time.Millisecond },
			cfg:     func(c *jwtverify.Config) { c.FetchTimeout = 50 * time.Millisecond },
			wantErr: jwtverify.ErrJWKSFetch, wantCause: context.DeadlineExceeded, wantHits: 2},
		{name: "not JSON", setup: func(s *jwksServer) { s.body = "<html>" }, wantErr: jwtverify.ErrJWKSFetch, wantHits: 2},
		{name: "not an object", setup: func(s *jwksServer) { s.body = "[" + accessJWK + "]" },
			wantErr: jwtverify.ErrJWKSFetch, wantHits: 2},
		{name: "no keys member", setup: func(s *jwksServer) { s.body = `{"kys":[` + accessJWK + `]}` },
			wantErr: jwtverify.ErrJWKSFetch, wantHits: 2},
		{name: "keys null", setup: func(s *jwksServer) { s.body = `{"keys":null}` },
			wantErr: jwtverify.ErrJWKSFetch, wantHits: 2},
		{name: "keys not an array", setup: func(s *jwksServer) { s.body = `{"keys":` + accessJWK + `}` },
			wantErr: jwtverify.ErrJWKSFetch, wantHits: 2},
		{name: "trailing data", setup: func(s *jwksServer) { s.body = keysJSON(accessJWK) + `{}` },
			wantErr: jwtverify.ErrJWKSFetch, wantHits: 2},
		{name: "key not an object", setup: func(s *jwksServer) { s.body = keysJSON(accessJWK, `"k"`) },
			wantErr: jwtverify.ErrJWKSFetch, wantHits: 2},
		{name: "kid of the wrong type", setup: func(s *jwksServer) { s.body = keysJSON(accessJWK, `{"kty":"RSA","kid":1}`) },
			wantErr: jwtverify.ErrJWKSFetch, wantHits: 2},
		{name: "broken RSA key", setup: func(s *jwksServer) { s.body = keysJSON(accessJWK, `{"kty":"RSA","kid":"x","n":"AQAB"}`) },
			wantErr: jwtverify.ErrJWKSFetch, wantHits: 2},
		{name: "private key published", wantErr: jwtverify.ErrJWKSFetch, wantHits: 2,
			setup: func(s *jwksServer) {
				m := jwkJSON(kidAccess, keyAccess, "RS256", "sig")
				m["d"] = b64(keyAccess.D.Bytes())
				m["p"], m["q"] = b64(keyAccess.Primes[0].Bytes()), b64(keyAccess.Primes[1].Bytes())
				s.body = keysJSON(mustJSON(m))
			}},
		{name: "duplicate kid", setup: func(s *jwksServer) { s.body = keysJSON(accessJWK, accessJWK) },
			wantErr: jwtverify.ErrJWKSFetch, wantHits: 2},
		{name: "other key types skipped", wantHits: 1, setup: func(s *jwksServer) {
			s.body = keysJSON(`{"kty":"EC","kid":"ec","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`,
				`{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}`, accessJWK)
		}},
		{name: "only key has use enc", wantErr: jwtverify.ErrUnknownKID, wantHits: 1,
			setup: func(s *jwksServer) { s.keys = []map[string]any{jwkJSON(kidAccess, keyAccess, "RS256", "enc")} }},
		{name: "JWK without alg or use accepted", wantHits: 1,
			setup: func(s *jwksServer) { s.keys = []map[string]any{jwkJSON(kidAccess, keyAccess, "", "")} }},
		{name: "1024-bit key skipped", wantErr: jwtverify.ErrUnknownKID, wantHits: 1,
			setup: func(s *jwksServer) { s.keys = []map[string]any{jwkJSON(kidAccess, key1024(), "RS256", "sig")} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.srv.set(tt.setup)
			if tt.cfg != nil {
				tt.cfg(&e.cfg)
			}
			v := e.verifier(t)
			_, err := v.Verify(context.Background(), sign(keyAccess, kidAccess, accessClaims(e.srv.issuer())))
			if tt.wantErr == nil && err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if tt.wantErr != nil {
				wantErr(t, err, tt.wantErr)
				var ve *jwtverify.ValidationError
				if !errors.As(err, &ve) || ve.Check != jwtverify.CheckKey {
					t.Fatalf("err = %#v, want check %q", err, jwtverify.CheckKey)
				}
			}
			if tt.wantCause != nil {
				wantErr(t, err, tt.wantCause)
			}
			wantHits(t, e.srv, tt.wantHits)
		})
	}
}

// key1024 is too small to be accepted from a JWKS.
var key1024 = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		panic(err)
	}
	return k
})

// TestJWKSFailureKeepsKeysAndBacksOff: a failed refetch keeps the cached keys
// and starts the penalty window; a failure on first use reports ErrJWKSFetch
// without refetching until the window has passed.
func TestJWKSFailureKeepsKeysAndBacksOff(t *testing.T) {
	e := newEnv(t)
	v := e.verifier(t)
	ctx := context.Background()
	good := sign(keyAccess, kidAccess, accessClaims(e.srv.issuer()))
	unknown := sign(keyNew, kidNew, accessClaims(e.srv.issuer()))
	if _, err := v.Verify(ctx, good); err != nil {
		t.Fatal(err)
	}
	e.srv.set(func(s *jwksServer) { s.status = 503 })
	_, err := v.Verify(ctx, unknown)
	wantErr(t, err, jwtverify.ErrJWKSFetch)
	wantHits(t, e.srv, 3) // one refetch, retried once
	if _, err := v.Verify(ctx, good); err != nil {
		t.Fatalf("cached key after failed refetch: %v", err)
	}
	_, err = v.Verify(ctx, unknown)
	wantErr(t, err, jwtverify.ErrUnknownKID) // penalty: no fetch
	wantHits(t, e.srv, 3)

	// Cold verifier, JWKS down.
	v2 := e.verifier(t)
	_, err = v2.Verify(ctx, good)
	wantErr(t, err, jwtverify.ErrJWKSFetch)
	wantHits(t, e.srv, 5)
	_, err = v2.Verify(ctx, good)
	wantErr(t, err, jwtverify.ErrJWKSFetch)
	wantHits(t, e.srv, 5)
	e.srv.set(func(s *jwksServer) { s.status = 0 })
	e.clock.Add(10 * time.Second)
	if _, err := v2.Verify(ctx, good); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	wantHits(t, e.srv, 6)
}

// TestVerifyContextCanceled: a caller that gives up gets an error at once,
// while the shared fetch goes on for the others.
func TestVerifyContextCanceled(t *testing.T) {
	e := newEnv(t)
	e.srv.set(func(s *jwksServer) { s.delay = 200 * time.Millisecond })
	v := e.verifier(t)
	tok := sign(keyAccess, kidAccess, accessClaims(e.srv.issuer()))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := v.Verify(ctx, tok)
	wantErr(t, err, jwtverify.ErrJWKSFetch)
	wantErr(t, err, context.Canceled)

	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("Verify after a canceled caller: %v", err)
	}
	wantHits(t, e.srv, 1)
}
