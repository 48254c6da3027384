package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/handler/oauth2"
	"github.com/ory/fosite/handler/openid"
	"github.com/ory/fosite/handler/pkce"

	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/storage"
)

// Grant kinds this package stores in storage.Grants.
const (
	kindCode   = "oauth_code"   // authorization code → authorize request
	kindPKCE   = "oauth_pkce"   // authorization code → code_challenge
	kindOIDC   = "oauth_oidc"   // authorization code → OIDC request (nonce)
	kindFamily = "oauth_family" // fosite request id → refresh family it minted
)

// fositeStore adapts locognito storage to the storage interfaces fosite's
// handlers type-assert. Requests are kept as opaque JSON in storage.Grant;
// tokens themselves live where server/tokens keeps them, so the access- and
// refresh-token session methods only look refresh tokens up.
type fositeStore struct {
	p *Provider
}

var (
	_ fosite.Storage                     = (*fositeStore)(nil)
	_ oauth2.CoreStorage                 = (*fositeStore)(nil)
	_ oauth2.TokenRevocationStorage      = (*fositeStore)(nil)
	_ openid.OpenIDConnectRequestStorage = (*fositeStore)(nil)
	_ pkce.PKCERequestStorage            = (*fositeStore)(nil)
)

// storedRequest is the serialised form of a fosite request.
type storedRequest struct {
	ID              string     `json:"id"`
	RequestedAt     time.Time  `json:"requested_at"`
	ClientID        string     `json:"client_id"`
	RequestedScopes []string   `json:"requested_scopes,omitempty"`
	GrantedScopes   []string   `json:"granted_scopes,omitempty"`
	Form            url.Values `json:"form,omitempty"`
	Session         *Session   `json:"session,omitempty"`
}

func encodeRequest(req fosite.Requester) ([]byte, error) {
	sess, ok := req.GetSession().(*Session)
	if !ok {
		return nil, fmt.Errorf("oauth: unexpected session type %T", req.GetSession())
	}
	return json.Marshal(storedRequest{
		ID: req.GetID(), RequestedAt: req.GetRequestedAt(), ClientID: req.GetClient().GetID(),
		RequestedScopes: req.GetRequestedScopes(), GrantedScopes: req.GetGrantedScopes(),
		Form: req.GetRequestForm(), Session: sess,
	})
}

// decodeRequest rebuilds a request with the client as it is now. When into
// is a *Session it is filled in place, as fosite expects ("hydrated").
func (s *fositeStore) decodeRequest(ctx context.Context, data []byte, into fosite.Session) (*fosite.Request, error) {
	var sr storedRequest
	if err := json.Unmarshal(data, &sr); err != nil {
		return nil, fmt.Errorf("oauth: decode stored request: %w", err)
	}
	client, err := s.GetClient(ctx, sr.ClientID)
	if err != nil {
		return nil, err
	}
	sess := sr.Session
	if sess == nil {
		sess = &Session{}
	}
	if target, ok := into.(*Session); ok && target != nil {
		*target = *sess
		sess = target
	}
	req := fosite.NewRequest()
	req.ID = sr.ID
	req.RequestedAt = sr.RequestedAt
	req.Client = client
	req.RequestedScope = sr.RequestedScopes
	req.GrantedScope = sr.GrantedScopes
	if sr.Form != nil {
		req.Form = sr.Form
	}
	req.Session = sess
	return req, nil
}

// GetClient returns the app client, or fosite.ErrNotFound.
func (s *fositeStore) GetClient(ctx context.Context, id string) (fosite.Client, error) {
	if id == "" {
		return nil, fosite.ErrNotFound
	}
	c, err := s.p.Store.GetClient(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fosite.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get client: %w", err)
	}
	return &Client{Record: c}, nil
}

// Client assertions (private_key_jwt) are not a Cognito feature.
func (s *fositeStore) ClientAssertionJWTValid(context.Context, string) error {
	return fosite.ErrJTIKnown
}

func (s *fositeStore) SetClientAssertionJWT(context.Context, string, time.Time) error {
	return fosite.ErrJTIKnown
}

// createGrant stores req under (kind, id) for as long as a code lives.
func (s *fositeStore) createGrant(ctx context.Context, kind, id string, req fosite.Requester) error {
	data, err := encodeRequest(req)
	if err != nil {
		return err
	}
	now := s.p.Clock.Now()
	c, _ := req.GetClient().(*Client)
	var poolID string
	if c != nil {
		poolID = c.Record.PoolID
	}
	return s.p.Store.CreateGrant(ctx, storage.Grant{
		Kind: kind, ID: id, PoolID: poolID, ClientID: req.GetClient().GetID(),
		Data: data, CreatedAt: now, ExpiresAt: now.Add(codeLifetime),
	})
}

