package tokens_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
	"github.com/locognito/locognito/storage/postgres/pgtest"
)

var epoch = time.Date(2026, 3, 5, 7, 8, 9, 0, time.UTC)

const (
	poolID     = "us-east-1_TokTest01"
	otherPool  = "eu-west-1_OtherPool"
	clientID   = "3ofr9h1lbl2jbmo4ri32scr1gq"
	client2ID  = "1e5d0hbsmvq3sk2a4jdkdn6lbu"
	userSub    = "7d8ac2b4-38f5-4f8e-9d0f-6c1b1c7ad3e1"
	issuerRoot = "http://localhost:9229/"
)

// forEachBackend runs f on the memory store and on Postgres (skipped
// locally without TEST_DATABASE_URL, failing under CI=true).
func forEachBackend(t *testing.T, f func(t *testing.T, fx *fixture)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) { f(t, newFixture(t, memory.New())) })
	t.Run("postgres", func(t *testing.T) { f(t, newFixture(t, pgtest.Open(t))) })
}

// fixture is a pool with a client, a user in three groups, keys and an
// Issuer on a fake clock.
type fixture struct {
	store  storage.Storage
	clk    *clock.Fake
	keys   *keys.Manager
	iss    *tokens.Issuer
	pool   storage.Pool
	client storage.Client
	user   storage.User
}

func ptr[T any](v T) *T { return &v }

func newFixture(t *testing.T, store storage.Storage) *fixture {
	t.Helper()
	ctx := context.Background()
	fx := &fixture{store: store, clk: clock.NewFake(epoch)}
	fx.keys = &keys.Manager{Store: store, Clock: fx.clk, Log: slog.New(slog.DiscardHandler)}
	fx.iss = &tokens.Issuer{Store: store, Keys: fx.keys, Clock: fx.clk, IssuerURL: func(id string) string { return issuerRoot + id }}
	fx.pool = storage.Pool{ID: poolID, Name: "tokens", Region: "us-east-1", CreatedAt: epoch, LastModifiedAt: epoch}
	must(t, store.CreatePool(ctx, fx.pool))
	must(t, store.CreatePool(ctx, storage.Pool{ID: otherPool, Name: "other", Region: "eu-west-1", CreatedAt: epoch, LastModifiedAt: epoch}))
	fx.client = storage.Client{ClientID: clientID, PoolID: poolID, Name: "web", CreatedAt: epoch, LastModifiedAt: epoch, EnableTokenRevocation: true}
	must(t, store.CreateClient(ctx, fx.client))
	must(t, store.CreateClient(ctx, storage.Client{ClientID: client2ID, PoolID: poolID, Name: "other", CreatedAt: epoch, LastModifiedAt: epoch, EnableTokenRevocation: true}))
	fx.user = storage.User{
		PoolID: poolID, Username: "janedoe", UsernameKey: "janedoe", Sub: userSub,
		Status: "CONFIRMED", Enabled: true, CreatedAt: epoch, LastModifiedAt: epoch,
		Attributes: map[string]string{
			"sub":                   userSub,
			"email":                 "jane@example.com",
			"email_verified":        "true",
			"phone_number":          "+15555550100",
			"phone_number_verified": "false",
			"name":                  "Jane <Doe>",
			"given_name":            "Jane",
			"updated_at":            "1700000000",
			"address":               "1 Main St, Springfield",
			"custom:tier":           "7",
			"dev:custom:internal":   "secret",
		},
	}
	must(t, store.CreateUser(ctx, fx.user))
	for _, g := range []storage.Group{
		{PoolID: poolID, Name: "zeta"},
		{PoolID: poolID, Name: "readers", Precedence: ptr(5), RoleArn: "arn:aws:iam::123456789012:role/readers"},
		{PoolID: poolID, Name: "admins", Precedence: ptr(1), RoleArn: "arn:aws:iam::123456789012:role/admins"},
	} {
		g.CreatedAt, g.LastModifiedAt = epoch, epoch
		must(t, store.CreateGroup(ctx, g))
		must(t, store.AddUserToGroup(ctx, poolID, g.Name, fx.user.UsernameKey))
	}
	// otherPool's keys are created by the tests that need them: RSA key
	// generation dominates these tests' run time.
	must(t, fx.keys.Ensure(ctx, poolID))
	return fx
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// issue mints tokens for the fixture's user.
func (fx *fixture) issue(t *testing.T, r tokens.Request) tokens.Result {
	t.Helper()
	if r.Pool.ID == "" {
		r.Pool = fx.pool
	}
	if r.Client.ClientID == "" {
		r.Client = fx.client
	}
	if r.User.Sub == "" {
		r.User = fx.user
	}
	res, err := fx.iss.Issue(context.Background(), r)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return res
}

// decoded is a JWT split into its raw header and its claims, numbers kept
// as json.Number so integer claims can be told from strings.
type decoded struct {
	header string
	claims map[string]any
}

func decode(t *testing.T, tok string) decoded {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3: %q", len(parts), tok)
	}
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		t.Fatalf("header: %v", err)
	}
	p, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("payload: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(p))
	dec.UseNumber()
	var c map[string]any
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("claims: %v", err)
	}
	return decoded{header: string(h), claims: c}
}

// num returns an integer claim, failing unless it is a JSON integer.
func (d decoded) num(t *testing.T, name string) int64 {
	t.Helper()
	n, ok := d.claims[name].(json.Number)
	if !ok {
		t.Fatalf("claim %s = %#v, want a JSON number", name, d.claims[name])
	}
	v, err := n.Int64()
	if err != nil {
		t.Fatalf("claim %s = %s, want an integer", name, n)
	}
	return v
}

// wantException checks that err is the Cognito exception code: message.
func wantException(t *testing.T, err error, code, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s %q", code, message)
	}
	if exception.Code(err) != code || exception.Message(err) != message {
		t.Fatalf("got %v, want %s: %s", err, code, message)
	}
}
