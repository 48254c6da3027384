package keys_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
	"github.com/locognito/locognito/storage/postgres"
	"github.com/locognito/locognito/storage/postgres/pgtest"
)

var epoch = time.Date(2026, 3, 5, 7, 8, 9, 0, time.UTC)

const poolID = "us-east-1_KeysTest1"

// forEachStore runs f once per storage backend with a fresh store that
// holds the pool poolID.
func forEachStore(t *testing.T, f func(t *testing.T, store storage.Storage)) {
	t.Helper()
	forEachBackend(t, func(t *testing.T, store storage.Storage, _ func() storage.Storage) { f(t, store) })
}

// forEachBackend is forEachStore plus reopen, which returns a second
// store on the same data (a restarted process; memory can only share the
// instance).
func forEachBackend(t *testing.T, f func(t *testing.T, store storage.Storage, reopen func() storage.Storage)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			store, reopen := b.open(t)
			if err := store.CreatePool(context.Background(), storage.Pool{ID: poolID, Name: "keys", CreatedAt: epoch, LastModifiedAt: epoch}); err != nil {
				t.Fatalf("CreatePool: %v", err)
			}
			f(t, store, reopen)
		})
	}
}

type backend struct {
	name string
	open func(t *testing.T) (store storage.Storage, reopen func() storage.Storage)
}

// backends lists the stores the tests run on. Postgres skips locally
// without TEST_DATABASE_URL and fails under CI=true.
var backends = []backend{
	{"memory", func(*testing.T) (storage.Storage, func() storage.Storage) {
		s := memory.New()
		return s, func() storage.Storage { return s }
	}},
	{"postgres", func(t *testing.T) (storage.Storage, func() storage.Storage) {
		url, schema := pgtest.URL(t)
		open := func() storage.Storage {
			s, err := postgres.Open(context.Background(), url, postgres.WithSchema(schema))
			if err != nil {
				t.Fatalf("postgres.Open: %v", err)
			}
			t.Cleanup(func() { _ = s.Close() })
			return s
		}
		return open(), open
	}},
}

func newManager(store storage.Keys, clk clock.Clock) *keys.Manager {
	return &keys.Manager{Store: store, Clock: clk, PublishDelay: 10 * time.Minute, Log: slog.New(slog.DiscardHandler)}
}

// rfc7638N is the modulus of RFC 7638 §3.1's example key, in pieces to keep
// the lines short.
var rfc7638N = strings.Join([]string{
	"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbb",
	"fAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3okn",
	"jhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-6",
	"5YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qM",
	"QvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4l",
	"Fd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJz",
	"KnqDKgw",
}, "")

func TestKIDIsRFC7638Thumbprint(t *testing.T) {
	n, err := base64.RawURLEncoding.DecodeString(rfc7638N)
	if err != nil {
		t.Fatal(err)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: 65537}
	const want = "NzbLsXh8uDCcd+6MNwXF4W/7noWXFZAfHkxZsRGC9Xs="
	if got := keys.KID(pub); got != want {
		t.Fatalf("KID = %q, want %q", got, want)
	}
}

// jwksMembers returns the pool's JWKS as JSON objects, as a client sees it.
func jwksMembers(t *testing.T, m *keys.Manager) []map[string]any {
	t.Helper()
	set, err := m.JWKS(context.Background(), poolID)
	if err != nil {
		t.Fatalf("JWKS: %v", err)
	}
	raw, err := json.Marshal(set)
	if err != nil {
		t.Fatalf("marshal JWKS: %v", err)
	}
	var doc struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("unmarshal JWKS %s: %v", raw, err)
	}
	return doc.Keys
}

func jwksKIDs(t *testing.T, m *keys.Manager) []string {
	t.Helper()
	var kids []string
	for _, k := range jwksMembers(t, m) {
		kids = append(kids, k["kid"].(string))
	}
	slices.Sort(kids)
	return kids
}

