package jwtverify_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/locognito/locognito/jwtverify"
)

// Fixed identities of the test pool.
const (
	poolID   = "us-east-1_AbC123xYz"
	clientID = "7k2mq9x4b1n8c3v6z0p5r2t7wy"
	otherCID = "1example23456789abcdefghij"
	// Cognito-shaped kids: padded std base64, with '+', '/' and '='.
	kidAccess = "vyVQH7UMjwYboVvyFf+zd4KHZfgc+RtmU/A2vHhgITI="
	kidID     = "NzbLsXh8uDCcd+6MNwXF4W/7noWXFZAfHkxZsRGC9Xs="
	kidNew    = "rotatedKeyKid0000000000000000000000000000000="
	kidOther  = "otherPoolKid0000000000000000000000000000000="
	kidEvil   = "attackerKid00000000000000000000000000000000="
)

// t0 is the fixed "now" of every test: tokens are issued a minute earlier.
var t0 = time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)

// Keys set once in TestMain.
var keyAccess, keyID, keyNew, keyOther, keyEvil *rsa.PrivateKey

// TestMain loads the fixed access key (fixed so that fuzz workers, which
// are separate processes, build identical seed tokens) and generates the rest.
func TestMain(m *testing.M) {
	keys := make([]*rsa.PrivateKey, 4)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	keyID, keyNew, keyOther, keyEvil = keys[0], keys[1], keys[2], keys[3]
	keyAccess = loadKey("testdata/test_key.pem")
	os.Exit(m.Run())
}

func loadKey(path string) *rsa.PrivateKey {
	data, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		panic("no PEM in " + path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		panic(err)
	}
	return k.(*rsa.PrivateKey)
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Set(t time.Time)     { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }
func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// jwkJSON is the public JWK of k as Cognito publishes it.
func jwkJSON(kid string, k *rsa.PrivateKey, alg, use string) map[string]any {
	m := map[string]any{
		"kid": kid, "kty": "RSA",
		"n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes()),
	}
	if alg != "" {
		m["alg"] = alg
	}
	if use != "" {
		m["use"] = use
	}
	return m
}

// jwksServer serves a pool's JWKS at /<pool>/.well-known/jwks.json and counts
// requests to it.
type jwksServer struct {
	*httptest.Server
	hits atomic.Int64

	mu     sync.Mutex
	keys   []map[string]any
	body   string // raw body overriding keys when set
	status int    // 0 = 200
	delay  time.Duration
	fails  int // answer 500 to this many requests first
}

func newJWKSServer(t testing.TB, keys ...map[string]any) *jwksServer {
	s := &jwksServer{keys: keys}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/"+poolID+"/.well-known/jwks.json" {
		http.NotFound(w, r)
		return
	}
	s.hits.Add(1)
	s.mu.Lock()
	keys, body, status, delay := s.keys, s.body, s.status, s.delay
	failing := s.fails > 0
	if failing {
		s.fails--
	}
	s.mu.Unlock()
	time.Sleep(delay)
	if failing {
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	}
	if body == "" {
		b, _ := json.Marshal(map[string]any{"keys": keys})
		body = string(b)
	}
	w.Header().Set("Content-Type", "application/json")
	if status != 0 {
		w.WriteHeader(status)
	}
	fmt.Fprint(w, body)
}

func (s *jwksServer) setKeys(keys ...map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = keys
}

func (s *jwksServer) set(f func(s *jwksServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *jwksServer) issuer() string { return s.URL + "/" + poolID }

// poolKeys is the test pool's JWKS: an access key and an ID key.
func poolKeys() []map[string]any {
	return []map[string]any{
		jwkJSON(kidAccess, keyAccess, "RS256", "sig"),
		jwkJSON(kidID, keyID, "RS256", "sig"),
	}
}

// env is a JWKS server, a clock and a Config pointing at them.
type env struct {
	srv   *jwksServer
	clock *fakeClock
	cfg   jwtverify.Config
}

func newEnv(t testing.TB) *env {
	e := &env{srv: newJWKSServer(t, poolKeys()...), clock: &fakeClock{now: t0}}
	e.cfg = jwtverify.Config{
		Issuer:    e.srv.issuer(),
		ClientIDs: []string{clientID},
		TokenUse:  jwtverify.TokenUseAccess,
		Now:       e.clock.Now,
	}
	return e
}

func (e *env) verifier(t testing.TB) *jwtverify.Verifier {
	t.Helper()
	v, err := jwtverify.New(e.cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return v
}

// accessClaims is a Cognito API-flow access token payload.
func accessClaims(iss string) map[string]any {
	iat := t0.Add(-time.Minute).Unix()
	return map[string]any{
		"sub":        "c00c29ac-d0f1-4015-9677-2050463f38a6",
		"iss":        iss,
		"client_id":  clientID,
		"origin_jti": "0b1c5b0e-95d2-4a51-9fd4-4f7a3c3d8d10",
		"event_id":   "5f8a4f7e-0c5a-4f3c-8d0e-2b1a3c4d5e6f",
		"token_use":  "access",
		"scope":      "aws.cognito.signin.user.admin",
		"auth_time":  iat,
		"exp":        iat + 3600,
		"iat":        iat,
		"jti":        "9a3e2b1c-7d6f-4e5a-8b9c-0d1e2f3a4b5c",
		"username":   "janedoe",
	}
}

// idClaims is a Cognito API-flow ID token payload.
func idClaims(iss string) map[string]any {
	iat := t0.Add(-time.Minute).Unix()
	return map[string]any{
		"sub":              "c00c29ac-d0f1-4015-9677-2050463f38a6",
		"aud":              clientID,
		"email_verified":   true,
		"iss":              iss,
		"cognito:username": "janedoe",
		"cognito:groups":   []string{"admins", "editors"},
		"origin_jti":       "0b1c5b0e-95d2-4a51-9fd4-4f7a3c3d8d10",
		"event_id":         "5f8a4f7e-0c5a-4f3c-8d0e-2b1a3c4d5e6f",
		"token_use":        "id",
		"auth_time":        iat,
		"exp":              iat + 3600,
		"iat":              iat,
		"jti":              "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b",
		"email":            "jane@example.com",
		"custom:x":         "42",
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// cognitoHeader is Cognito's exact header: kid first, no typ.
func cognitoHeader(kid string) string { return `{"kid":` + mustJSON(kid) + `,"alg":"RS256"}` }

// signRaw signs header.payload (raw JSON texts) with RS256.
func signRaw(k *rsa.PrivateKey, header, payload string) string {
	input := b64([]byte(header)) + "." + b64([]byte(payload))
	h := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(nil, k, crypto.SHA256, h[:])
	if err != nil {
		panic(err)
	}
	return input + "." + b64(sig)
}

// sign makes a Cognito-shaped RS256 token.
func sign(k *rsa.PrivateKey, kid string, claims map[string]any) string {
	return signRaw(k, cognitoHeader(kid), mustJSON(claims))
}

// unsigned joins header and payload with the given signature bytes.
func unsigned(header, payload string, sig []byte) string {
	return b64([]byte(header)) + "." + b64([]byte(payload)) + "." + b64(sig)
}

func parts(tok string) []string { return strings.Split(tok, ".") }
