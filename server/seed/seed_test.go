package seed_test

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/server/seed"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
)

// examplePath is the example seed the README shows.
const examplePath = "../../testdata/seed.yaml"

// newService returns the user-pool service a server would build on store,
// with a fake clock and bcrypt cost 4.
func newService(store storage.Storage) (*userpool.Service, *clock.Fake) {
	clk := clock.NewFake(time.Date(2026, 3, 5, 7, 8, 9, 0, time.UTC))
	km := &keys.Manager{Store: store, Clock: clk}
	return &userpool.Service{Store: store, Keys: km, Clock: clk, Region: "us-east-1", BcryptCost: 4}, clk
}

func parse(t *testing.T, src string) *seed.File {
	t.Helper()
	f, err := seed.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func apply(t *testing.T, svc *userpool.Service, f *seed.File) seed.Result {
	t.Helper()
	res, err := seed.Apply(context.Background(), svc, f)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return res
}

func loadExample(t *testing.T) *seed.File {
	t.Helper()
	f, err := seed.Load(examplePath)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return f
}

func TestApplyExample(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		ctx := context.Background()
		svc, _ := newService(store)
		res := apply(t, svc, loadExample(t))
		if res.Pools != 1 || res.Clients != 3 || res.Users != 2 {
			t.Errorf("result = %+v, want 1 pool, 3 clients, 2 users", res)
		}

		pool, err := store.GetPool(ctx, "us-east-1_LocalDev1")
		if err != nil {
			t.Fatalf("GetPool: %v", err)
		}
		if pool.Name != "local-dev" || pool.Region != "us-east-1" || pool.CaseSensitive || pool.Domain != "local-dev" {
			t.Errorf("pool = %q region %q case-sensitive %v domain %q", pool.Name, pool.Region, pool.CaseSensitive, pool.Domain)
		}
		if pool.PasswordPolicy.RequireSymbols || !pool.PasswordPolicy.RequireUppercase || pool.PasswordPolicy.MinimumLength != 8 {
			t.Errorf("password policy = %+v, want the default without symbols", pool.PasswordPolicy)
		}
		if !slices.ContainsFunc(pool.Schema, func(a storage.SchemaAttribute) bool { return a.Name == "custom:tenant" }) {
			t.Errorf("schema lacks custom:tenant")
		}
		if !slices.ContainsFunc(pool.Schema, func(a storage.SchemaAttribute) bool { return a.Name == "email" }) {
			t.Errorf("schema lacks the standard attributes")
		}

		spa, err := store.GetClient(ctx, "1example23spa4client5local")
		if err != nil {
			t.Fatalf("GetClient spa: %v", err)
		}
		if spa.Secret != "" || !spa.RequirePKCE || !spa.AllowedOAuthFlowsUserPoolClient ||
			spa.AccessTokenValidity != time.Hour || spa.RefreshTokenValidity != 7*24*time.Hour ||
			!slices.Equal(spa.SupportedIdentityProviders, []string{"COGNITO"}) {
			t.Errorf("spa client = %+v", spa)
		}
		web, err := store.GetClient(ctx, "2example23web4client5local")
		if err != nil {
			t.Fatalf("GetClient web: %v", err)
		}
		if web.Secret != "webclientsecret0123456789abcdefghijklmnopqrstu" || !web.RefreshTokenRotation ||
			web.RotationGracePeriod != 10*time.Second || web.PreventUserExistenceErrors != "ENABLED" {
			t.Errorf("web client: rotation %v grace %v prevent %q, secret as seeded %v",
				web.RefreshTokenRotation, web.RotationGracePeriod, web.PreventUserExistenceErrors,
				web.Secret == "webclientsecret0123456789abcdefghijklmnopqrstu")
		}
		m2m, err := store.GetClient(ctx, "3example23m2m4client5local")
		if err != nil {
			t.Fatalf("GetClient worker: %v", err)
		}
		if !slices.Equal(m2m.AllowedOAuthFlows, []string{"client_credentials"}) ||
			!slices.Equal(m2m.AllowedOAuthScopes, []string{"notes/read", "notes/write"}) {
			t.Errorf("worker client flows %v scopes %v", m2m.AllowedOAuthFlows, m2m.AllowedOAuthScopes)
		}

		rs, err := store.GetResourceServer(ctx, pool.ID, "notes")
		if err != nil || len(rs.Scopes) != 2 {
			t.Errorf("resource server notes = %+v, %v", rs, err)
		}

		alice, err := svc.FindUser(ctx, pool, "ALICE@example.com") // a verified alias, any case
		if err != nil {
			t.Fatalf("FindUser alice by e-mail: %v", err)
		}
		if alice.Username != "alice" || alice.Status != "CONFIRMED" || !alice.Enabled ||
			alice.Sub != "0d3f1e6c-7f4a-4c2b-9e1d-2a6b8c9d0e1f" || alice.Attributes["sub"] != alice.Sub ||
			alice.Attributes["custom:tenant"] != "acme" {
			t.Errorf("alice = %s %s enabled %v sub %s attrs %v", alice.Username, alice.Status, alice.Enabled, alice.Sub, alice.Attributes)
		}
		if !userpool.PasswordMatches(alice, "Passw0rd1") || string(alice.PasswordHash) == "Passw0rd1" {
			t.Errorf("alice's password is not stored as a bcrypt hash of the seed password")
		}
		groups, err := store.ListGroupsForUser(ctx, pool.ID, alice.UsernameKey)
		if err != nil {
			t.Fatal(err)
		}
		if names := groupNames(groups); !slices.Equal(names, []string{"admin", "users"}) {
			t.Errorf("alice's groups = %v", names)
		}
		bob, err := svc.FindUser(ctx, pool, "bob")
		if err != nil {
			t.Fatalf("FindUser bob: %v", err)
		}
		if bob.Status != "FORCE_CHANGE_PASSWORD" || !bob.TempPasswordExpiresAt.Equal(svc.Clock.Now().AddDate(0, 0, 7)) {
			t.Errorf("bob status %s, temporary password expires %v", bob.Status, bob.TempPasswordExpiresAt)
		}

		// The pool can sign tokens at once.
		if _, _, err := svc.Keys.Signer(ctx, pool.ID, keys.UseAccess); err != nil {
			t.Errorf("no access-token signing key: %v", err)
		}
	})
}