func signerKID(t *testing.T, m *keys.Manager, use string) string {
	t.Helper()
	kid, key, err := m.Signer(context.Background(), poolID, use)
	if err != nil {
		t.Fatalf("Signer(%s): %v", use, err)
	}
	if keys.KID(&key.PublicKey) != kid {
		t.Fatalf("Signer(%s) kid %q does not match its key", use, kid)
	}
	return kid
}

func TestJWKSShape(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		m := newManager(store, clock.NewFake(epoch))
		if err := m.Ensure(context.Background(), poolID); err != nil {
			t.Fatalf("Ensure: %v", err)
		}
		got := jwksMembers(t, m)
		if len(got) != 2 {
			t.Fatalf("JWKS has %d keys, want 2 (ID and access)", len(got))
		}
		for _, k := range got {
			var names []string
			for name := range k {
				names = append(names, name)
			}
			slices.Sort(names)
			if want := []string{"alg", "e", "kid", "kty", "n", "use"}; !slices.Equal(names, want) {
				t.Errorf("JWK members %v, want exactly %v", names, want)
			}
			for name, want := range map[string]string{"alg": "RS256", "e": "AQAB", "kty": "RSA", "use": "sig"} {
				if k[name] != want {
					t.Errorf("JWK %s = %v, want %q", name, k[name], want)
				}
			}
			n, _ := k["n"].(string)
			if len(n) != 342 || strings.ContainsAny(n, "=+/") {
				t.Errorf("n is %d chars (want 342 unpadded base64url): %q", len(n), n)
			}
			nb, err := base64.RawURLEncoding.DecodeString(n)
			if err != nil {
				t.Fatalf("n: %v", err)
			}
			pub := &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: 65537}
			if kid := k["kid"].(string); kid != keys.KID(pub) || len(kid) != 44 {
				t.Errorf("kid %q is not the 44-char thumbprint %q of n", kid, keys.KID(pub))
			}
		}
	})
}

func TestIDAndAccessUseDifferentKeys(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		ctx := context.Background()
		m := newManager(store, clock.NewFake(epoch))
		idKID, accessKID := signerKID(t, m, keys.UseID), signerKID(t, m, keys.UseAccess)
		if idKID == accessKID {
			t.Fatalf("ID and access tokens share kid %q", idKID)
		}
		for kid, wantUse := range map[string]string{idKID: keys.UseID, accessKID: keys.UseAccess} {
			pub, use, err := m.PublicKey(ctx, poolID, kid)
			if err != nil || pub == nil || use != wantUse {
				t.Errorf("PublicKey(%s) = %v, %q, %v; want use %q", kid, pub, use, err, wantUse)
			}
		}
		if want := sorted(idKID, accessKID); !slices.Equal(jwksKIDs(t, m), want) {
			t.Errorf("JWKS kids %v, want %v", jwksKIDs(t, m), want)
		}
		if _, _, err := m.PublicKey(ctx, poolID, "bm90LWEta2lk"); !errors.Is(err, keys.ErrKeyNotFound) {
			t.Errorf("PublicKey(unknown kid) err = %v, want ErrKeyNotFound", err)
		}
		if _, _, err := m.Signer(ctx, poolID, "refresh"); err == nil {
			t.Error("Signer accepted an unknown use")
		}
	})
}

func sorted(s ...string) []string { slices.Sort(s); return s }

