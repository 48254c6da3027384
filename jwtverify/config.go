package jwtverify

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// TokenUse is the Cognito token_use claim: "id" or "access".
type TokenUse string

// The two token kinds a Cognito user pool issues as JWTs.
const (
	TokenUseID     TokenUse = "id"
	TokenUseAccess TokenUse = "access"
)

// Defaults applied by New when the Config leaves them zero.
const (
	DefaultPenaltyWindow = 10 * time.Second
	DefaultFetchTimeout  = 3 * time.Second
)

// poolIDPattern is aws-jwt-verify's user pool id pattern; the region is the
// part before the underscore.
var poolIDPattern = regexp.MustCompile(`^([a-z]{2}-(?:gov-)?[a-z]+-\d)_[a-zA-Z0-9]+$`)

// Config says which tokens a Verifier accepts. It fails closed: the issuer,
// the token kind and the client ids must all be stated, unless a check is
// switched off explicitly with its Skip flag.
//
// The issuer is given in exactly one of two ways:
//
//   - UserPoolID (and optionally Region, which must then match the pool id's
//     prefix): real Cognito. The issuer is
//     https://cognito-idp.<region>.amazonaws.com/<UserPoolID>.
//   - Issuer: any issuer URL, such as locognito's http://127.0.0.1:9229/<poolId>.
//
// The JWKS is fetched from <issuer>/.well-known/jwks.json unless JWKSURL
// says otherwise (locognito in AWS-issuer mode: Issuer or UserPoolID gives
// the AWS issuer, JWKSURL points at locognito).
type Config struct {
	Region     string
	UserPoolID string
	Issuer     string
	JWKSURL    string

	// ClientIDs are the app client ids accepted: "aud" of ID tokens,
	// "client_id" of access tokens. Required unless SkipClientIDCheck.
	ClientIDs         []string
	SkipClientIDCheck bool

	// TokenUse is the kind of token accepted. Required unless
	// SkipTokenUseCheck, which accepts both kinds (token_use must still be
	// "id" or "access").
	TokenUse          TokenUse
	SkipTokenUseCheck bool

	// RequiredScopes must ALL be in the token's "scope" claim. This is
	// stricter than aws-jwt-verify, which accepts any one of them. ID tokens
	// carry no scope, so they never satisfy a non-empty RequiredScopes.
	RequiredScopes []string
	// RequiredGroups is satisfied when "cognito:groups" contains ANY of them
	// (aws-jwt-verify semantics).
	RequiredGroups []string

	// Leeway is the clock skew tolerated for exp and nbf (aws-jwt-verify's
	// graceSeconds). Zero by default.
	Leeway time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time

	// HTTPClient fetches the JWKS; http.DefaultClient when nil.
	HTTPClient *http.Client
	// PenaltyWindow is how long after a JWKS refetch that did not find a
	// kid (or failed) no further refetch is made. DefaultPenaltyWindow when zero.
	PenaltyWindow time.Duration
	// FetchTimeout bounds each JWKS fetch attempt (there is one retry).
	// DefaultFetchTimeout when zero.
	FetchTimeout time.Duration
}

// resolved is a validated Config.
type resolved struct {
	issuer         string
	jwksURL        string
	clientIDs      map[string]struct{}
	skipClientID   bool
	tokenUse       TokenUse
	skipTokenUse   bool
	requiredScopes []string
	requiredGroups []string
	leeway         time.Duration
	now            func() time.Time
	client         *http.Client
	penalty        time.Duration
	fetchTimeout   time.Duration
}

// CognitoIssuer returns the issuer of a real Cognito user pool, with the
// region taken from the pool id.
func CognitoIssuer(userPoolID string) (string, error) {
	m := poolIDPattern.FindStringSubmatch(userPoolID)
	if m == nil {
		return "", fmt.Errorf("jwtverify: invalid user pool id %q", userPoolID)
	}
	return "https://cognito-idp." + m[1] + ".amazonaws.com/" + userPoolID, nil
}