func TestApplyTwiceChangesNothing(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		ctx := context.Background()
		svc, clk := newService(store)
		f := loadExample(t)
		if res := apply(t, svc, f); res.Changed == 0 {
			t.Fatalf("first apply changed nothing")
		}
		before := snapshot(t, store)
		clk.Advance(time.Hour) // any rewrite would show in LastModifiedAt
		res := apply(t, svc, f)
		if res.Changed != 0 {
			t.Errorf("second apply changed %d records, want 0", res.Changed)
		}
		after := snapshot(t, store)
		if !slices.EqualFunc(before, after, func(a, b string) bool { return a == b }) {
			t.Errorf("records changed on the second apply:\nbefore %v\nafter  %v", before, after)
		}
		if _, err := svc.FindUser(ctx, mustPool(t, store), "alice"); err != nil {
			t.Errorf("alice gone after the second apply: %v", err)
		}
	})
}

// snapshot renders the seeded records' modification times and password
// hashes, which change on any rewrite.
func snapshot(t *testing.T, store storage.Storage) []string {
	t.Helper()
	ctx := context.Background()
	p := mustPool(t, store)
	out := []string{"pool " + p.LastModifiedAt.String()}
	clients, _ := store.ListClients(ctx, p.ID)
	for _, c := range clients {
		out = append(out, "client "+c.ClientID+" "+c.LastModifiedAt.String()+" "+c.Secret)
	}
	users, _ := store.ListUsers(ctx, p.ID)
	for _, u := range users {
		out = append(out, "user "+u.Username+" "+u.LastModifiedAt.String()+" "+string(u.PasswordHash)+" "+u.SRPVerifier)
	}
	groups, _ := store.ListGroups(ctx, p.ID)
	for _, g := range groups {
		out = append(out, "group "+g.Name+" "+g.LastModifiedAt.String())
	}
	return out
}

func mustPool(t *testing.T, store storage.Storage) storage.Pool {
	t.Helper()
	p, err := store.GetPool(context.Background(), "us-east-1_LocalDev1")
	if err != nil {
		t.Fatalf("GetPool: %v", err)
	}
	return p
}

func groupNames(gs []storage.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}

const baseSeed = `
pools:
  - id: eu-west-1_Seed00001
    name: app
    password_policy: {require_symbols: false}
    resource_servers:
      - identifier: api
        name: API
        scopes: [{name: read, description: Read}]
    clients:
      - id: appclient1
        name: app
        generate_secret: true
        explicit_auth_flows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
    groups:
      - {name: a, precedence: 1}
      - {name: b}
    users:
      - username: carol
        password: Passw0rd1
        attributes: {email: carol@example.com, given_name: Carol}
        groups: [a]
`