func TestRotationPublishesBeforeSigningAndRetiresAfterRetention(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		ctx := context.Background()
		clk := clock.NewFake(epoch)
		m := newManager(store, clk)
		oldID, oldAccess := signerKID(t, m, keys.UseID), signerKID(t, m, keys.UseAccess)

		const delay = 10 * time.Minute
		added, err := m.RotateKeys(ctx, poolID, delay)
		if err != nil {
			t.Fatalf("RotateKeys: %v", err)
		}
		if len(added) != 2 || added[0].Use != keys.UseID || added[1].Use != keys.UseAccess {
			t.Fatalf("RotateKeys added %+v, want one ID and one access key", added)
		}
		newID, newAccess := added[0].KID, added[1].KID
		if !added[0].ActivatesAt.Equal(epoch.Add(delay)) {
			t.Errorf("new key activates at %s, want %s", added[0].ActivatesAt, epoch.Add(delay))
		}

		// Published at once, not yet signing.
		if want := sorted(oldID, oldAccess, newID, newAccess); !slices.Equal(jwksKIDs(t, m), want) {
			t.Fatalf("JWKS right after rotation = %v, want %v", jwksKIDs(t, m), want)
		}
		clk.Advance(delay - time.Second)
		if got := signerKID(t, m, keys.UseID); got != oldID {
			t.Fatalf("1s before activation the ID signer is %q, want the old %q", got, oldID)
		}
		if got := signerKID(t, m, keys.UseAccess); got != oldAccess {
			t.Fatalf("1s before activation the access signer is %q, want the old %q", got, oldAccess)
		}

		// At ActivatesAt the new keys sign; the old ones stay published.
		clk.Advance(time.Second)
		if got := signerKID(t, m, keys.UseID); got != newID {
			t.Fatalf("at activation the ID signer is %q, want the new %q", got, newID)
		}
		if got := signerKID(t, m, keys.UseAccess); got != newAccess {
			t.Fatalf("at activation the access signer is %q, want the new %q", got, newAccess)
		}
		clk.Advance(keys.DefaultRetention - time.Second)
		if want := sorted(oldID, oldAccess, newID, newAccess); !slices.Equal(jwksKIDs(t, m), want) {
			t.Fatalf("JWKS 1s before the old keys retire = %v, want %v", jwksKIDs(t, m), want)
		}
		if _, _, err := m.PublicKey(ctx, poolID, oldID); err != nil {
			t.Fatalf("PublicKey(old) before retention ends: %v", err)
		}

		// Retention over: gone from the JWKS and from PublicKey.
		clk.Advance(time.Second)
		if want := sorted(newID, newAccess); !slices.Equal(jwksKIDs(t, m), want) {
			t.Fatalf("JWKS after retention = %v, want %v", jwksKIDs(t, m), want)
		}
		if _, _, err := m.PublicKey(ctx, poolID, oldID); !errors.Is(err, keys.ErrKeyNotFound) {
			t.Fatalf("PublicKey(retired key) err = %v, want ErrKeyNotFound", err)
		}

		// The next write prunes the retired keys from storage.
		if err := m.Rotate(ctx, poolID, 0); err != nil {
			t.Fatalf("Rotate: %v", err)
		}
		set, err := store.GetKeySet(ctx, poolID)
		if err != nil {
			t.Fatalf("GetKeySet: %v", err)
		}
		for _, k := range set.Keys {
			if k.KID == oldID || k.KID == oldAccess {
				t.Errorf("retired key %s still stored after the next write", k.KID)
			}
			if k.KID == newID && !k.RemoveAfter.Equal(clk.Now().Add(keys.DefaultRetention)) {
				t.Errorf("replaced key RemoveAfter = %s, want successor activation + retention %s", k.RemoveAfter, clk.Now().Add(keys.DefaultRetention))
			}
		}
		if len(set.Keys) != 4 {
			t.Errorf("stored %d keys after pruning, want 4", len(set.Keys))
		}
		// Rotate with delay 0 signs with the newest key at once.
		if got := signerKID(t, m, keys.UseID); got == newID || got == oldID {
			t.Errorf("after Rotate(0) the ID signer is still %q", got)
		}
	})
}

