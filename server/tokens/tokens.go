// Package tokens mints Cognito-shaped ID, access and refresh tokens for the
// JSON API and the OAuth endpoints alike, and checks access and refresh
// tokens presented back to locognito (spec §5).
//
// CONTRACT STUB written by the lead: the exported API below is fixed; the
// implementation is being written.
package tokens

import (
	"context"
	"errors"
	"time"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/storage"
)

// Flow says which column of the spec's claim table applies.
type Flow int

const (
	// FlowAPI: (Admin)InitiateAuth, RespondToAuthChallenge, API refresh.
	FlowAPI Flow = iota
	// FlowOAuth: /oauth2/token and implicit grant.
	FlowOAuth
)

// Issuer mints and checks tokens.
type Issuer struct {
	Store storage.Storage
	Keys  *keys.Manager
	Clock clock.Clock
	// IssuerURL returns the "iss" of a pool's tokens.
	IssuerURL func(poolID string) string
}

// Request describes one issuance for a user.
type Request struct {
	Pool   storage.Pool
	Client storage.Client
	User   storage.User
	Flow   Flow
	// Scopes granted (FlowOAuth). FlowAPI always gets aws.cognito.signin.user.admin.
	Scopes   []string
	Nonce    string    // FlowOAuth: copied into the ID token
	AuthTime time.Time // zero = now (a new sign-in)
	// OriginJTI of the refresh family; empty starts a new family.
	OriginJTI string
	// WithRefresh creates and returns a refresh token of the family.
	WithRefresh bool
}

// Result is what a token endpoint returns.
type Result struct {
	IDToken      string // empty when FlowOAuth without openid
	AccessToken  string
	RefreshToken string // empty unless requested / rotated
	ExpiresIn    int    // access-token lifetime in seconds
	TokenType    string // "Bearer"
	OriginJTI    string
}

// AccessClaims is what VerifyAccess learned from a valid access token.
type AccessClaims struct {
	PoolID    string
	ClientID  string
	Username  string
	Sub       string
	JTI       string
	OriginJTI string
	Scopes    []string
	IssuedAt  time.Time
	ExpiresAt time.Time
	AuthTime  time.Time
}

var errTODO = errors.New("tokens: not implemented yet")

// Issue mints ID (FlowAPI, or FlowOAuth with openid) and access tokens, and a
// refresh token when asked. Groups are read from the store.
func (i *Issuer) Issue(ctx context.Context, r Request) (Result, error) { return Result{}, errTODO }

// LookupRefresh finds the stored record of a refresh token (for SECRET_HASH,
// which uses its internal username). Unknown → NotAuthorizedException
// "Invalid Refresh Token".
func (i *Issuer) LookupRefresh(ctx context.Context, token string) (storage.RefreshToken, error) {
	return storage.RefreshToken{}, errTODO
}

// Refresh exchanges a refresh token of client for new ID and access tokens
// (and a new refresh token when the client rotates). Errors are
// *exception.Error: NotAuthorizedException ("Invalid Refresh Token",
// "Refresh Token has been revoked", "Refresh Token has expired", "User is
// disabled.") or RefreshTokenReuseException.
func (i *Issuer) Refresh(ctx context.Context, client storage.Client, token string, flow Flow) (Result, error) {
	return Result{}, errTODO
}

// Revoke revokes the refresh token's family (RevokeToken, /oauth2/revoke).
// Unknown tokens succeed silently; access/ID tokens give
// UnsupportedTokenTypeException; a client without revocation gives
// UnsupportedOperationException; a token of another client gives
// NotAuthorizedException.
func (i *Issuer) Revoke(ctx context.Context, client storage.Client, token string) error {
	return errTODO
}

// ClientCredentials mints an access token for a machine client.
func (i *Issuer) ClientCredentials(ctx context.Context, pool storage.Pool, client storage.Client, scopes []string) (Result, error) {
	return Result{}, errTODO
}

// VerifyAccess checks an access token presented to the API or userInfo:
// signature by a published key of its pool, issuer, token_use, expiry,
// revocation (family, global sign-out watermark, deleted or disabled user).
// Errors are NotAuthorizedException "Invalid Access Token" / "Access Token
// has expired" / "Access Token has been revoked".
func (i *Issuer) VerifyAccess(ctx context.Context, token string) (AccessClaims, error) {
	return AccessClaims{}, errTODO
}