const changedSeed = `
pools:
  - id: eu-west-1_Seed00001
    name: app-renamed
    password_policy: {require_symbols: false}
    resource_servers:
      - identifier: api
        name: API
        scopes: [{name: read, description: Read}, {name: write, description: Write}]
    clients:
      - id: appclient1
        name: app
        generate_secret: true
        explicit_auth_flows: [ALLOW_USER_SRP_AUTH]
    groups:
      - {name: a, precedence: 5, description: first}
      - {name: b}
    users:
      - username: carol
        password: NewPassw0rd
        attributes: {given_name: Caroline}
        enabled: false
        groups: [b]
`

func TestApplyChangedSeedUpdatesWhatItDeclares(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		ctx := context.Background()
		svc, clk := newService(store)
		apply(t, svc, parse(t, baseSeed))
		const poolID = "eu-west-1_Seed00001"
		c1, err := store.GetClient(ctx, "appclient1")
		if err != nil {
			t.Fatal(err)
		}
		if len(c1.Secret) != 52 {
			t.Fatalf("generated secret has %d characters, want 52", len(c1.Secret))
		}
		// A user the seed does not mention, created by the app.
		pool, _ := store.GetPool(ctx, poolID)
		if err := store.CreateUser(ctx, storage.User{
			PoolID: poolID, Username: "dave", UsernameKey: "dave", Sub: "5f0c7d0e-3c61-4d7a-9d5e-4f0a3f4b1c2d",
			Attributes: map[string]string{"sub": "5f0c7d0e-3c61-4d7a-9d5e-4f0a3f4b1c2d"}, Status: "CONFIRMED", Enabled: true,
		}); err != nil {
			t.Fatal(err)
		}

		clk.Advance(time.Minute)
		res := apply(t, svc, parse(t, changedSeed))
		if res.Changed == 0 {
			t.Fatalf("changed seed wrote nothing")
		}
		pool, _ = store.GetPool(ctx, poolID)
		if pool.Name != "app-renamed" {
			t.Errorf("pool name = %q", pool.Name)
		}
		c2, _ := store.GetClient(ctx, "appclient1")
		if c2.Secret != c1.Secret {
			t.Errorf("generated secret changed on re-apply")
		}
		if !slices.Equal(c2.ExplicitAuthFlows, []string{"ALLOW_USER_SRP_AUTH"}) || !c2.CreatedAt.Equal(c1.CreatedAt) {
			t.Errorf("client flows %v created %v (was %v)", c2.ExplicitAuthFlows, c2.CreatedAt, c1.CreatedAt)
		}
		rs, _ := store.GetResourceServer(ctx, poolID, "api")
		if len(rs.Scopes) != 2 {
			t.Errorf("resource server scopes = %v", rs.Scopes)
		}
		g, _ := store.GetGroup(ctx, poolID, "a")
		if g.Precedence == nil || *g.Precedence != 5 || g.Description != "first" {
			t.Errorf("group a = %+v", g)
		}
		carol, err := svc.FindUser(ctx, pool, "carol")
		if err != nil {
			t.Fatal(err)
		}
		if !userpool.PasswordMatches(carol, "NewPassw0rd") || carol.Enabled {
			t.Errorf("carol: new password %v, enabled %v", userpool.PasswordMatches(carol, "NewPassw0rd"), carol.Enabled)
		}
		// Declared attributes change; undeclared ones stay.
		if carol.Attributes["given_name"] != "Caroline" || carol.Attributes["email"] != "carol@example.com" {
			t.Errorf("carol's attributes = %v", carol.Attributes)
		}
		groups, _ := store.ListGroupsForUser(ctx, poolID, carol.UsernameKey)
		if names := groupNames(groups); !slices.Equal(names, []string{"b"}) {
			t.Errorf("carol's groups = %v, want exactly [b]", names)
		}
		if _, err := store.GetUser(ctx, poolID, "dave"); err != nil {
			t.Errorf("a user the seed does not mention was touched: %v", err)
		}
	})
}

