package userpool

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/internal/srp"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
)

// signInFixture is a Service on a memory store with one pool and client.
func signInFixture(t *testing.T) (*Service, storage.Pool, storage.Client) {
	t.Helper()
	s := &Service{Store: memory.New(), Clock: clock.NewFake(time.Date(2026, 3, 5, 7, 8, 9, 0, time.UTC)), BcryptCost: 4}
	p := storage.Pool{ID: "us-east-1_AbC123xYz", CaseSensitive: true, PasswordPolicy: DefaultPasswordPolicy(), Schema: StandardSchema()}
	c := storage.Client{ClientID: "client", PoolID: p.ID, PreventUserExistenceErrors: "LEGACY"}
	ctx := context.Background()
	if err := s.Store.CreatePool(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	return s, p, c
}

func addUser(t *testing.T, s *Service, p storage.Pool, username, password, status string) storage.User {
	t.Helper()
	u := storage.User{PoolID: p.ID, Username: username, UsernameKey: username, Sub: username + "-sub",
		Attributes: map[string]string{"sub": username + "-sub"}, Status: status, Enabled: true}
	if status == "FORCE_CHANGE_PASSWORD" {
		u.TempPasswordExpiresAt = s.Clock.Now().Add(7 * 24 * time.Hour)
	}
	if err := s.SetPassword(p, &u, password); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// The hosted UI's entry points: PasswordSignIn reports a temporary password
// as ErrNewPasswordRequired with the user, and CompleteNewPassword finishes.
func TestPasswordSignInNewPasswordRequired(t *testing.T) {
	s, p, c := signInFixture(t)
	ctx := context.Background()
	addUser(t, s, p, "janedoe", "Temp0rary!", "FORCE_CHANGE_PASSWORD")

	u, err := s.PasswordSignIn(ctx, p, c, "janedoe", "Temp0rary!")
	if !errors.Is(err, ErrNewPasswordRequired) || u.Username != "janedoe" {
		t.Fatalf("PasswordSignIn = %q, %v; want the user and ErrNewPasswordRequired", u.Username, err)
	}
	if _, err := s.CompleteNewPassword(ctx, p, u, "weak", nil); exception.Code(err) != exception.InvalidPassword {
		t.Fatalf("weak password: %v, want InvalidPasswordException", err)
	}
	done, err := s.CompleteNewPassword(ctx, p, u, "N3w-Passw0rd", nil)
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != "CONFIRMED" || !done.TempPasswordExpiresAt.IsZero() {
		t.Errorf("status %s, temp expiry %v", done.Status, done.TempPasswordExpiresAt)
	}
	// A second completion (a replayed form) is refused.
	if _, err := s.CompleteNewPassword(ctx, p, u, "An0ther-Passw0rd", nil); exception.Code(err) != exception.NotAuthorized {
		t.Errorf("second completion: %v, want NotAuthorizedException", err)
	}
	if _, err := s.PasswordSignIn(ctx, p, c, "janedoe", "N3w-Passw0rd"); err != nil {
		t.Errorf("sign-in with the new password: %v", err)
	}
}

func TestPasswordSignInErrors(t *testing.T) {
	s, p, c := signInFixture(t)
	ctx := context.Background()
	addUser(t, s, p, "janedoe", "Passw0rd!", "CONFIRMED")
	addUser(t, s, p, "new", "Passw0rd!", "UNCONFIRMED")
	hidden := c
	hidden.PreventUserExistenceErrors = "ENABLED"

	tests := []struct {
		name     string
		client   storage.Client
		user, pw string
		wantCode string
		wantMsg  string
	}{
		{"wrong password", c, "janedoe", "Wrong0ne!", exception.NotAuthorized, "Incorrect username or password."},
		{"unknown, LEGACY", c, "nobody", "Passw0rd!", exception.UserNotFound, "User does not exist."},
		{"unknown, ENABLED", hidden, "nobody", "Passw0rd!", exception.NotAuthorized, "Incorrect username or password."},
		{"unconfirmed", c, "new", "Wrong0ne!", exception.UserNotConfirmed, "User is not confirmed."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.PasswordSignIn(ctx, p, tt.client, tt.user, tt.pw)
			if exception.Code(err) != tt.wantCode || exception.Message(err) != tt.wantMsg {
				t.Errorf("err = %v, want %s %q", err, tt.wantCode, tt.wantMsg)
			}
		})
	}
	if _, err := s.PasswordSignIn(ctx, p, c, "janedoe", "Passw0rd!"); err != nil {
		t.Errorf("right password: %v", err)
	}
}

// Every password write stores a fresh salt and the verifier of that
// password, bound to the pool name and the internal username.
func TestSetPasswordStoresSRPVerifier(t *testing.T) {
	p := storage.Pool{ID: "us-east-1_AbC123xYz"}
	s := &Service{BcryptCost: 4}
	u := storage.User{Username: "c00c29ac-d0f1-4015-9677-2050463f38a6"}
	if err := s.SetPassword(p, &u, "Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if len(u.SRPSalt) != 32 {
		t.Fatalf("salt %q is not 16 bytes of hex", u.SRPSalt)
	}
	want, err := srp.Verifier(u.SRPSalt, "AbC123xYz", u.Username, "Passw0rd!")
	if err != nil || u.SRPVerifier != want {
		t.Fatalf("verifier does not match the password (err %v)", err)
	}
	first := u.SRPSalt
	if err := s.SetPassword(p, &u, "Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if u.SRPSalt == first {
		t.Error("salt reused across password writes")
	}
	if err := s.SetPassword(p, &storage.User{}, "Passw0rd!"); err == nil {
		t.Error("SetPassword without a username succeeded; the verifier would bind to nothing")
	}
}
