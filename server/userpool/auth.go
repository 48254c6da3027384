package userpool

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/storage"
)

// Auth flows (AuthFlowType) and challenge names locognito implements.
const (
	FlowUserPassword      = "USER_PASSWORD_AUTH"
	FlowAdminUserPassword = "ADMIN_USER_PASSWORD_AUTH"
	FlowAdminNoSRP        = "ADMIN_NO_SRP_AUTH" // legacy twin of ADMIN_USER_PASSWORD_AUTH
	FlowUserSRP           = "USER_SRP_AUTH"
	FlowRefreshToken      = "REFRESH_TOKEN_AUTH"
	FlowRefreshTokenAlias = "REFRESH_TOKEN"
	FlowCustom            = "CUSTOM_AUTH"
	FlowUserAuth          = "USER_AUTH"

	ChallengeNewPasswordRequired = "NEW_PASSWORD_REQUIRED"
	ChallengePasswordVerifier    = "PASSWORD_VERIFIER"
)

// defaultAuthSessionValidity is a challenge Session's lifetime when the
// client does not set AuthSessionValidity (spec §5.4).
const defaultAuthSessionValidity = 3 * time.Minute

// InitiateAuthInput is (Admin)InitiateAuth. PoolID is set, and Admin true,
// only for AdminInitiateAuth.
type InitiateAuthInput struct {
	Admin          bool
	PoolID         string
	ClientID       string
	AuthFlow       string
	AuthParameters map[string]string
}

// RespondInput is (Admin)RespondToAuthChallenge.
type RespondInput struct {
	Admin              bool
	PoolID             string
	ClientID           string
	ChallengeName      string
	Session            string
	ChallengeResponses map[string]string
}

// AuthOutput is either tokens (Result) or the next challenge.
type AuthOutput struct {
	Result              *tokens.Result
	ChallengeName       string
	Session             string
	ChallengeParameters map[string]string
}

// InitiateAuth starts a sign-in (spec §7.1).
func (s *Service) InitiateAuth(ctx context.Context, in InitiateAuthInput) (AuthOutput, error) {
	p, c, err := s.authClient(ctx, in.Admin, in.PoolID, in.ClientID)
	if err != nil {
		return AuthOutput{}, err
	}
	params := in.AuthParameters
	switch in.AuthFlow {
	case FlowUserPassword:
		if in.Admin {
			return AuthOutput{}, errAuthMethodNotSupported
		}
		return s.passwordAuth(ctx, p, c, FlowUserPassword, params)
	case FlowAdminUserPassword, FlowAdminNoSRP:
		if !in.Admin {
			return AuthOutput{}, errAuthMethodNotSupported
		}
		return s.passwordAuth(ctx, p, c, FlowAdminUserPassword, params)
	case FlowUserSRP:
		return s.srpAuth(ctx, p, c, params)
	case FlowRefreshToken, FlowRefreshTokenAlias:
		return s.refreshAuth(ctx, c, params)
	case FlowCustom:
		if !flowAllowed(c, FlowCustom) {
			return AuthOutput{}, exception.New(exception.InvalidParameter, "Auth flow not enabled for this client")
		}
		// locognito runs no Lambda triggers (spec §1).
		return AuthOutput{}, exception.New(exception.InvalidParameter, "Custom auth lambda trigger is not configured for the user pool.")
	default:
		// USER_AUTH (choice-based sign-in) is out of scope (spec §1).
		return AuthOutput{}, exception.New(exception.InvalidParameter, "Auth flow not enabled for this client")
	}
}

// RespondToAuthChallenge answers a challenge (spec §7.1, §9).
func (s *Service) RespondToAuthChallenge(ctx context.Context, in RespondInput) (AuthOutput, error) {
	p, c, err := s.authClient(ctx, in.Admin, in.PoolID, in.ClientID)
	if err != nil {
		return AuthOutput{}, err
	}
	switch in.ChallengeName {
	case ChallengeNewPasswordRequired:
		return s.respondNewPassword(ctx, p, c, in)
	case ChallengePasswordVerifier:
		return s.respondPasswordVerifier(ctx, p, c, in)
	}
	// locognito never issues the other challenges (MFA, custom, devices), so
	// no session can be waiting for an answer to them.
	return AuthOutput{}, errInvalidSession
}

var (
	errAuthMethodNotSupported = exception.New(exception.InvalidParameter, "Initiate Auth method not supported.")
	errIncorrectCredentials   = exception.New(exception.NotAuthorized, "Incorrect username or password.")
	errInvalidSession         = exception.New(exception.NotAuthorized, "Invalid session for the user.")
	errExpiredSession         = exception.New(exception.NotAuthorized, "Invalid session for the user, session is expired.")
)

// authClient resolves the client of a public call by its id, or of an admin
// call within its pool.
func (s *Service) authClient(ctx context.Context, admin bool, poolID, clientID string) (storage.Pool, storage.Client, error) {
	if !admin {
		return s.PoolAndClient(ctx, clientID)
	}
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return p, storage.Client{}, err
	}
	c, err := s.Client(ctx, poolID, clientID)
	return p, c, err
}