func TestApplyEmailUsernamePool(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		ctx := context.Background()
		svc, _ := newService(store)
		f := parse(t, `
pools:
  - id: us-west-2_EmailPool1
    name: email-pool
    username_attributes: [email]
    users:
      - username: erin@example.com
        password: Passw0rd!
`)
		apply(t, svc, f)
		pool, _ := store.GetPool(ctx, "us-west-2_EmailPool1")
		u, err := svc.FindUser(ctx, pool, "erin@example.com")
		if err != nil {
			t.Fatalf("FindUser by e-mail: %v", err)
		}
		// In an e-mail-as-username pool the internal username is the sub.
		if u.Username != u.Sub || u.Attributes["email"] != "erin@example.com" {
			t.Errorf("user %s sub %s email %s", u.Username, u.Sub, u.Attributes["email"])
		}
		if res := apply(t, svc, f); res.Changed != 0 {
			t.Errorf("re-apply changed %d records (a second user?)", res.Changed)
		}
		users, _ := store.ListUsers(ctx, pool.ID)
		if len(users) != 1 {
			t.Errorf("%d users after two applies, want 1", len(users))
		}
	})
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct {
		name, src, wantErr string
	}{
		{"unknown key", "pools:\n  - id: us-east-1_A\n    name: a\n    nmae: b\n", "field nmae not found"},
		{"unknown top-level key", "pool: []\n", "field pool not found"},
		{"missing pool id", "pools:\n  - name: a\n", "id is required"},
		{"bad pool id", "pools:\n  - id: local_1\n    name: a\n", "id must look like"},
		{"duplicate pool", "pools:\n  - {id: us-east-1_A, name: a}\n  - {id: us-east-1_A, name: b}\n", "declared twice"},
		{"client without id", "pools:\n  - id: us-east-1_A\n    name: a\n    clients: [{name: c}]\n", "clients[0]: id is required"},
		{"bad client id", "pools:\n  - id: us-east-1_A\n    name: a\n    clients: [{id: a-b, name: c}]\n", "client a-b: id may hold only"},
		{"client id in two pools", "pools:\n  - {id: us-east-1_A, name: a, clients: [{id: c1, name: c}]}\n  - {id: us-east-1_B, name: b, clients: [{id: c1, name: c}]}\n", "client c1 declared twice"},
		{"short secret", "pools:\n  - id: us-east-1_A\n    name: a\n    clients: [{id: c1, name: c, secret: short}]\n", "secret must be 24-64"},
		{"secret and generate", "pools:\n  - id: us-east-1_A\n    name: a\n    clients: [{id: c1, name: c, secret: abcdefghijklmnopqrstuvwxyz, generate_secret: true}]\n", "either secret or generate_secret"},
		{"user without password", "pools:\n  - id: us-east-1_A\n    name: a\n    users: [{username: u}]\n", "password is required"},
		{"bad status", "pools:\n  - id: us-east-1_A\n    name: a\n    users: [{username: u, password: p, status: ARCHIVED}]\n", `status "ARCHIVED"`},
		{"two documents", "pools: []\n---\npools: []\n", "one YAML document"},
		{"bad yaml", "pools: [\n", "yaml"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := seed.Parse(strings.NewReader(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestApplyErrors(t *testing.T) {
	const pool = "pools:\n  - id: us-east-1_A\n    name: a\n"
	for _, tt := range []struct {
		name, src, wantErr string
	}{
		{"weak password", pool + "    users: [{username: u, password: short}]\n", "user u: Password did not conform with policy: Password not long enough"},
		{"unknown group", pool + "    users: [{username: u, password: Passw0rd!, groups: [nope]}]\n", "nope is not a group"},
		{"unknown attribute", pool + "    users: [{username: u, password: Passw0rd!, attributes: {custom:x: y}}]\n", "user u: Attributes did not conform to the schema: Type for attribute {custom:x} could not be determined"},
		{"bad verified flag", pool + "    users: [{username: u, password: Passw0rd!, attributes: {email_verified: yes}}]\n", "user u: Attributes did not conform to the schema: email_verified: Value must be true or false"},
		{"bad sub", pool + "    users: [{username: u, password: Passw0rd!, attributes: {sub: nope}}]\n", "lowercase UUID"},
		{"username not an e-mail", "pools:\n  - id: us-east-1_A\n    name: a\n    username_attributes: [email]\n    users: [{username: u, password: Passw0rd!}]\n", "user u: Username should be either an email or a phone number."},
		{"unknown scope", pool + "    clients: [{id: c1, name: c, allowed_oauth_flows: [code], allowed_oauth_scopes: [api/read], callback_urls: ['https://app.example.com/cb']}]\n", "client c1: Invalid scope requested: api/read"},
		{"unknown auth flow", pool + "    clients: [{id: c1, name: c, explicit_auth_flows: [ALLOW_MAGIC]}]\n", "client c1: Invalid explicit auth flow ALLOW_MAGIC"},
		{"client credentials without secret", pool + "    resource_servers: [{identifier: api, name: API, scopes: [{name: read, description: Read}]}]\n    clients: [{id: c1, name: c, allowed_oauth_flows: [client_credentials], allowed_oauth_scopes: [api/read]}]\n", "client c1: client_credentials flow can not be selected if client does not have a client secret"},
		{"both sign-in kinds", pool + "    username_attributes: [email]\n    alias_attributes: [email]\n", "pool us-east-1_A: Only one of the following"},
		{"bad validity", pool + "    clients: [{id: c1, name: c, access_token_validity: 2, token_validity_units: {access_token: days}}]\n", "client c1: Invalid range for token validity"},
		{"scope without description", pool + "    resource_servers: [{identifier: api, name: API, scopes: [{name: read}]}]\n", "resource server api: Scope read needs a description"},
		{"bad domain", pool + "    domain: Not_A_Domain\n", "domain Not_A_Domain:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svc, _ := newService(memory.New())
			f, err := seed.Parse(strings.NewReader(tt.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			_, err = seed.Apply(context.Background(), svc, f)
			t.Logf("Apply error: %v", err)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Apply error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestApplyClientIDOfAnotherPool(t *testing.T) {
	svc, _ := newService(memory.New())
	apply(t, svc, parse(t, "pools:\n  - {id: us-east-1_A, name: a, clients: [{id: c1, name: c}]}\n"))
	_, err := seed.Apply(context.Background(), svc, parse(t, "pools:\n  - {id: us-east-1_B, name: b, clients: [{id: c1, name: c}]}\n"))
	if err == nil || !strings.Contains(err.Error(), "taken by a client of pool us-east-1_A") {
		t.Errorf("Apply error = %v, want the id taken by pool us-east-1_A", err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := seed.Load("testdata/does-not-exist.yaml")
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "testdata/does-not-exist.yaml") {
		t.Errorf("Load error = %v, want file not found", err)
	}
}

// What the app does to a seeded user (a new password, a left group) survives
// a restart with the same seed: only a changed seed entry is re-applied.
func TestAppChangesToSeededUsersSurviveReapply(t *testing.T) {
	forEachStore(t, func(t *testing.T, store storage.Storage) {
		ctx := context.Background()
		svc, clk := newService(store)
		apply(t, svc, loadExample(t))
		pool := mustPool(t, store)
		alice, err := svc.FindUser(ctx, pool, "alice")
		if err != nil {
			t.Fatal(err)
		}
		// The app changes alice's password and removes her from "users".
		if err := store.UpdateUser(ctx, pool.ID, alice.UsernameKey, func(u *storage.User) error {
			return svc.SetPassword(pool, u, "Chang3d!Passw0rd")
		}); err != nil {
			t.Fatal(err)
		}
		if err := store.RemoveUserFromGroup(ctx, pool.ID, "users", alice.UsernameKey); err != nil {
			t.Fatal(err)
		}

		clk.Advance(time.Hour)
		apply(t, svc, loadExample(t))
		alice, err = svc.FindUser(ctx, pool, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if !userpool.PasswordMatches(alice, "Chang3d!Passw0rd") || userpool.PasswordMatches(alice, "Passw0rd1") {
			t.Errorf("re-applying an unchanged seed reset alice's password")
		}
		groups, _ := store.ListGroupsForUser(ctx, pool.ID, alice.UsernameKey)
		if names := groupNames(groups); !slices.Equal(names, []string{"admin"}) {
			t.Errorf("alice's groups = %v, want [admin] as the app left them", names)
		}

		// A changed entry for alice is applied again.
		f := loadExample(t)
		for i := range f.Pools[0].Users {
			if f.Pools[0].Users[i].Username == "alice" {
				f.Pools[0].Users[i].Attributes["given_name"] = "Alicia"
			}
		}
		apply(t, svc, f)
		alice, _ = svc.FindUser(ctx, pool, "alice")
		if alice.Attributes["given_name"] != "Alicia" || !userpool.PasswordMatches(alice, "Passw0rd1") {
			t.Errorf("changed seed entry not applied: given_name %q", alice.Attributes["given_name"])
		}
	})
}
