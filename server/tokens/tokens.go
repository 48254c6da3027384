package tokens

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/internal/ids"
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

// Default lifetimes (spec §5.4), used when the client leaves them at zero.
const (
	DefaultAccessValidity  = time.Hour
	DefaultIDValidity      = time.Hour
	DefaultRefreshValidity = 30 * 24 * time.Hour
	// MaxTokenValidity is the longest an access or ID token can live; a
	// revoked family is remembered at least this long.
	MaxTokenValidity = 24 * time.Hour
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
	Username  string // empty for client_credentials tokens
	Sub       string
	JTI       string
	OriginJTI string
	Scopes    []string
	IssuedAt  time.Time
	ExpiresAt time.Time
	AuthTime  time.Time
}

// Lifetimes returns the client's access, ID and refresh token lifetimes,
// with Cognito's defaults for unset ones.
func Lifetimes(c storage.Client) (access, id, refresh time.Duration) {
	access, id, refresh = c.AccessTokenValidity, c.IDTokenValidity, c.RefreshTokenValidity
	if access <= 0 {
		access = DefaultAccessValidity
	}
	if id <= 0 {
		id = DefaultIDValidity
	}
	if refresh <= 0 {
		refresh = DefaultRefreshValidity
	}
	return access, id, refresh
}

// Issue mints ID (FlowAPI, or FlowOAuth with openid) and access tokens, and a
// refresh token when asked. Groups are read from the store.
func (i *Issuer) Issue(ctx context.Context, r Request) (Result, error) {
	return i.issue(ctx, r, time.Time{})
}

// issue is Issue with the refresh token's expiry fixed by the caller (a
// rotated token keeps its family's); zero means the client's lifetime.
func (i *Issuer) issue(ctx context.Context, r Request, refreshExpires time.Time) (Result, error) {
	poolID := firstNonEmpty(r.Pool.ID, r.Client.PoolID, r.User.PoolID)
	now := i.Clock.Now()
	if r.AuthTime.IsZero() {
		r.AuthTime = now
	}
	if r.Flow == FlowAPI {
		r.Scopes = []string{ScopeAdmin}
	}
	newFamily := r.OriginJTI == ""
	if newFamily {
		r.OriginJTI = ids.UUID()
	}
	groups, err := i.Store.ListGroupsForUser(ctx, poolID, r.User.UsernameKey)
	if err != nil {
		return Result{}, fmt.Errorf("tokens: list groups: %w", err)
	}
	t := mint{
		Request: r, poolID: poolID, iss: i.IssuerURL(poolID), now: now,
		groups: groupsOf(groups), revocable: r.Client.EnableTokenRevocation,
	}
	if r.Flow == FlowAPI {
		t.eventID = ids.UUID()
	}
	accessTTL, idTTL, refreshTTL := Lifetimes(r.Client)

	res := Result{ExpiresIn: int(accessTTL / time.Second), TokenType: "Bearer", OriginJTI: r.OriginJTI}
	if res.AccessToken, err = i.signAs(ctx, poolID, keys.UseAccess, t.accessClaims(accessTTL)); err != nil {
		return Result{}, err
	}
	if r.Flow == FlowAPI || slices.Contains(r.Scopes, ScopeOpenID) {
		if res.IDToken, err = i.signAs(ctx, poolID, keys.UseID, t.idClaims(idTTL, res.AccessToken)); err != nil {
			return Result{}, err
		}
	}
	if newFamily && r.User.UsernameKey != "" && r.Client.EnableTokenRevocation {
		if err := i.recordFamily(ctx, poolID, r.Client.ClientID, r.OriginJTI, now, now.Add(refreshTTL+accessTTL)); err != nil {
			return Result{}, err
		}
	}
	if r.WithRefresh {
		if refreshExpires.IsZero() {
			refreshExpires = now.Add(refreshTTL)
		}
		if res.RefreshToken, err = i.newRefreshToken(ctx, t, refreshExpires); err != nil {
			return Result{}, err
		}
	}
	return res, nil
}

