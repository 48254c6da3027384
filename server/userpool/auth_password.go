package userpool

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// ErrNewPasswordRequired is returned by PasswordSignIn (with the user) when
// the password was right but is temporary: the user must choose a new one
// (NEW_PASSWORD_REQUIRED) before getting tokens. The hosted UI detects it
// with errors.Is and shows its new-password form.
var ErrNewPasswordRequired = errors.New("userpool: new password required")

// passwordAuth runs USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH /
// ADMIN_NO_SRP_AUTH: client flow and SECRET_HASH, then the user rules.
// flow is FlowUserPassword or FlowAdminUserPassword.
func (s *Service) passwordAuth(ctx context.Context, p storage.Pool, c storage.Client, flow string, params map[string]string) (AuthOutput, error) {
	notEnabled := "USER_PASSWORD_AUTH flow not enabled for this client"
	if flow == FlowAdminUserPassword {
		notEnabled = "Auth flow not enabled for this client"
	}
	if !flowAllowed(c, flow) {
		return AuthOutput{}, exception.New(exception.InvalidParameter, notEnabled)
	}
	username, password := params["USERNAME"], params["PASSWORD"]
	if username == "" {
		return AuthOutput{}, missingParameter("USERNAME")
	}
	if password == "" {
		return AuthOutput{}, missingParameter("PASSWORD")
	}
	if err := CheckSecretHash(c, username, params["SECRET_HASH"]); err != nil {
		return AuthOutput{}, err
	}
	u, err := s.checkPassword(ctx, p, c, username, password)
	if err != nil {
		return AuthOutput{}, err
	}
	return s.signedIn(ctx, p, c, u)
}

// PasswordSignIn checks a username and password under the same user,
// status, lockout and password rules as USER_PASSWORD_AUTH, without the
// client-flow and SECRET_HASH checks: the hosted UI authenticates the client
// itself. It returns the user, or (user, ErrNewPasswordRequired) when a
// temporary password must be replaced, or an *exception.Error.
func (s *Service) PasswordSignIn(ctx context.Context, pool storage.Pool, client storage.Client, username, password string) (storage.User, error) {
	u, err := s.checkPassword(ctx, pool, client, username, password)
	if err != nil {
		return storage.User{}, err
	}
	if err := s.resetFailures(ctx, u); err != nil {
		return storage.User{}, err
	}
	if err := s.afterPassword(u); err != nil {
		if errors.Is(err, ErrNewPasswordRequired) {
			return u, err
		}
		return storage.User{}, err
	}
	return u, nil
}

// checkPassword finds the user and proves the password, in Cognito's order:
// user → UNCONFIRMED → lockout → password.
func (s *Service) checkPassword(ctx context.Context, p storage.Pool, c storage.Client, username, password string) (storage.User, error) {
	u, err := s.signInUser(ctx, p, c, username)
	if err != nil {
		if exception.Is(err, exception.NotAuthorized) {
			// Unknown user hidden by PreventUserExistenceErrors: spend a
			// bcrypt comparison anyway so timing does not tell.
			s.burnPasswordCheck(password)
		}
		return u, err
	}
	if err := s.beforePassword(u); err != nil {
		return u, err
	}
	if !PasswordMatches(u, password) {
		if err := s.recordFailure(ctx, u); err != nil {
			return u, err
		}
		return u, errIncorrectCredentials
	}
	return u, nil
}

// dummyHashes holds one bcrypt hash per cost for burnPasswordCheck.
var dummyHashes sync.Map // cost → []byte

// burnPasswordCheck costs what a real password check costs.
func (s *Service) burnPasswordCheck(password string) {
	cost := s.BcryptCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	h, ok := dummyHashes.Load(cost)
	if !ok {
		fresh, err := bcrypt.GenerateFromPassword([]byte("locognito-no-such-user"), cost)
		if err != nil {
			return
		}
		h, _ = dummyHashes.LoadOrStore(cost, fresh)
	}
	_ = bcrypt.CompareHashAndPassword(h.([]byte), []byte(password))
}
