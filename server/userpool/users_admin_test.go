package userpool

import (
	"context"
	"testing"
	"time"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
)

func TestGeneratePasswordSatisfiesPolicy(t *testing.T) {
	policies := []storage.PasswordPolicy{
		DefaultPasswordPolicy(),
		{MinimumLength: 6},
		{MinimumLength: 99, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true},
	}
	for _, pp := range policies {
		seen := map[string]bool{}
		for range 50 {
			pw := generatePassword(pp)
			if err := CheckPasswordPolicy(pp, pw); err != nil {
				t.Fatalf("generatePassword(%+v) = %q: %v", pp, pw, err)
			}
			seen[pw] = true
		}
		if len(seen) < 50 {
			t.Errorf("only %d distinct passwords in 50", len(seen))
		}
	}
}

func TestInvitationContact(t *testing.T) {
	u := storage.User{Attributes: map[string]string{"email": "a@example.com", "phone_number": "+15555550100"}}
	if c := invitationContact(u, nil); c.Medium != "SMS" {
		t.Errorf("default medium = %s, want SMS", c.Medium)
	}
	if c := invitationContact(u, []string{"EMAIL"}); c.Dest != "a@example.com" {
		t.Errorf("EMAIL → %+v", c)
	}
	emailOnly := storage.User{Attributes: map[string]string{"email": "a@example.com"}}
	if c := invitationContact(emailOnly, nil); c.Dest != "a@example.com" {
		t.Errorf("SMS without a phone falls back to the email, got %+v", c)
	}
}

func TestSeedUserIsIdempotent(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 3, 5, 7, 8, 9, 0, time.UTC))
	s := &Service{Store: memory.New(), Clock: clk, BcryptCost: 4}
	p := storage.Pool{
		ID: "us-east-1_Seed12345", Name: "seed", Region: "us-east-1", CreatedAt: clk.Now(), LastModifiedAt: clk.Now(),
		PasswordPolicy: DefaultPasswordPolicy(), Schema: append(StandardSchema(),
			storage.SchemaAttribute{Name: "custom:mode", AttributeDataType: "String", Mutable: true}),
		UsernameAttrs: []string{"email"}, CaseSensitive: true,
	}
	if err := s.Store.CreatePool(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.CreateGroup(ctx, storage.Group{PoolID: p.ID, Name: "admins", CreatedAt: clk.Now(), LastModifiedAt: clk.Now()}); err != nil {
		t.Fatal(err)
	}
	in := SeedUserInput{
		Username: "jane@example.com", Password: "Passw0rd!", Sub: "11111111-2222-4333-8444-555555555555",
		Attributes: map[string]string{"email_verified": "true", "custom:mode": "dark"}, Groups: []string{"admins"},
	}
	if err := s.SeedUser(ctx, p, in); err != nil {
		t.Fatalf("SeedUser: %v", err)
	}
	u, err := s.FindUser(ctx, p, "jane@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != in.Sub || u.Status != StatusConfirmed || !u.Enabled || !PasswordMatches(u, "Passw0rd!") ||
		u.Attributes["custom:mode"] != "dark" || u.Attributes["email"] != "jane@example.com" || u.Attributes["sub"] != in.Sub {
		t.Fatalf("seeded user = %+v", u)
	}
	clk.Advance(time.Hour)
	if err := s.SeedUser(ctx, p, in); err != nil {
		t.Fatalf("SeedUser again: %v", err)
	}
	again, _ := s.FindUser(ctx, p, "jane@example.com")
	if !again.LastModifiedAt.Equal(u.LastModifiedAt) || string(again.PasswordHash) != string(u.PasswordHash) {
		t.Errorf("a second identical seed changed the user")
	}
	// A changed seed updates the user in place.
	disabled := false
	in.Enabled, in.Attributes["custom:mode"], in.Password = &disabled, "light", "N3w-Passw0rd"
	if err := s.SeedUser(ctx, p, in); err != nil {
		t.Fatalf("SeedUser changed: %v", err)
	}
	changed, _ := s.FindUser(ctx, p, "jane@example.com")
	if changed.Enabled || changed.Attributes["custom:mode"] != "light" || !PasswordMatches(changed, "N3w-Passw0rd") {
		t.Errorf("updated user = %+v", changed)
	}
	groups, err := s.Store.ListGroupsForUser(ctx, p.ID, changed.UsernameKey)
	if err != nil || len(groups) != 1 || groups[0].Name != "admins" {
		t.Errorf("groups = %v, %v", groups, err)
	}
	if err := s.SeedUser(ctx, p, SeedUserInput{Username: "bob", Password: "Passw0rd!"}); err == nil {
		t.Error("a non-email username in an email pool was seeded")
	}
}
