package userpool

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// AdminCreateUserInput is AdminCreateUser's request.
type AdminCreateUserInput struct {
	PoolID            string
	Username          string
	Attributes        []UserAttribute
	TemporaryPassword string // empty = generate one
	// MessageAction: "" (send the invitation), "SUPPRESS" or "RESEND".
	MessageAction          string
	DesiredDeliveryMediums []string // EMAIL, SMS; default SMS
	ForceAliasCreation     bool
}

const adminCreateExists = "User account already exists"

// AdminCreateUser creates a FORCE_CHANGE_PASSWORD user with a temporary
// password, or with RESEND re-issues one (spec §7.2). The temporary
// password goes to the outbox unless SUPPRESS.
func (s *Service) AdminCreateUser(ctx context.Context, in AdminCreateUserInput) (storage.User, error) {
	p, err := s.Pool(ctx, in.PoolID)
	if err != nil {
		return storage.User{}, err
	}
	if in.MessageAction == "RESEND" {
		return s.resendInvitation(ctx, p, in)
	}
	u, err := s.newUser(p, newUserSpec{Username: in.Username, Attributes: in.Attributes, Mode: writeAdminCreate})
	if err != nil {
		return storage.User{}, err
	}
	password, err := temporaryPassword(p, in.TemporaryPassword)
	if err != nil {
		return storage.User{}, err
	}
	moves, err := s.checkNewUserFree(ctx, p, u, adminCreateExists, in.ForceAliasCreation)
	if err != nil {
		return storage.User{}, err
	}
	if err := s.setTemporaryPassword(p, &u, password); err != nil {
		return storage.User{}, err
	}
	if err := s.createUser(ctx, u, adminCreateExists); err != nil {
		return storage.User{}, err
	}
	if err := s.takeAliases(ctx, p, moves); err != nil {
		return storage.User{}, err
	}
	if in.MessageAction != "SUPPRESS" {
		if err := s.send(ctx, p, u, KindTemporaryPassword, invitationContact(u, in.DesiredDeliveryMediums), password); err != nil {
			return storage.User{}, err
		}
	}
	return u, nil
}

// resendInvitation is AdminCreateUser with MessageAction RESEND: a new
// temporary password for a user who has not used theirs yet.
func (s *Service) resendInvitation(ctx context.Context, p storage.Pool, in AdminCreateUserInput) (storage.User, error) {
	u, err := s.FindUser(ctx, p, in.Username)
	if err != nil {
		return storage.User{}, err
	}
	if u.Status != StatusForceChangePassword {
		return storage.User{}, exception.Newf(exception.UnsupportedUserState, "Resend not possible. %s status is not FORCE_CHANGE_PASSWORD.", u.Username)
	}
	password, err := temporaryPassword(p, in.TemporaryPassword)
	if err != nil {
		return storage.User{}, err
	}
	fresh := u
	if err := s.setTemporaryPassword(p, &fresh, password); err != nil {
		return storage.User{}, err
	}
	var out storage.User
	err = s.Store.UpdateUser(ctx, p.ID, u.UsernameKey, func(x *storage.User) error {
		if x.Status != StatusForceChangePassword {
			return exception.Newf(exception.UnsupportedUserState, "Resend not possible. %s status is not FORCE_CHANGE_PASSWORD.", x.Username)
		}
		x.PasswordHash, x.SRPSalt, x.SRPVerifier = fresh.PasswordHash, fresh.SRPSalt, fresh.SRPVerifier
		x.TempPasswordExpiresAt = fresh.TempPasswordExpiresAt
		x.LastModifiedAt = fresh.LastModifiedAt
		out = *x
		return nil
	})
	if err := updateUserErr("resend invitation", err); err != nil {
		return storage.User{}, err
	}
	if err := s.send(ctx, p, out, KindTemporaryPassword, invitationContact(out, in.DesiredDeliveryMediums), password); err != nil {
		return storage.User{}, err
	}
	return out, nil
}