func (c Config) resolve() (*resolved, error) {
	r := &resolved{
		skipClientID:   c.SkipClientIDCheck,
		tokenUse:       c.TokenUse,
		skipTokenUse:   c.SkipTokenUseCheck,
		requiredScopes: c.RequiredScopes,
		requiredGroups: c.RequiredGroups,
		leeway:         c.Leeway,
		now:            c.Now,
		client:         c.HTTPClient,
		penalty:        c.PenaltyWindow,
		fetchTimeout:   c.FetchTimeout,
	}
	var err error
	if r.issuer, err = c.issuer(); err != nil {
		return nil, err
	}
	r.jwksURL = r.issuer + "/.well-known/jwks.json"
	if c.JWKSURL != "" {
		if err := checkURL("JWKSURL", c.JWKSURL); err != nil {
			return nil, err
		}
		r.jwksURL = c.JWKSURL
	}

	switch {
	case c.SkipClientIDCheck && len(c.ClientIDs) > 0:
		return nil, errors.New("jwtverify: ClientIDs and SkipClientIDCheck are mutually exclusive")
	case !c.SkipClientIDCheck && len(c.ClientIDs) == 0:
		return nil, errors.New("jwtverify: ClientIDs is required (or set SkipClientIDCheck)")
	}
	r.clientIDs = make(map[string]struct{}, len(c.ClientIDs))
	for _, id := range c.ClientIDs {
		if id == "" {
			return nil, errors.New("jwtverify: empty client id in ClientIDs")
		}
		r.clientIDs[id] = struct{}{}
	}

	switch {
	case c.SkipTokenUseCheck && c.TokenUse != "":
		return nil, errors.New("jwtverify: TokenUse and SkipTokenUseCheck are mutually exclusive")
	case !c.SkipTokenUseCheck && c.TokenUse != TokenUseID && c.TokenUse != TokenUseAccess:
		return nil, fmt.Errorf("jwtverify: TokenUse must be %q or %q (or set SkipTokenUseCheck), got %q",
			TokenUseID, TokenUseAccess, c.TokenUse)
	}

	for _, s := range c.RequiredScopes {
		if !validScopeToken(s) {
			return nil, fmt.Errorf("jwtverify: invalid scope %q in RequiredScopes", s)
		}
	}
	for _, g := range c.RequiredGroups {
		if g == "" {
			return nil, errors.New("jwtverify: empty group in RequiredGroups")
		}
	}
	if c.Leeway < 0 {
		return nil, errors.New("jwtverify: negative Leeway")
	}
	if c.PenaltyWindow < 0 || c.FetchTimeout < 0 {
		return nil, errors.New("jwtverify: negative PenaltyWindow or FetchTimeout")
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.client == nil {
		r.client = http.DefaultClient
	}
	if r.penalty == 0 {
		r.penalty = DefaultPenaltyWindow
	}
	if r.fetchTimeout == 0 {
		r.fetchTimeout = DefaultFetchTimeout
	}
	return r, nil
}

// issuer derives the expected "iss" from UserPoolID/Region or Issuer.
func (c Config) issuer() (string, error) {
	switch {
	case c.UserPoolID != "" && c.Issuer != "":
		return "", errors.New("jwtverify: set either UserPoolID or Issuer, not both")
	case c.UserPoolID != "":
		iss, err := CognitoIssuer(c.UserPoolID)
		if err != nil {
			return "", err
		}
		if c.Region != "" && !strings.HasPrefix(c.UserPoolID, c.Region+"_") {
			return "", fmt.Errorf("jwtverify: Region %q does not match user pool id %q", c.Region, c.UserPoolID)
		}
		return iss, nil
	case c.Issuer != "":
		if c.Region != "" {
			return "", errors.New("jwtverify: Region needs UserPoolID, not Issuer")
		}
		if err := checkURL("Issuer", c.Issuer); err != nil {
			return "", err
		}
		if strings.HasSuffix(c.Issuer, "/") {
			return "", fmt.Errorf("jwtverify: Issuer %q must not end with a slash", c.Issuer)
		}
		return c.Issuer, nil
	default:
		return "", errors.New("jwtverify: UserPoolID or Issuer is required")
	}
}

func checkURL(field, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("jwtverify: %s: %w", field, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return fmt.Errorf("jwtverify: %s %q must be an absolute http(s) URL without query or fragment", field, raw)
	}
	return nil
}

// validScopeToken reports whether s is an RFC 6749 §3.3 scope-token.
func validScopeToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