// ClientCredentials mints an access token for a machine client.
func (i *Issuer) ClientCredentials(ctx context.Context, pool storage.Pool, client storage.Client, scopes []string) (Result, error) {
	poolID := firstNonEmpty(pool.ID, client.PoolID)
	now := i.Clock.Now()
	accessTTL, _, _ := Lifetimes(client)
	var cl claims
	cl.add("sub", client.ClientID)
	cl.add("token_use", "access")
	cl.add("scope", strings.Join(scopes, " "))
	cl.add("auth_time", now.Unix())
	cl.add("iss", i.IssuerURL(poolID))
	cl.add("exp", now.Add(accessTTL).Unix())
	cl.add("iat", now.Unix())
	cl.add("version", 2)
	if client.EnableTokenRevocation {
		cl.add("jti", ids.UUID())
	}
	cl.add("client_id", client.ClientID)
	tok, err := i.signAs(ctx, poolID, keys.UseAccess, cl)
	if err != nil {
		return Result{}, err
	}
	return Result{AccessToken: tok, ExpiresIn: int(accessTTL / time.Second), TokenType: "Bearer"}, nil
}

// signAs signs claims with the pool's current key of use.
func (i *Issuer) signAs(ctx context.Context, poolID, use string, cl claims) (string, error) {
	kid, key, err := i.Keys.Signer(ctx, poolID, use)
	if err != nil {
		return "", fmt.Errorf("tokens: %s signing key: %w", use, err)
	}
	return sign(kid, key, cl)
}

// mint is one issuance: what the ID and access token share.
type mint struct {
	Request
	poolID    string
	iss       string
	now       time.Time
	eventID   string // FlowAPI only
	groups    groupClaims
	revocable bool // EnableTokenRevocation: jti and origin_jti present
}

// accessClaims are the access token's claims (spec §5.1 "API AT" / "OA AT").
func (t mint) accessClaims(ttl time.Duration) claims {
	var cl claims
	cl.add("sub", t.User.Sub)
	if len(t.groups.names) > 0 {
		cl.add("cognito:groups", t.groups.names)
	}
	cl.add("iss", t.iss)
	if t.Flow == FlowOAuth {
		cl.add("version", 2)
	}
	cl.add("client_id", t.Client.ClientID)
	if t.revocable {
		cl.add("origin_jti", t.OriginJTI)
	}
	if t.eventID != "" {
		cl.add("event_id", t.eventID)
	}
	cl.add("token_use", "access")
	cl.add("scope", strings.Join(t.Scopes, " "))
	cl.add("auth_time", t.AuthTime.Unix())
	cl.add("exp", t.now.Add(ttl).Unix())
	cl.add("iat", t.now.Unix())
	if t.revocable {
		cl.add("jti", ids.UUID())
	}
	cl.add("username", t.User.Username)
	return cl
}

// idClaims are the ID token's claims (spec §5.1 "API ID" / "OA ID").
func (t mint) idClaims(ttl time.Duration, accessToken string) claims {
	var cl claims
	cl.add("sub", t.User.Sub)
	if len(t.groups.names) > 0 {
		cl.add("cognito:groups", t.groups.names)
	}
	if t.groups.preferred != "" {
		cl.add("cognito:preferred_role", t.groups.preferred)
	}
	if len(t.groups.roles) > 0 {
		cl.add("cognito:roles", t.groups.roles)
	}
	cl.add("iss", t.iss)
	cl.add("cognito:username", t.User.Username)
	if t.Flow == FlowOAuth && t.Nonce != "" {
		cl.add("nonce", t.Nonce)
	}
	if t.revocable {
		cl.add("origin_jti", t.OriginJTI)
	}
	cl.add("aud", t.Client.ClientID)
	if t.eventID != "" {
		cl.add("event_id", t.eventID)
	}
	cl.add("token_use", "id")
	cl.add("auth_time", t.AuthTime.Unix())
	if t.Flow == FlowOAuth {
		cl.add("at_hash", atHash(accessToken))
	}
	cl.add("exp", t.now.Add(ttl).Unix())
	cl.add("iat", t.now.Unix())
	if t.revocable {
		cl.add("jti", ids.UUID())
	}
	attributeClaims(&cl, t.Request)
	return cl
}

// firstNonEmpty returns the first non-empty string.
func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
