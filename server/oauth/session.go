package oauth

import (
	"maps"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/handler/openid"
	"github.com/ory/fosite/token/jwt"
)

// Session is what fosite carries from the authorize step to the token
// endpoint: who signed in, when, and the nonce. It is stored as JSON inside
// the code grant. Only server/tokens turns it into claims; the ID-token
// claims fosite sees hold just the subject its handlers insist on.
type Session struct {
	PoolID      string                         `json:"pool_id,omitempty"`
	UsernameKey string                         `json:"username_key,omitempty"`
	Username    string                         `json:"username,omitempty"`
	Subject     string                         `json:"sub,omitempty"`
	AuthTime    time.Time                      `json:"auth_time"`
	Nonce       string                         `json:"nonce,omitempty"`
	Expiry      map[fosite.TokenType]time.Time `json:"expiry,omitempty"`

	claims  *jwt.IDTokenClaims
	headers *jwt.Headers
}

var _ openid.Session = (*Session)(nil)

// SetExpiresAt records when a token of the session expires.
func (s *Session) SetExpiresAt(key fosite.TokenType, exp time.Time) {
	if s.Expiry == nil {
		s.Expiry = map[fosite.TokenType]time.Time{}
	}
	s.Expiry[key] = exp
}

// GetExpiresAt returns the recorded expiry, or zero.
func (s *Session) GetExpiresAt(key fosite.TokenType) time.Time { return s.Expiry[key] }

// GetUsername returns the internal username.
func (s *Session) GetUsername() string { return s.Username }

// GetSubject returns the user's sub.
func (s *Session) GetSubject() string { return s.Subject }

// Clone returns an independent copy.
func (s *Session) Clone() fosite.Session {
	if s == nil {
		return nil
	}
	c := *s
	c.Expiry = maps.Clone(s.Expiry)
	c.claims, c.headers = nil, nil
	return &c
}

// IDTokenClaims returns the claims fosite's OIDC handlers read and write in
// place. auth_time is left out on purpose: fosite compares it with the wall
// clock, while locognito runs on an injected one.
func (s *Session) IDTokenClaims() *jwt.IDTokenClaims {
	if s.claims == nil {
		s.claims = &jwt.IDTokenClaims{Subject: s.Subject, Extra: map[string]interface{}{}}
	}
	return s.claims
}

// IDTokenHeaders returns the header fosite hashes at_hash with (RS256).
func (s *Session) IDTokenHeaders() *jwt.Headers {
	if s.headers == nil {
		s.headers = &jwt.Headers{Extra: map[string]interface{}{"alg": "RS256"}}
	}
	return s.headers
}
