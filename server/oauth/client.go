package oauth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ory/fosite"

	"github.com/locognito/locognito/storage"
)

// OAuth flows of AllowedOAuthFlows.
const (
	FlowCode              = "code"
	FlowImplicit          = "implicit"
	FlowClientCredentials = "client_credentials"
)

// codeLifetime is Cognito's fixed authorization-code lifetime (spec §5.4).
const codeLifetime = 5 * time.Minute

// Client adapts an app client to fosite.Client. The secret is kept plain
// (DescribeUserPoolClient shows it again), so fosite compares it through
// plainSecretHasher, in constant time.
type Client struct {
	Record storage.Client
}

var (
	_ fosite.Client                         = (*Client)(nil)
	_ fosite.ClientWithCustomTokenLifespans = (*Client)(nil)
)

// GetID returns the client id.
func (c *Client) GetID() string { return c.Record.ClientID }

// GetHashedSecret returns the plain secret; see plainSecretHasher.
func (c *Client) GetHashedSecret() []byte { return []byte(c.Record.Secret) }

// GetRedirectURIs returns CallbackURLs. The hosted UI has already matched
// redirect_uri byte for byte before fosite sees it (fosite's own matching is
// looser for loopback hosts).
func (c *Client) GetRedirectURIs() []string { return c.Record.CallbackURLs }

// GetGrantTypes maps AllowedOAuthFlows to OAuth grant types. A client that
// may run the code flow may also refresh; refresh tokens come only from it.
func (c *Client) GetGrantTypes() fosite.Arguments {
	var out fosite.Arguments
	if !c.Record.AllowedOAuthFlowsUserPoolClient {
		return out
	}
	for _, f := range c.Record.AllowedOAuthFlows {
		switch f {
		case FlowCode:
			out = append(out, "authorization_code", "refresh_token")
		case FlowImplicit:
			out = append(out, "implicit")
		case FlowClientCredentials:
			out = append(out, "client_credentials")
		}
	}
	return out
}

// GetResponseTypes maps AllowedOAuthFlows to response types.
func (c *Client) GetResponseTypes() fosite.Arguments {
	var out fosite.Arguments
	if !c.Record.AllowedOAuthFlowsUserPoolClient {
		return out
	}
	if slices.Contains(c.Record.AllowedOAuthFlows, FlowCode) {
		out = append(out, "code")
	}
	if slices.Contains(c.Record.AllowedOAuthFlows, FlowImplicit) {
		out = append(out, "token")
	}
	return out
}

// GetScopes returns AllowedOAuthScopes.
func (c *Client) GetScopes() fosite.Arguments { return c.Record.AllowedOAuthScopes }

// IsPublic reports a client without a secret.
func (c *Client) IsPublic() bool { return c.Record.Secret == "" }

// GetAudience is empty: Cognito access tokens carry no aud.
func (c *Client) GetAudience() fosite.Arguments { return nil }

// GetEffectiveLifespan gives fosite the client's own token lifetimes, so its
// bookkeeping agrees with the tokens server/tokens mints.
func (c *Client) GetEffectiveLifespan(_ fosite.GrantType, tt fosite.TokenType, fallback time.Duration) time.Duration {
	pick := func(d time.Duration) time.Duration {
		if d > 0 {
			return d
		}
		return fallback
	}
	switch tt {
	case fosite.AccessToken:
		return pick(c.Record.AccessTokenValidity)
	case fosite.IDToken:
		return pick(c.Record.IDTokenValidity)
	case fosite.RefreshToken:
		return pick(c.Record.RefreshTokenValidity)
	case fosite.AuthorizeCode:
		return codeLifetime
	}
	return fallback
}

// allowsFlow reports whether the client may use an OAuth flow at all.
func allowsFlow(c storage.Client, flow string) bool {
	return c.AllowedOAuthFlowsUserPoolClient && slices.Contains(c.AllowedOAuthFlows, flow)
}

// customScopes returns the client's resource-server scopes (<id>/<name>),
// the only kind client_credentials may carry.
func customScopes(c storage.Client) []string {
	var out []string
	for _, s := range c.AllowedOAuthScopes {
		if strings.Contains(s, "/") {
			out = append(out, s)
		}
	}
	return out
}

// plainSecretHasher lets fosite compare plain client secrets. Both sides are
// hashed first so the comparison takes the same time whatever the lengths.
type plainSecretHasher struct{}

var errSecretMismatch = errors.New("oauth: client secret mismatch")

func (plainSecretHasher) Compare(_ context.Context, stored, given []byte) error {
	a, b := sha256.Sum256(stored), sha256.Sum256(given)
	if len(stored) == 0 || subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
		return errSecretMismatch
	}
	return nil
}

func (plainSecretHasher) Hash(_ context.Context, data []byte) ([]byte, error) { return data, nil }