// getGrant loads a live grant; expired ones (on locognito's clock) are
// reported as not found, which fosite turns into invalid_grant.
func (s *fositeStore) getGrant(ctx context.Context, kind, id string) (storage.Grant, error) {
	g, err := s.p.Store.GetGrant(ctx, kind, id)
	if errors.Is(err, storage.ErrNotFound) {
		return g, fosite.ErrNotFound
	}
	if err != nil {
		return g, fmt.Errorf("get grant: %w", err)
	}
	if !s.p.Clock.Now().Before(g.ExpiresAt) {
		return g, fosite.ErrNotFound
	}
	return g, nil
}

// CreateAuthorizeCodeSession stores the authorize request under the code's
// signature; the code expires after five minutes of locognito's clock.
func (s *fositeStore) CreateAuthorizeCodeSession(ctx context.Context, sig string, req fosite.Requester) error {
	req.GetSession().SetExpiresAt(fosite.AuthorizeCode, s.p.Clock.Now().Add(codeLifetime))
	return s.createGrant(ctx, kindCode, sig, req)
}

// GetAuthorizeCodeSession returns the authorize request; a redeemed code
// returns it too, with fosite.ErrInvalidatedAuthorizeCode.
func (s *fositeStore) GetAuthorizeCodeSession(ctx context.Context, sig string, session fosite.Session) (fosite.Requester, error) {
	g, err := s.getGrant(ctx, kindCode, sig)
	if err != nil {
		return nil, err
	}
	req, err := s.decodeRequest(ctx, g.Data, session)
	if err != nil {
		return nil, err
	}
	if g.Consumed {
		return req, fosite.ErrInvalidatedAuthorizeCode
	}
	return req, nil
}

// errCodeRace marks the loser of two concurrent redemptions of one code.
var errCodeRace = errors.New("oauth: authorization code redeemed concurrently")

// InvalidateAuthorizeCodeSession redeems the code: one atomic check-and-set
// in storage, so of two concurrent redemptions exactly one wins.
//
// The winner then records which refresh family the redemption minted, so a
// replayed code can revoke it (RFC 6749 §4.1.2); fosite mints before it
// invalidates, and only the winner's tokens are ever handed out.
func (s *fositeStore) InvalidateAuthorizeCodeSession(ctx context.Context, sig string) error {
	g, err := s.p.Store.ConsumeGrant(ctx, kindCode, sig)
	if errors.Is(err, storage.ErrConflict) || errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%w: %w", errCodeRace, err)
	}
	if err != nil {
		return fmt.Errorf("consume code: %w", err)
	}
	m := mintFrom(ctx)
	if m == nil || !m.done {
		return nil
	}
	var sr storedRequest
	if err := json.Unmarshal(g.Data, &sr); err != nil {
		return fmt.Errorf("oauth: decode stored request: %w", err)
	}
	return s.p.rememberFamily(ctx, sr.ID, g.PoolID, g.ClientID, m.result)
}

func (s *fositeStore) CreatePKCERequestSession(ctx context.Context, sig string, req fosite.Requester) error {
	return s.createGrant(ctx, kindPKCE, sig, req)
}

func (s *fositeStore) GetPKCERequestSession(ctx context.Context, sig string, session fosite.Session) (fosite.Requester, error) {
	g, err := s.getGrant(ctx, kindPKCE, sig)
	if err != nil {
		return nil, err
	}
	return s.decodeRequest(ctx, g.Data, session)
}

// DeletePKCERequestSession keeps the challenge: fosite deletes it before
// comparing, so one wrong verifier would otherwise unbind the code from its
// challenge and let a later request without a verifier through. The record
// expires with the code.
func (s *fositeStore) DeletePKCERequestSession(context.Context, string) error { return nil }

// OIDC sessions are keyed by the raw code; store its signature instead.
func (s *fositeStore) CreateOpenIDConnectSession(ctx context.Context, code string, req fosite.Requester) error {
	return s.createGrant(ctx, kindOIDC, signature(code), req)
}

func (s *fositeStore) GetOpenIDConnectSession(ctx context.Context, code string, _ fosite.Requester) (fosite.Requester, error) {
	g, err := s.getGrant(ctx, kindOIDC, signature(code))
	if err != nil {
		return nil, err
	}
	return s.decodeRequest(ctx, g.Data, nil)
}

func (s *fositeStore) DeleteOpenIDConnectSession(ctx context.Context, code string) error {
	err := s.p.Store.DeleteGrant(ctx, kindOIDC, signature(code))
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	return err
}

// Access tokens are self-contained JWTs whose revocation server/tokens
// tracks by family; fosite needs no record of them.
func (s *fositeStore) CreateAccessTokenSession(context.Context, string, fosite.Requester) error {
	return nil
}

func (s *fositeStore) GetAccessTokenSession(context.Context, string, fosite.Session) (fosite.Requester, error) {
	return nil, fosite.ErrNotFound
}

