package oauth

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/gorilla/mux"
	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// Provider is the OAuth side of the Cognito domain: fosite wired to
// locognito's storage and token issuer, and the /oauth2/token, /userInfo and
// /revoke handlers.
type Provider struct {
	Store  storage.Storage
	Pools  *userpool.Service
	Tokens *tokens.Issuer
	Clock  clock.Clock
	Log    *slog.Logger

	fosite *fosite.Fosite
}

// New builds a Provider and its fosite instance.
func New(store storage.Storage, pools *userpool.Service, issuer *tokens.Issuer, clk clock.Clock, log *slog.Logger) *Provider {
	if clk == nil {
		clk = clock.Real{}
	}
	if log == nil {
		log = slog.Default()
	}
	p := &Provider{Store: store, Pools: pools, Tokens: issuer, Clock: clk, Log: log}
	cfg := &fosite.Config{
		AccessTokenLifespan:   time.Hour,
		IDTokenLifespan:       time.Hour,
		RefreshTokenLifespan:  30 * 24 * time.Hour,
		AuthorizeCodeLifespan: codeLifetime,
		// Cognito scopes are opaque names: no wildcards, no hierarchy.
		ScopeStrategy:            fosite.ExactScopeStrategy,
		AudienceMatchingStrategy: fosite.DefaultAudienceMatchingStrategy,
		// Every code-flow client gets a refresh token; fosite would
		// otherwise want an "offline" scope.
		RefreshTokenScopes: []string{},
		// S256 only; plain is rejected (spec §10.1).
		EnablePKCEPlainChallengeMethod: false,
		// Callback URLs were validated when the client was registered
		// (custom schemes, http only for loopback) and matched byte for
		// byte by the hosted UI.
		RedirectSecureChecker: func(context.Context, *url.URL) bool { return true },
		// Cognito accepts any state and nonce, even short ones; 1 is the
		// least fosite allows (CompleteAuthorize covers a missing state).
		MinParameterEntropy:    1,
		OmitRedirectScopeParam: true,
		ClientSecretsHasher:    plainSecretHasher{},
	}
	st := &strategy{p: p}
	f := compose.Compose(cfg, &fositeStore{p: p}, st,
		compose.OAuth2AuthorizeExplicitFactory,
		compose.OAuth2AuthorizeImplicitFactory,
		compose.OAuth2ClientCredentialsGrantFactory,
		compose.OAuth2RefreshTokenGrantFactory,
		compose.OpenIDConnectExplicitFactory,
		compose.OpenIDConnectRefreshFactory,
		compose.OAuth2PKCEFactory,
	)
	p.fosite = f.(*fosite.Fosite)
	cfg.ClientAuthenticationStrategy = p.authenticateClientForGrant
	return p
}

// Mount registers the token, userInfo and revoke endpoints. Every method is
// routed here so that a wrong one gets an OAuth error, not a bare 405.
func (p *Provider) Mount(r *mux.Router) {
	r.Path("/oauth2/token").HandlerFunc(p.serveToken)
	r.Path("/oauth2/userInfo").HandlerFunc(p.serveUserInfo)
	r.Path("/oauth2/revoke").HandlerFunc(p.serveRevoke)
}

// authenticateClient authenticates the client of a token or revoke request:
// HTTP Basic or client_id/client_secret in the body, a body client_id that
// contradicts Basic being an error (spec §10.3). Secrets are compared by
// plainSecretHasher.
func (p *Provider) authenticateClient(ctx context.Context, r *http.Request, form url.Values) (*Client, error) {
	if id, _, ok := r.BasicAuth(); ok {
		if unescaped, err := url.QueryUnescape(id); err == nil {
			id = unescaped
		}
		if body := form.Get("client_id"); body != "" && body != id {
			return nil, fosite.ErrInvalidClient.WithHint("client_id in the body does not match HTTP Basic.")
		}
	}
	fc, err := p.fosite.DefaultClientAuthenticationStrategy(ctx, r, form)
	if err != nil {
		return nil, err
	}
	c, ok := fc.(*Client)
	if !ok {
		return nil, fosite.ErrInvalidClient
	}
	return c, nil
}

// authenticateClientForGrant is fosite's client authentication at the token
// endpoint: authenticate, then refuse a grant the client may not use, before
// any grant handler looks at scopes or codes.
func (p *Provider) authenticateClientForGrant(ctx context.Context, r *http.Request, form url.Values) (fosite.Client, error) {
	c, err := p.authenticateClient(ctx, r, form)
	if err != nil {
		return nil, err
	}
	if gt := form.Get("grant_type"); gt != "" && !c.GetGrantTypes().Has(gt) {
		return nil, fosite.ErrUnauthorizedClient.WithHintf("The client may not use grant %q.", gt)
	}
	return c, nil
}
