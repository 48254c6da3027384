package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/handler/oauth2"
	"github.com/ory/fosite/handler/openid"
	"github.com/ory/fosite/token/jwt"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/storage"
)

// mint holds the tokens server/tokens issued for one fosite request. fosite
// asks for the access, refresh and ID token one at a time, and even hands the
// ID-token strategy a different request object than the access-token one; the
// tokens are minted together (at_hash, one refresh family), so they travel
// through the request context instead.
type mint struct {
	result tokens.Result
	done   bool
}

type mintKey struct{}

func withMint(ctx context.Context) (context.Context, *mint) {
	m := &mint{}
	return context.WithValue(ctx, mintKey{}, m), m
}

func mintFrom(ctx context.Context) *mint {
	m, _ := ctx.Value(mintKey{}).(*mint)
	return m
}

// signature is how codes and tokens are keyed in storage: hex SHA-256, so the
// store never holds a usable code or token (and refresh tokens match the
// RefreshTokens hash).
func signature(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// strategy implements fosite's token strategies on top of server/tokens.
type strategy struct {
	p *Provider
}

var (
	_ oauth2.CoreStrategy               = (*strategy)(nil)
	_ openid.OpenIDConnectTokenStrategy = (*strategy)(nil)
	_ jwt.Signer                        = (*strategy)(nil)
)

var errNoMint = errors.New("oauth: no token mint in context")

// issue mints the request's tokens once and returns them.
func (s *strategy) issue(ctx context.Context, req fosite.Requester) (tokens.Result, error) {
	m := mintFrom(ctx)
	if m == nil {
		return tokens.Result{}, errNoMint
	}
	if !m.done {
		res, err := s.p.mintFor(ctx, req)
		if err != nil {
			return tokens.Result{}, err
		}
		m.result, m.done = res, true
	}
	return m.result, nil
}

func (s *strategy) AccessTokenSignature(_ context.Context, token string) string {
	return signature(token)
}

func (s *strategy) GenerateAccessToken(ctx context.Context, req fosite.Requester) (string, string, error) {
	res, err := s.issue(ctx, req)
	if err != nil {
		return "", "", err
	}
	return res.AccessToken, signature(res.AccessToken), nil
}

// ValidateAccessToken is never reached: no introspection handler is
// composed; userInfo and the API check access tokens with tokens.VerifyAccess.
func (s *strategy) ValidateAccessToken(context.Context, fosite.Requester, string) error {
	return fosite.ErrRequestUnauthorized
}

func (s *strategy) RefreshTokenSignature(_ context.Context, token string) string {
	return signature(token)
}

// GenerateRefreshToken returns the refresh token minted with the access
// token, or nothing: a refresh without rotation returns no new one (fosite's
// refresh handler would otherwise rotate on every use).
func (s *strategy) GenerateRefreshToken(ctx context.Context, req fosite.Requester) (string, string, error) {
	res, err := s.issue(ctx, req)
	if err != nil || res.RefreshToken == "" {
		return "", "", err
	}
	return res.RefreshToken, signature(res.RefreshToken), nil
}

// ValidateRefreshToken accepts: tokens.Refresh checks revocation, expiry and
// the user when it mints.
func (s *strategy) ValidateRefreshToken(context.Context, fosite.Requester, string) error {
	return nil
}

func (s *strategy) AuthorizeCodeSignature(_ context.Context, code string) string {
	return signature(code)
}

// GenerateAuthorizeCode returns a UUID, the shape of Cognito's codes.
func (s *strategy) GenerateAuthorizeCode(context.Context, fosite.Requester) (string, string, error) {
	code := ids.UUID()
	return code, signature(code), nil
}

// ValidateAuthorizeCode checks the code's expiry on locognito's clock (the
// store set it; fosite would use the wall clock).
func (s *strategy) ValidateAuthorizeCode(_ context.Context, req fosite.Requester, _ string) error {
	exp := req.GetSession().GetExpiresAt(fosite.AuthorizeCode)
	if exp.IsZero() || s.p.Clock.Now().After(exp) {
		return fosite.ErrTokenExpired.WithHint("The authorization code has expired.")
	}
	return nil
}

// GenerateIDToken returns the ID token minted with the access token.
func (s *strategy) GenerateIDToken(ctx context.Context, _ time.Duration, req fosite.Requester) (string, error) {
	res, err := s.issue(ctx, req)
	if err != nil {
		return "", err
	}
	if res.IDToken == "" {
		return "", errors.New("oauth: no ID token was minted")
	}
	return res.IDToken, nil
}

// The jwt.Signer methods exist because fosite's OIDC request validator wants
// one for id_token_hint, which the hosted UI never passes on. They refuse.
var errNoSigner = errors.New("oauth: fosite does not sign or decode tokens in locognito")

func (s *strategy) Generate(context.Context, jwt.MapClaims, jwt.Mapper) (string, string, error) {
	return "", "", errNoSigner
}
func (s *strategy) Validate(context.Context, string) (string, error) { return "", errNoSigner }
func (s *strategy) Hash(_ context.Context, in []byte) ([]byte, error) {
	h := sha256.Sum256(in)
	return h[:], nil
}
func (s *strategy) Decode(context.Context, string) (*jwt.Token, error)   { return nil, errNoSigner }
func (s *strategy) GetSignature(context.Context, string) (string, error) { return "", errNoSigner }
func (s *strategy) GetSigningMethodLength(context.Context) int           { return sha256.Size }

// mintFor asks server/tokens for the tokens of one request.
func (p *Provider) mintFor(ctx context.Context, req fosite.Requester) (tokens.Result, error) {
	c, ok := req.GetClient().(*Client)
	if !ok {
		return tokens.Result{}, fmt.Errorf("oauth: unexpected client type %T", req.GetClient())
	}
	var grant fosite.Arguments
	if ar, ok := req.(fosite.AccessRequester); ok {
		grant = ar.GetGrantTypes()
	}
	switch {
	case grant.ExactOne("client_credentials"):
		pool, err := p.Pools.Pool(ctx, c.Record.PoolID)
		if err != nil {
			return tokens.Result{}, err
		}
		return p.Tokens.ClientCredentials(ctx, pool, c.Record, req.GetGrantedScopes())
	case grant.ExactOne("refresh_token"):
		return p.Tokens.Refresh(ctx, c.Record, req.GetRequestForm().Get("refresh_token"), tokens.FlowOAuth)
	}

	// Authorization code at the token endpoint, or implicit at authorize.
	sess, ok := req.GetSession().(*Session)
	if !ok || sess.UsernameKey == "" {
		return tokens.Result{}, fmt.Errorf("oauth: request carries no user session (%T)", req.GetSession())
	}
	pool, err := p.Pools.Pool(ctx, c.Record.PoolID)
	if err != nil {
		return tokens.Result{}, err
	}
	user, err := p.Store.GetUser(ctx, pool.ID, sess.UsernameKey)
	if errors.Is(err, storage.ErrNotFound) {
		return tokens.Result{}, exception.New(exception.NotAuthorized, "User does not exist.")
	}
	if err != nil {
		return tokens.Result{}, fmt.Errorf("get user: %w", err)
	}
	if !user.Enabled {
		return tokens.Result{}, exception.New(exception.NotAuthorized, "User is disabled.")
	}
	return p.Tokens.Issue(ctx, tokens.Request{
		Pool: pool, Client: c.Record, User: user, Flow: tokens.FlowOAuth,
		Scopes: req.GetGrantedScopes(), Nonce: sess.Nonce, AuthTime: sess.AuthTime,
		WithRefresh: grant.ExactOne("authorization_code"),
	})
}
