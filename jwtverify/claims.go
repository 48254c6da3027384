package jwtverify

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Claims is a verified Cognito token's payload.
type Claims struct {
	Subject  string
	Username string // "username" (access) or "cognito:username" (id)
	ClientID string // "client_id" (access) or "aud" (id)
	TokenUse TokenUse
	Issuer   string
	Scopes   Scopes   // "scope", split on spaces; empty for ID tokens
	Groups   []string // "cognito:groups"

	IssuedAt  time.Time // zero if absent
	ExpiresAt time.Time
	AuthTime  time.Time // zero if absent

	JTI       string
	OriginJTI string
	EventID   string

	// ID-token attributes, empty when absent.
	Email               string
	EmailVerified       bool
	PhoneNumber         string
	PhoneNumberVerified bool
	// Custom holds the "custom:<name>" attributes keyed by <name>.
	Custom map[string]string

	// Raw is the whole decoded payload (JSON numbers as float64).
	Raw map[string]any
}

// Scopes is the set of OAuth scopes of a token, in token order without
// duplicates. Tokens carry a handful, so a slice beats a map here.
type Scopes []string

// Has reports whether scope is in the set.
func (s Scopes) Has(scope string) bool { return slices.Contains(s, scope) }

// List returns the scopes sorted.
func (s Scopes) List() []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// InGroup reports whether the user is in the named group.
func (c *Claims) InGroup(name string) bool { return slices.Contains(c.Groups, name) }

// Largest accepted NumericDate: 9999-12-31T23:59:59Z.
const maxNumericDate = 253402300799

// claimsFromPayload type-checks the payload and fills a Claims, in one pass
// over the members. It checks types and presence only; Verify checks values.
// nbf is returned apart: Cognito never sets it, so Claims has no field.
func claimsFromPayload(m map[string]any) (c *Claims, nbf time.Time, hasNbf bool, verr *ValidationError) {
	c = &Claims{Raw: m}
	var tokenUse, username, cognitoUsername, clientID, scope, aud string
	var hasExp bool
	for k, v := range m {
		ok := true
		switch k {
		case "iss":
			c.Issuer, ok = v.(string)
		case "sub":
			c.Subject, ok = v.(string)
		case "token_use":
			tokenUse, ok = v.(string)
		case "client_id":
			clientID, ok = v.(string)
		case "username":
			username, ok = v.(string)
		case "cognito:username":
			cognitoUsername, ok = v.(string)
		case "scope":
			scope, ok = v.(string)
		case "jti":
			c.JTI, ok = v.(string)
		case "origin_jti":
			c.OriginJTI, ok = v.(string)
		case "event_id":
			c.EventID, ok = v.(string)
		case "email":
			c.Email, ok = v.(string)
		case "phone_number":
			c.PhoneNumber, ok = v.(string)
		case "email_verified":
			c.EmailVerified, ok = flag(v)
		case "phone_number_verified":
			c.PhoneNumberVerified, ok = flag(v)
		case "exp":
			c.ExpiresAt, ok = numericDate(v)
			hasExp = ok
		case "nbf":
			nbf, ok = numericDate(v)
			hasNbf = ok
		case "iat":
			c.IssuedAt, ok = numericDate(v)
		case "auth_time":
			c.AuthTime, ok = numericDate(v)
		case "aud":
			aud, ok = v.(string)
			if !ok {
				ok = isStringArray(v)
			}
		case "cognito:groups":
			if ok = isStringArray(v); ok {
				arr := v.([]any)
				c.Groups = make([]string, len(arr))
				for i, g := range arr {
					c.Groups[i] = g.(string)
				}
			}
		default:
			name, custom := strings.CutPrefix(k, "custom:")
			if !custom {
				continue
			}
			var val string
			if val, ok = v.(string); ok {
				if c.Custom == nil {
					c.Custom = make(map[string]string)
				}
				c.Custom[name] = val
			}
		}
		if !ok {
			return nil, nbf, false, fail(CheckMalformed, ErrMalformed, "claim "+quote(k)+" has the wrong type or range")
		}
	}
	switch {
	case !hasExp:
		return nil, nbf, false, fail(CheckMalformed, ErrMalformed, "missing exp")
	case c.Subject == "":
		return nil, nbf, false, fail(CheckMalformed, ErrMalformed, "missing sub")
	}
	c.TokenUse = TokenUse(tokenUse)
	if c.TokenUse == TokenUseID {
		c.Username, c.ClientID = cognitoUsername, aud
	} else {
		c.Username, c.ClientID = username, clientID
	}
	if scope != "" {
		c.Scopes = make(Scopes, 0, strings.Count(scope, " ")+1)
		for rest := scope; rest != ""; {
			var s string
			s, rest, _ = strings.Cut(rest, " ")
			if s != "" && !c.Scopes.Has(s) {
				c.Scopes = append(c.Scopes, s)
			}
		}
	}
	return c, nbf, hasNbf, nil
}

// numericDate accepts a JSON number of seconds from 0 to year 9999.
func numericDate(v any) (time.Time, bool) {
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || f < 0 || f > maxNumericDate {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// flag accepts a JSON boolean, or the strings "true"/"false" that some
// pools emit.
func flag(v any) (bool, bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		return v == "true", v == "true" || v == "false"
	}
	return false, false
}

func isStringArray(v any) bool {
	arr, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range arr {
		if _, ok := e.(string); !ok {
			return false
		}
	}
	return true
}