func TestConcurrentEnsureAcrossReplicasCreatesOneKeyPerUse(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		ctx := context.Background()
		clk := clock.NewFake(epoch)
		replicas := []*keys.Manager{newManager(store, clk), newManager(store, clk)}
		var wg sync.WaitGroup
		errs := make(chan error, 6)
		for i := range 6 {
			wg.Go(func() { errs <- replicas[i%2].Ensure(ctx, poolID) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("Ensure: %v", err)
			}
		}
		set, err := store.GetKeySet(ctx, poolID)
		if err != nil {
			t.Fatalf("GetKeySet: %v", err)
		}
		uses := map[string]int{}
		for _, k := range set.Keys {
			uses[k.Use]++
		}
		if len(set.Keys) != 2 || uses[keys.UseID] != 1 || uses[keys.UseAccess] != 1 {
			t.Fatalf("stored keys by use %v (%d keys), want one ID and one access key", uses, len(set.Keys))
		}
		// Both replicas sign with the stored keys.
		for _, m := range replicas {
			if a, b := signerKID(t, m, keys.UseID), signerKID(t, replicas[0], keys.UseID); a != b {
				t.Errorf("replicas sign with different ID keys %q and %q", a, b)
			}
		}
	})
}

func TestRotateIfDueRotatesOnceAcrossReplicas(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		ctx := context.Background()
		clk := clock.NewFake(epoch)
		replicas := []*keys.Manager{newManager(store, clk), newManager(store, clk)}
		for _, m := range replicas {
			m.Interval = time.Hour
		}
		if err := replicas[0].Ensure(ctx, poolID); err != nil {
			t.Fatalf("Ensure: %v", err)
		}
		clk.Advance(time.Hour - time.Second)
		if rotated, err := replicas[1].RotateIfDue(ctx, poolID); rotated || err != nil {
			t.Fatalf("RotateIfDue before the interval = %v, %v; want false", rotated, err)
		}

		clk.Advance(time.Second)
		var wg sync.WaitGroup
		results := make(chan bool, 4)
		for i := range 4 {
			wg.Go(func() {
				rotated, err := replicas[i%2].RotateIfDue(ctx, poolID)
				if err != nil {
					t.Errorf("RotateIfDue: %v", err)
				}
				results <- rotated
			})
		}
		wg.Wait()
		close(results)
		n := 0
		for r := range results {
			if r {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d RotateIfDue calls rotated, want exactly 1", n)
		}
		set, err := store.GetKeySet(ctx, poolID)
		if err != nil {
			t.Fatalf("GetKeySet: %v", err)
		}
		if len(set.Keys) != 4 {
			t.Fatalf("stored %d keys after one rotation, want 4", len(set.Keys))
		}
		for _, k := range set.Keys {
			if k.CreatedAt.After(epoch.Add(time.Hour)) && !k.ActivatesAt.Equal(epoch.Add(time.Hour+replicas[0].PublishDelay)) {
				t.Errorf("scheduled key activates at %s, want now + PublishDelay", k.ActivatesAt)
			}
		}
	})
}

func TestRotateIfDueOffWithoutInterval(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		clk := clock.NewFake(epoch)
		m := newManager(store, clk)
		if err := m.Ensure(context.Background(), poolID); err != nil {
			t.Fatal(err)
		}
		clk.Advance(1000 * time.Hour)
		if rotated, err := m.RotateIfDue(context.Background(), poolID); rotated || err != nil {
			t.Fatalf("RotateIfDue with Interval 0 = %v, %v; want false, nil", rotated, err)
		}
	})
}

func TestKeysSurviveRestart(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store storage.Storage, reopen func() storage.Storage) {
		clk := clock.NewFake(epoch)
		before := newManager(store, clk)
		idKID, accessKID := signerKID(t, before, keys.UseID), signerKID(t, before, keys.UseAccess)

		after := newManager(reopen(), clk) // a new process on the same data
		if got := signerKID(t, after, keys.UseID); got != idKID {
			t.Errorf("after restart the ID signer is %q, want %q", got, idKID)
		}
		if got := signerKID(t, after, keys.UseAccess); got != accessKID {
			t.Errorf("after restart the access signer is %q, want %q", got, accessKID)
		}
		if got, want := jwksKIDs(t, after), sorted(idKID, accessKID); !slices.Equal(got, want) {
			t.Errorf("JWKS after restart %v, want %v", got, want)
		}
	})
}

