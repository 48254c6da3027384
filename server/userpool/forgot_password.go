package userpool

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

var errNoRecoveryContact = exception.New(exception.InvalidParameter,
	"Cannot reset password for the user as there is no registered/verified email or phone_number")

// recoveryOrder lists the contacts a reset code may go to, in the order of
// the pool's AccountRecoverySetting (stored as given, in Pool.Extra).
// Without one Cognito's legacy order applies: a verified phone, then a
// verified email. "admin_only" leaves nothing.
func recoveryOrder(p storage.Pool) []string {
	type mechanism struct {
		Name     string
		Priority int
	}
	var setting struct{ RecoveryMechanisms []mechanism }
	raw := p.Extra["AccountRecoverySetting"]
	if len(raw) == 0 || json.Unmarshal(raw, &setting) != nil || len(setting.RecoveryMechanisms) == 0 {
		return []string{"phone_number", "email"}
	}
	ms := slices.Clone(setting.RecoveryMechanisms)
	slices.SortStableFunc(ms, func(a, b mechanism) int { return a.Priority - b.Priority })
	var out []string
	for _, m := range ms {
		switch m.Name {
		case "verified_email":
			out = append(out, "email")
		case "verified_phone_number":
			out = append(out, "phone_number")
		}
	}
	return out
}

// simulatedDelivery is the CodeDeliveryDetails returned for an unknown user
// when the client hides user existence (spec §11.4): shaped like a real
// one, derived only from what the caller typed, so repeated calls agree.
func simulatedDelivery(p storage.Pool, username string) *CodeDelivery {
	if looksLikePhone(username) {
		return delivery(contact{Attr: "phone_number", Medium: "SMS", Dest: username})
	}
	if looksLikeEmail(username) {
		return delivery(contact{Attr: "email", Medium: "EMAIL", Dest: username})
	}
	r := firstRune(username)
	return &CodeDelivery{Destination: r + "***@" + r + "***", DeliveryMedium: "EMAIL", AttributeName: "email"}
}

// unknownUserDelivery answers a code-sending call (ResendConfirmationCode,
// ForgotPassword) for a user that does not exist: a simulated delivery when
// the client hides users (spec §11.4), else UserNotFoundException.
func unknownUserDelivery(p storage.Pool, c storage.Client, username string) (*CodeDelivery, error) {
	if hidesUsers(c) {
		return simulatedDelivery(p, username), nil
	}
	return nil, errUsernameClientNotFound
}

// ForgotPasswordInput is ForgotPassword's request.
type ForgotPasswordInput struct {
	ClientID   string
	SecretHash string
	Username   string
}

// ForgotPassword sends a one-hour reset code to the user's verified email
// or phone. The current password keeps working until the reset is
// confirmed (spec §7.2).
func (s *Service) ForgotPassword(ctx context.Context, in ForgotPasswordInput) (*CodeDelivery, error) {
	p, c, u, err := s.clientUser(ctx, in.ClientID, in.Username, in.SecretHash)
	if err != nil {
		if exception.Is(err, exception.UserNotFound) {
			return unknownUserDelivery(p, c, in.Username)
		}
		return nil, err
	}
	return s.sendResetCode(ctx, p, u, "")
}

// sendResetCode issues a reset code to u's recovery contact and, when
// status is set, moves the user to it.
func (s *Service) sendResetCode(ctx context.Context, p storage.Pool, u storage.User, status string) (*CodeDelivery, error) {
	to, ok := recoveryContact(p, u)
	if !ok {
		return nil, errNoRecoveryContact
	}
	now := s.Clock.Now()
	code := s.newCode()
	err := s.Store.UpdateUser(ctx, p.ID, u.UsernameKey, func(x *storage.User) error {
		setCode(x, purposeForgot, code, now, forgotCodeTTL)
		if status != "" {
			x.Status = status
			x.LastModifiedAt = now
		}
		return nil
	})
	if err := updateUserErr("send reset code", err); err != nil {
		return nil, err
	}
	if err := s.send(ctx, p, u, KindResetCode, to, code); err != nil {
		return nil, err
	}
	return delivery(to), nil
}

// ConfirmForgotPasswordInput is ConfirmForgotPassword's request.
type ConfirmForgotPasswordInput struct {
	ClientID   string
	SecretHash string
	Username   string
	Code       string
	Password   string
}

// ConfirmForgotPassword sets a new password with a reset code; the user is
// CONFIRMED afterwards and their failed sign-ins are forgotten (spec §7.2).
func (s *Service) ConfirmForgotPassword(ctx context.Context, in ConfirmForgotPasswordInput) error {
	p, c, u, err := s.clientUser(ctx, in.ClientID, in.Username, in.SecretHash)
	if err != nil {
		if exception.Is(err, exception.UserNotFound) && hidesUsers(c) {
			return errCodeMismatch
		}
		return err
	}
	if err := CheckPasswordPolicy(p.PasswordPolicy, in.Password); err != nil {
		return err
	}
	// bcrypt runs before the update, which may hold a lock or transaction.
	fresh := u
	if err := s.SetPassword(p, &fresh, in.Password); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.countedUpdate(ctx, p, u, now, "ConfirmForgotPassword", "confirm forgot password", func(x *storage.User) error {
		if err := checkCode(*x, purposeForgot, in.Code, now); err != nil {
			return err
		}
		clearCode(x, purposeForgot)
		x.PasswordHash, x.SRPSalt, x.SRPVerifier = fresh.PasswordHash, fresh.SRPSalt, fresh.SRPVerifier
		x.Status = StatusConfirmed
		x.TempPasswordExpiresAt = time.Time{}
		x.FailedAttempts, x.LastFailureAt = 0, time.Time{}
		x.LastModifiedAt = now
		return nil
	})
}

// AdminResetUserPassword moves the user to RESET_REQUIRED and sends a reset
// code to their verified contact; sign-in then fails with
// PasswordResetRequiredException until ConfirmForgotPassword (spec §7.2).
func (s *Service) AdminResetUserPassword(ctx context.Context, poolID, username string) error {
	p, u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	_, err = s.sendResetCode(ctx, p, u, StatusResetRequired)
	return err
}
