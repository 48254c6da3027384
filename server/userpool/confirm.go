package userpool

import (
	"context"
	"errors"
	"fmt"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// ConfirmSignUpInput is ConfirmSignUp's request.
type ConfirmSignUpInput struct {
	ClientID           string
	SecretHash         string
	Username           string
	Code               string
	ForceAliasCreation bool
}

func cannotConfirm(status string) error {
	return exception.Newf(exception.NotAuthorized, "User cannot be confirmed. Current status is %s", status)
}

// hidesUsers reports whether the client answers for unknown users as if
// they existed (PreventUserExistenceErrors ENABLED, spec §11.4).
func hidesUsers(c storage.Client) bool { return c.PreventUserExistenceErrors == "ENABLED" }

// updateUserErr turns an UpdateUser failure into what the caller returns:
// Cognito exceptions from the callback pass through; a user deleted
// meanwhile is UserNotFoundException; the rest is internal.
func updateUserErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case exception.Code(err) != exception.Internal:
		return err
	case errors.Is(err, storage.ErrNotFound):
		return errUserNotFound
	}
	return fmt.Errorf("%s: %w", op, err)
}

// ConfirmSignUp confirms an UNCONFIRMED user with the code sent at sign-up;
// the contact the code went to becomes verified (spec §7.1).
func (s *Service) ConfirmSignUp(ctx context.Context, in ConfirmSignUpInput) error {
	p, c, u, err := s.clientUser(ctx, in.ClientID, in.Username, in.SecretHash)
	if err != nil {
		if exception.Is(err, exception.UserNotFound) && hidesUsers(c) {
			return errCodeMismatch
		}
		return err
	}
	// The contact the code verifies may be another user's verified alias:
	// that is only an error once the code itself is right.
	to, auto := signUpContact(p, u)
	var moves []clash
	var aliasErr error
	if auto {
		clashes, err := s.verifyClashes(ctx, p, u, to.Attr)
		if err != nil {
			return err
		}
		moves, aliasErr = resolveClashes(p, clashes, false, in.ForceAliasCreation)
	}
	now := s.Clock.Now()
	err = s.countedUpdate(ctx, p, u, now, "ConfirmSignUp", "confirm sign-up", func(x *storage.User) error {
		if x.Status != StatusUnconfirmed {
			return cannotConfirm(x.Status)
		}
		if err := checkCode(*x, purposeSignUp, in.Code, now); err != nil {
			return err
		}
		if aliasErr != nil {
			return aliasErr
		}
		clearCode(x, purposeSignUp)
		x.Status = StatusConfirmed
		if auto && x.Attributes[to.Attr] == to.Dest {
			x.Attributes[to.Attr+"_verified"] = "true"
		}
		x.LastModifiedAt = now
		return nil
	})
	if err != nil {
		return err
	}
	return s.takeAliases(ctx, p, moves)
}

// ResendInput is ResendConfirmationCode's request.
type ResendInput struct {
	ClientID   string
	SecretHash string
	Username   string
}

var errUsernameClientNotFound = exception.New(exception.UserNotFound, "Username/client id combination not found.")

// ResendConfirmationCode sends an UNCONFIRMED user a new sign-up code; the
// previous one stops working (spec §7.1, §11.2).
func (s *Service) ResendConfirmationCode(ctx context.Context, in ResendInput) (*CodeDelivery, error) {
	p, c, u, err := s.clientUser(ctx, in.ClientID, in.Username, in.SecretHash)
	if err != nil {
		if exception.Is(err, exception.UserNotFound) {
			return unknownUserDelivery(p, c, in.Username)
		}
		return nil, err
	}
	to, auto := signUpContact(p, u)
	now := s.Clock.Now()
	code := s.newCode()
	err = s.countedUpdate(ctx, p, u, now, "ResendConfirmationCode", "resend confirmation code", func(x *storage.User) error {
		switch {
		case x.Status != StatusUnconfirmed:
			return exception.New(exception.InvalidParameter, "User is already confirmed.")
		case !auto:
			return exception.New(exception.InvalidParameter, "Cannot resend codes. Auto verification not turned on.")
		}
		setCode(x, purposeSignUp, code, now, signUpCodeTTL)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.send(ctx, p, u, KindConfirmationCode, to, code); err != nil {
		return nil, err
	}
	return delivery(to), nil
}

// AdminConfirmSignUp confirms an UNCONFIRMED user without a code. It
// verifies no attribute (spec §7.1).
func (s *Service) AdminConfirmSignUp(ctx context.Context, poolID, username string) error {
	p, u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	err = s.Store.UpdateUser(ctx, p.ID, u.UsernameKey, func(x *storage.User) error {
		if x.Status != StatusUnconfirmed {
			return cannotConfirm(x.Status)
		}
		clearCode(x, purposeSignUp)
		x.Status = StatusConfirmed
		x.LastModifiedAt = now
		return nil
	})
	return updateUserErr("admin confirm sign-up", err)
}