// invitationContact picks where an invitation goes: the first desired
// medium (default SMS) the user has a contact for, else any contact. The
// outbox files it either way, so a test can always read the password.
func invitationContact(u storage.User, mediums []string) contact {
	if len(mediums) == 0 {
		mediums = []string{"SMS"}
	}
	for _, m := range mediums {
		attr := "email"
		if m == "SMS" {
			attr = "phone_number"
		}
		if c, ok := contactFor(u, attr); ok {
			return c
		}
	}
	return anyContact(u)
}

// temporaryPassword checks a given temporary password against the policy,
// or generates one that satisfies it.
func temporaryPassword(p storage.Pool, given string) (string, error) {
	if given == "" {
		return generatePassword(p.PasswordPolicy), nil
	}
	if err := CheckPasswordPolicy(p.PasswordPolicy, given); err != nil {
		return "", err
	}
	return given, nil
}

// tempPasswordValidity is how long a temporary password lasts (spec §11.2).
func tempPasswordValidity(p storage.Pool) time.Duration {
	days := p.PasswordPolicy.TemporaryPasswordValidityDays
	if days <= 0 {
		days = 7
	}
	return time.Duration(days) * 24 * time.Hour
}

// setTemporaryPassword gives u a temporary password: FORCE_CHANGE_PASSWORD
// until the pool's TemporaryPasswordValidityDays have passed.
func (s *Service) setTemporaryPassword(p storage.Pool, u *storage.User, password string) error {
	if err := s.SetPassword(p, u, password); err != nil {
		return err
	}
	now := s.Clock.Now()
	u.Status = StatusForceChangePassword
	u.TempPasswordExpiresAt = now.Add(tempPasswordValidity(p))
	u.LastModifiedAt = now
	return nil
}

// Character classes of generated passwords. The symbols are a subset of
// Cognito's that survive shells and URLs unquoted.
const (
	pwUpper   = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	pwLower   = "abcdefghijkmnopqrstuvwxyz"
	pwDigits  = "23456789"
	pwSymbols = "!#%*+-.=^_~"
)