// defaultAuthFlows apply when a client sets no ExplicitAuthFlows: password
// sign-in is off by default (spec §7.1).
var defaultAuthFlows = []string{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"}

// flowAllowed reports whether the client's ExplicitAuthFlows admit flow.
// Clients configured with the legacy values (no ALLOW_ prefix; they cannot
// be mixed with ALLOW_ ones) keep the pre-2019 rules: SRP and refresh are
// always on unless CUSTOM_AUTH_FLOW_ONLY, and each legacy value turns on its
// password flow.
func flowAllowed(c storage.Client, flow string) bool {
	flows := c.ExplicitAuthFlows
	if len(flows) == 0 {
		flows = defaultAuthFlows
	}
	legacy := !slices.ContainsFunc(flows, func(f string) bool { return strings.HasPrefix(f, "ALLOW_") })
	if legacy {
		customOnly := slices.Contains(flows, "CUSTOM_AUTH_FLOW_ONLY")
		switch flow {
		case FlowRefreshToken:
			return true
		case FlowUserSRP:
			return !customOnly
		case FlowUserPassword:
			return !customOnly && slices.Contains(flows, "USER_PASSWORD_AUTH")
		case FlowAdminUserPassword:
			return !customOnly && slices.Contains(flows, "ADMIN_NO_SRP_AUTH")
		case FlowCustom:
			return true
		}
		return false
	}
	return slices.Contains(flows, "ALLOW_"+flow)
}

// missingParameter is Cognito's error for an absent auth parameter.
func missingParameter(name string) error {
	return exception.New(exception.InvalidParameter, "Missing required parameter "+name)
}

// signInUser resolves USERNAME for a sign-in, applying the client's
// PreventUserExistenceErrors: ENABLED hides unknown users behind the
// wrong-password message (spec §11.4).
func (s *Service) signInUser(ctx context.Context, p storage.Pool, c storage.Client, username string) (storage.User, error) {
	u, err := s.FindUser(ctx, p, username)
	if exception.Is(err, exception.UserNotFound) && hidesUsers(c) {
		return u, errIncorrectCredentials
	}
	return u, err
}

// beforePassword are the checks Cognito makes before it looks at the
// password: an unconfirmed user is told so (leaking existence, as Cognito
// does), then a locked user is refused.
func (s *Service) beforePassword(u storage.User) error {
	if u.Status == "UNCONFIRMED" {
		return exception.New(exception.UserNotConfirmed, "User is not confirmed.")
	}
	return s.checkLockout(u)
}

// afterPassword are the checks once the password is proven, in Cognito's
// order: disabled, reset required, temporary password expired, then the
// NEW_PASSWORD_REQUIRED challenge (ErrNewPasswordRequired).
func (s *Service) afterPassword(u storage.User) error {
	switch {
	case !u.Enabled:
		return exception.New(exception.NotAuthorized, "User is disabled.")
	case u.Status == "RESET_REQUIRED":
		return exception.New(exception.PasswordResetRequired, "Password reset required for the user")
	case u.Status == "FORCE_CHANGE_PASSWORD":
		if !u.TempPasswordExpiresAt.IsZero() && !s.Clock.Now().Before(u.TempPasswordExpiresAt) {
			return exception.New(exception.NotAuthorized, "Temporary password has expired and must be reset by an administrator.")
		}
		return ErrNewPasswordRequired
	}
	return nil
}

// signedIn finishes a successful password or SRP sign-in: it clears the
// failure count and issues tokens, or starts NEW_PASSWORD_REQUIRED.
func (s *Service) signedIn(ctx context.Context, p storage.Pool, c storage.Client, u storage.User) (AuthOutput, error) {
	if err := s.resetFailures(ctx, u); err != nil {
		return AuthOutput{}, err
	}
	err := s.afterPassword(u)
	if errors.Is(err, ErrNewPasswordRequired) {
		return s.newPasswordChallenge(ctx, p, c, u)
	}
	if err != nil {
		return AuthOutput{}, err
	}
	return s.issueTokens(ctx, p, c, u)
}

// issueTokens mints a new sign-in's ID, access and refresh tokens.
func (s *Service) issueTokens(ctx context.Context, p storage.Pool, c storage.Client, u storage.User) (AuthOutput, error) {
	res, err := s.Tokens.Issue(ctx, tokens.Request{Pool: p, Client: c, User: u, Flow: tokens.FlowAPI, WithRefresh: true})
	if err != nil {
		return AuthOutput{}, err
	}
	return AuthOutput{Result: &res, ChallengeParameters: map[string]string{}}, nil
}

// authSessionValidity is how long the client's challenge sessions live.
func authSessionValidity(c storage.Client) time.Duration {
	if c.AuthSessionValidity > 0 {
		return c.AuthSessionValidity
	}
	return defaultAuthSessionValidity
}

// grantKey is the storage id of a grant whose handle the client holds:
// only its SHA-256 is stored, so a database read does not yield live
// sessions.
func grantKey(handle string) string {
	sum := sha256.Sum256([]byte(handle))
	return hex.EncodeToString(sum[:])
}