// A replica sees another replica's rotation in its JWKS once its cached
// copy is older than CacheTTL, and accepts the new kid at once.
func TestOtherReplicasRotationBecomesVisible(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		ctx := context.Background()
		clk := clock.NewFake(epoch)
		a, b := newManager(store, clk), newManager(store, clk)
		if err := a.Ensure(ctx, poolID); err != nil {
			t.Fatal(err)
		}
		if got := len(jwksKIDs(t, b)); got != 2 {
			t.Fatalf("replica B JWKS has %d keys, want 2", got)
		}
		added, err := a.RotateKeys(ctx, poolID, a.PublishDelay)
		if err != nil {
			t.Fatal(err)
		}
		if _, use, err := b.PublicKey(ctx, poolID, added[1].KID); err != nil || use != keys.UseAccess {
			t.Fatalf("replica B PublicKey(new access kid) = %q, %v", use, err)
		}
		clk.Advance(keys.CacheTTL)
		if got := jwksKIDs(t, b); len(got) != 4 {
			t.Fatalf("replica B JWKS %v after CacheTTL, want 4 keys", got)
		}
		clk.Advance(a.PublishDelay)
		if got := signerKID(t, b, keys.UseID); got != added[0].KID {
			t.Fatalf("replica B signs with %q after activation, want %q", got, added[0].KID)
		}
	})
}

func TestRunRotatesDuePools(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		clk := clock.NewFake(epoch)
		m := newManager(store, clk)
		m.Interval = time.Hour
		if err := m.Ensure(ctx, poolID); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
		done := make(chan error, 1)
		go func() {
			done <- m.Run(ctx, func(context.Context) ([]string, error) { return []string{poolID}, nil })
		}()
		deadline := time.Now().Add(30 * time.Second)
		for {
			set, err := store.GetKeySet(ctx, poolID)
			if err != nil {
				t.Fatal(err)
			}
			if len(set.Keys) == 4 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("Run did not rotate a due pool: %d keys", len(set.Keys))
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run returned %v", err)
		}
	})
}

func TestJWKSMaxAge(t *testing.T) {
	for _, tc := range []struct {
		delay, want time.Duration
	}{
		{0, 0},
		{keys.CacheTTL, 0},
		{10 * time.Minute, 10*time.Minute - keys.CacheTTL},
		{48 * time.Hour, time.Hour},
	} {
		m := &keys.Manager{PublishDelay: tc.delay}
		if got := m.JWKSMaxAge(); got != tc.want {
			t.Errorf("PublishDelay %s: JWKSMaxAge = %s, want %s", tc.delay, got, tc.want)
		}
	}
}

// NewKey supplies the pool's keys instead of generation, and the JWKS
// publishes exactly those.
func TestNewKeySuppliesKeys(t *testing.T) {
	var supplied []*rsa.PrivateKey
	store := memory.New()
	if err := store.CreatePool(context.Background(), storage.Pool{ID: poolID, Name: "keys", CreatedAt: epoch, LastModifiedAt: epoch}); err != nil {
		t.Fatal(err)
	}
	m := newManager(store, clock.NewFake(epoch))
	m.NewKey = func() (*rsa.PrivateKey, error) {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		supplied = append(supplied, k)
		return k, err
	}
	ctx := context.Background()
	if err := m.Ensure(ctx, poolID); err != nil {
		t.Fatal(err)
	}
	if len(supplied) != 2 {
		t.Fatalf("NewKey called %d times, want 2", len(supplied))
	}
	set, err := m.JWKS(ctx, poolID)
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, k := range supplied {
		want = append(want, keys.KID(&k.PublicKey))
	}
	for _, k := range set.Keys {
		got = append(got, k.KeyID)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("JWKS kids %v, want the supplied keys' %v", got, want)
	}
}