// generatePassword returns a random password that satisfies pp: at least
// 12 characters (more if the policy asks), with every class present.
func generatePassword(pp storage.PasswordPolicy) string {
	n := max(pp.MinimumLength, 12)
	all := pwUpper + pwLower + pwDigits + pwSymbols
	out := []byte{pick(pwUpper), pick(pwLower), pick(pwDigits), pick(pwSymbols)}
	for len(out) < n {
		out = append(out, pick(all))
	}
	// Fisher–Yates, so the classes are not always in front.
	for i := len(out) - 1; i > 0; i-- {
		j := randInt(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func pick(set string) byte { return set[randInt(len(set))] }

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return int(v.Int64())
}

// AdminSetUserPassword sets a password: permanent → CONFIRMED from any
// status; otherwise a new temporary password (spec §7.2).
func (s *Service) AdminSetUserPassword(ctx context.Context, poolID, username, password string, permanent bool) error {
	p, u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	if err := CheckPasswordPolicy(p.PasswordPolicy, password); err != nil {
		return err
	}
	fresh := u
	if permanent {
		err = s.SetPassword(p, &fresh, password)
		fresh.Status, fresh.TempPasswordExpiresAt = StatusConfirmed, time.Time{}
	} else {
		err = s.setTemporaryPassword(p, &fresh, password)
	}
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	err = s.Store.UpdateUser(ctx, p.ID, u.UsernameKey, func(x *storage.User) error {
		x.PasswordHash, x.SRPSalt, x.SRPVerifier = fresh.PasswordHash, fresh.SRPSalt, fresh.SRPVerifier
		x.Status, x.TempPasswordExpiresAt = fresh.Status, fresh.TempPasswordExpiresAt
		x.FailedAttempts, x.LastFailureAt = 0, time.Time{}
		x.LastModifiedAt = now
		return nil
	})
	return updateUserErr("admin set user password", err)
}

// AdminGetUser returns a user by username or alias.
func (s *Service) AdminGetUser(ctx context.Context, poolID, username string) (storage.User, error) {
	_, u, err := s.adminUser(ctx, poolID, username)
	return u, err
}

// GetUser returns the signed-in user and the attributes their client may
// read.
func (s *Service) GetUser(ctx context.Context, accessToken string) (storage.User, []UserAttribute, error) {
	_, u, claims, err := s.UserFromAccessToken(ctx, accessToken)
	if err != nil {
		return storage.User{}, nil, err
	}
	c, err := s.Store.GetClient(ctx, claims.ClientID)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.User{}, nil, errTokenRevoked
	}
	if err != nil {
		return storage.User{}, nil, fmt.Errorf("get client: %w", err)
	}
	return u, ReadableAttributes(c, u), nil
}

// AdminDeleteUser deletes a user; their tokens stop working (spec §5.6).
func (s *Service) AdminDeleteUser(ctx context.Context, poolID, username string) error {
	p, u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	return s.deleteUser(ctx, p, u)
}

// DeleteUser deletes the signed-in user.
func (s *Service) DeleteUser(ctx context.Context, accessToken string) error {
	p, u, _, err := s.UserFromAccessToken(ctx, accessToken)
	if err != nil {
		return err
	}
	return s.deleteUser(ctx, p, u)
}

func (s *Service) deleteUser(ctx context.Context, p storage.Pool, u storage.User) error {
	err := s.Store.DeleteUser(ctx, p.ID, u.UsernameKey)
	if errors.Is(err, storage.ErrNotFound) {
		return errUserNotFound
	}
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	return nil
}

// AdminDisableUser blocks sign-in and revokes the user's tokens through the
// sign-out watermark; the user stays listed (spec §7.2).
func (s *Service) AdminDisableUser(ctx context.Context, poolID, username string) error {
	return s.setEnabled(ctx, poolID, username, false)
}

// AdminEnableUser undoes AdminDisableUser; revoked tokens stay revoked.
func (s *Service) AdminEnableUser(ctx context.Context, poolID, username string) error {
	return s.setEnabled(ctx, poolID, username, true)
}

func (s *Service) setEnabled(ctx context.Context, poolID, username string, enabled bool) error {
	p, u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	err = s.Store.UpdateUser(ctx, p.ID, u.UsernameKey, func(x *storage.User) error {
		if x.Enabled == enabled {
			return storage.ErrNoChange
		}
		x.Enabled = enabled
		if !enabled {
			x.SignedOutAt = now
		}
		x.LastModifiedAt = now
		return nil
	})
	return updateUserErr("set enabled", err)
}

// SeedUserInput is a user as the seed file describes it.
type SeedUserInput struct {
	// Username as a user types it; in UsernameAttributes pools the email or
	// phone number (the internal username is then Sub, or a random UUID).
	Username string
	// Password is permanent unless Status is FORCE_CHANGE_PASSWORD, when it
	// is the temporary password. Empty leaves an existing password as it is
	// (a new user then gets a generated temporary password).
	Password   string
	Attributes map[string]string // including *_verified; custom:x as named
	Status     string            // default CONFIRMED
	Enabled    *bool             // default true
	Groups     []string          // must exist
	Sub        string            // optional fixed sub of a new user
}

// SeedUser creates the user described by in, or brings an existing one (by
// username or alias) in line with it: attributes given are set, status,
// enabled flag and password as given, groups joined. It is idempotent, so
// the seed can run on every start.
func (s *Service) SeedUser(ctx context.Context, p storage.Pool, in SeedUserInput) error {
	status := in.Status
	if status == "" {
		status = StatusConfirmed
	}
	switch status {
	case StatusConfirmed, StatusUnconfirmed, StatusForceChangePassword, StatusResetRequired:
	default:
		return exception.Newf(exception.InvalidParameter, "seed user %s: unknown status %q", in.Username, status)
	}
	enabled := in.Enabled == nil || *in.Enabled
	attrs := make([]UserAttribute, 0, len(in.Attributes))
	for _, name := range sortedKeys(in.Attributes) {
		attrs = append(attrs, UserAttribute{Name: name, Value: in.Attributes[name]})
	}
	if in.Password != "" {
		if err := CheckPasswordPolicy(p.PasswordPolicy, in.Password); err != nil {
			return fmt.Errorf("seed user %s: %w", in.Username, err)
		}
	}
	u, err := s.FindUser(ctx, p, in.Username)
	switch {
	case exception.Is(err, exception.UserNotFound):
		u, err = s.seedNewUser(ctx, p, in, attrs, status, enabled)
	case err == nil:
		u, err = s.seedExistingUser(ctx, p, u, in, attrs, status, enabled)
	}
	if err != nil {
		return fmt.Errorf("seed user %s: %w", in.Username, err)
	}
	for _, g := range in.Groups {
		if err := s.Store.AddUserToGroup(ctx, p.ID, g, u.UsernameKey); err != nil {
			return fmt.Errorf("seed user %s: add to group %s: %w", in.Username, g, err)
		}
	}
	return nil
}

func (s *Service) seedNewUser(ctx context.Context, p storage.Pool, in SeedUserInput, attrs []UserAttribute, status string, enabled bool) (storage.User, error) {
	u, err := s.newUser(p, newUserSpec{Username: in.Username, Attributes: attrs, Mode: writeAdminCreate, Sub: in.Sub})
	if err != nil {
		return u, err
	}
	if _, err := s.checkNewUserFree(ctx, p, u, adminCreateExists, false); err != nil {
		return u, err
	}
	password := in.Password
	if password == "" {
		password, status = generatePassword(p.PasswordPolicy), StatusForceChangePassword
	}
	if err := s.seedPassword(p, &u, password, status); err != nil {
		return u, err
	}
	u.Enabled = enabled
	return u, s.createUser(ctx, u, adminCreateExists)
}

func (s *Service) seedExistingUser(ctx context.Context, p storage.Pool, u storage.User, in SeedUserInput, attrs []UserAttribute, status string, enabled bool) (storage.User, error) {
	if err := validateAttributes(p, nil, attrs, writeAdminCreate); err != nil {
		return u, err
	}
	fresh := u
	if in.Password != "" && !PasswordMatches(u, in.Password) {
		if err := s.seedPassword(p, &fresh, in.Password, status); err != nil {
			return u, err
		}
	}
	now := s.Clock.Now()
	var out storage.User
	err := s.Store.UpdateUser(ctx, p.ID, u.UsernameKey, func(x *storage.User) error {
		before := fmt.Sprint(x.Attributes, x.Status, x.Enabled)
		applyAttributes(x, attrs, writeAdminCreate)
		x.PasswordHash, x.SRPSalt, x.SRPVerifier = fresh.PasswordHash, fresh.SRPSalt, fresh.SRPVerifier
		x.Status, x.Enabled = status, enabled
		if status == StatusForceChangePassword && x.TempPasswordExpiresAt.IsZero() {
			x.TempPasswordExpiresAt = now.Add(tempPasswordValidity(p))
		} else if status != StatusForceChangePassword {
			x.TempPasswordExpiresAt = time.Time{}
		}
		out = *x
		if before == fmt.Sprint(x.Attributes, x.Status, x.Enabled) && slices.Equal(fresh.PasswordHash, u.PasswordHash) {
			return storage.ErrNoChange
		}
		x.LastModifiedAt = now
		out = *x
		return nil
	})
	return out, updateUserErr("seed user", err)
}

// seedPassword sets a seeded password with the seeded status.
func (s *Service) seedPassword(p storage.Pool, u *storage.User, password, status string) error {
	if status == StatusForceChangePassword {
		return s.setTemporaryPassword(p, u, password)
	}
	if err := s.SetPassword(p, u, password); err != nil {
		return err
	}
	u.Status, u.TempPasswordExpiresAt = status, time.Time{}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, strings.Compare)
	return keys
}