func (s *fositeStore) DeleteAccessTokenSession(context.Context, string) error { return nil }

// CreateRefreshTokenSession is a no-op: server/tokens stored the token when
// it minted it.
func (s *fositeStore) CreateRefreshTokenSession(context.Context, string, string, fosite.Requester) error {
	return nil
}

// GetRefreshTokenSession rebuilds the original request of a refresh token
// from its stored record, so fosite can check the client and scopes. The
// request id is the family's origin_jti.
func (s *fositeStore) GetRefreshTokenSession(ctx context.Context, sig string, session fosite.Session) (fosite.Requester, error) {
	rt, err := s.p.Store.GetRefreshToken(ctx, sig)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fosite.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get refresh token: %w", err)
	}
	client, err := s.GetClient(ctx, rt.ClientID)
	if err != nil {
		return nil, err
	}
	user, err := s.p.Store.GetUser(ctx, rt.PoolID, rt.UsernameKey)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fosite.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get user: %w", err)
	}
	sess, _ := session.(*Session)
	if sess == nil {
		sess = &Session{}
	}
	*sess = Session{
		PoolID: rt.PoolID, UsernameKey: rt.UsernameKey, Username: user.Username,
		Subject: user.Sub, AuthTime: rt.AuthTime,
	}
	req := fosite.NewRequest()
	req.ID = rt.OriginJTI
	req.RequestedAt = rt.IssuedAt
	req.Client = client
	req.RequestedScope = rt.Scopes
	req.GrantedScope = rt.Scopes
	req.Session = sess
	return req, nil
}

// Rotation and deletion of refresh tokens are server/tokens' business: the
// refresh handler must not rotate unless the client asks for it.
func (s *fositeStore) DeleteRefreshTokenSession(context.Context, string) error { return nil }

func (s *fositeStore) RotateRefreshToken(context.Context, string, string) error { return nil }

// familyRecord maps a fosite request id to the refresh family it minted.
type familyRecord struct {
	PoolID      string `json:"pool_id"`
	OriginJTI   string `json:"origin_jti"`
	RefreshHash string `json:"refresh_hash,omitempty"`
}

// rememberFamily records the family a code redemption minted.
func (p *Provider) rememberFamily(ctx context.Context, requestID, poolID, clientID string, res tokens.Result) error {
	if requestID == "" || res.OriginJTI == "" {
		return nil
	}
	data, err := json.Marshal(familyRecord{PoolID: poolID, OriginJTI: res.OriginJTI, RefreshHash: signature(res.RefreshToken)})
	if err != nil {
		return err
	}
	now := p.Clock.Now()
	err = p.Store.CreateGrant(ctx, storage.Grant{
		Kind: kindFamily, ID: requestID, PoolID: poolID, ClientID: clientID,
		Data: data, CreatedAt: now, ExpiresAt: now.Add(2 * codeLifetime),
	})
	if err != nil && !errors.Is(err, storage.ErrAlreadyExists) {
		return fmt.Errorf("remember family: %w", err)
	}
	return nil
}

// RevokeRefreshToken and RevokeAccessToken are what fosite calls when a code
// is replayed: the family minted from it is revoked, refresh and access
// tokens alike (one origin_jti covers both).
func (s *fositeStore) RevokeRefreshToken(ctx context.Context, requestID string) error {
	return s.revokeFamily(ctx, requestID)
}

func (s *fositeStore) RevokeAccessToken(ctx context.Context, requestID string) error {
	return s.revokeFamily(ctx, requestID)
}

func (s *fositeStore) revokeFamily(ctx context.Context, requestID string) error {
	g, err := s.p.Store.GetGrant(ctx, kindFamily, requestID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("get family: %w", err)
	}
	var f familyRecord
	if err := json.Unmarshal(g.Data, &f); err != nil {
		return fmt.Errorf("decode family: %w", err)
	}
	now := s.p.Clock.Now()
	// Forget the revocation only after the family's last refresh token and
	// its last access token (at most a day) have expired.
	expires := now.Add(tokens.MaxTokenValidity)
	err = s.p.Store.UpdateRefreshToken(ctx, f.RefreshHash, func(rt *storage.RefreshToken) error {
		if rt.ExpiresAt.After(expires) {
			expires = rt.ExpiresAt
		}
		if !rt.RevokedAt.IsZero() {
			return storage.ErrNoChange
		}
		rt.RevokedAt = now
		return nil
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("revoke refresh token: %w", err)
	}
	if err := s.p.Store.RevokeOrigin(ctx, storage.Revocation{
		PoolID: f.PoolID, OriginJTI: f.OriginJTI, RevokedAt: now, ExpiresAt: expires,
	}); err != nil {
		return fmt.Errorf("revoke family: %w", err)
	}
	return nil
}
