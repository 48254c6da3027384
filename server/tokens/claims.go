package tokens

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/locognito/locognito/storage"
)

// Scopes with a fixed meaning (spec §5.2, §5.3, §10).
const (
	ScopeAdmin   = "aws.cognito.signin.user.admin"
	ScopeOpenID  = "openid"
	ScopeEmail   = "email"
	ScopePhone   = "phone"
	ScopeProfile = "profile"
)

// reservedClaims are claim names an attribute may never overwrite.
var reservedClaims = map[string]bool{
	"sub": true, "iss": true, "aud": true, "exp": true, "iat": true, "nbf": true,
	"auth_time": true, "token_use": true, "jti": true, "origin_jti": true,
	"event_id": true, "nonce": true, "at_hash": true, "client_id": true,
	"scope": true, "username": true, "version": true, "identities": true,
}

// groupClaims are the cognito:groups, cognito:roles and
// cognito:preferred_role values of a user's groups.
type groupClaims struct {
	names     []string
	roles     []string
	preferred string
}

// groupsOf orders groups by precedence (lowest first, unset last, then by
// name) and derives the role claims. Cognito documents the preferred role as
// the RoleArn of the group with the lowest Precedence; groups tied at that
// precedence must agree on the role, or there is no preferred role.
func groupsOf(groups []storage.Group) groupClaims {
	gs := slices.Clone(groups)
	slices.SortStableFunc(gs, func(a, b storage.Group) int {
		switch {
		case a.Precedence != nil && b.Precedence != nil:
			if c := cmp.Compare(*a.Precedence, *b.Precedence); c != 0 {
				return c
			}
		case a.Precedence != nil:
			return -1
		case b.Precedence != nil:
			return 1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	var out groupClaims
	var top *storage.Group
	tied := false
	for i := range gs {
		g := &gs[i]
		out.names = append(out.names, g.Name)
		if g.RoleArn == "" {
			continue
		}
		if !slices.Contains(out.roles, g.RoleArn) {
			out.roles = append(out.roles, g.RoleArn)
		}
		switch {
		case top == nil:
			top = g
		case samePrecedence(top, g) && g.RoleArn != top.RoleArn:
			tied = true
		}
	}
	if top != nil && !tied {
		out.preferred = top.RoleArn
	}
	return out
}

func samePrecedence(a, b *storage.Group) bool {
	if a.Precedence == nil || b.Precedence == nil {
		return a.Precedence == nil && b.Precedence == nil
	}
	return *a.Precedence == *b.Precedence
}

// attributeAllowed reports whether an OAuth ID token carries the attribute
// (spec §5.2): openid alone gives every readable attribute; otherwise email
// gives the email pair, phone the phone pair and profile everything else.
func attributeAllowed(scopes []string, name string) bool {
	email, phone, profile := slices.Contains(scopes, ScopeEmail), slices.Contains(scopes, ScopePhone), slices.Contains(scopes, ScopeProfile)
	if !email && !phone && !profile {
		return true
	}
	switch name {
	case "email", "email_verified":
		return email
	case "phone_number", "phone_number_verified":
		return phone
	default:
		return profile
	}
}

// readable reports whether the client may read the attribute. Unset
// ReadAttributes means every attribute.
func readable(c storage.Client, name string) bool {
	return c.ReadAttributes == nil || slices.Contains(c.ReadAttributes, name)
}

// attributeClaims adds the user's attributes that the ID token carries, in
// name order, with Cognito's JSON types.
func attributeClaims(cl *claims, r Request) {
	names := make([]string, 0, len(r.User.Attributes))
	for name := range r.User.Attributes {
		if reservedClaims[name] || strings.HasPrefix(name, "cognito:") || strings.HasPrefix(name, "dev:") {
			continue
		}
		if !readable(r.Client, name) || (r.Flow == FlowOAuth && !attributeAllowed(r.Scopes, name)) {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		cl.add(name, attributeValue(name, r.User.Attributes[name]))
	}
}

// attributeValue converts a stored attribute (always a string) to its claim
// type: the *_verified flags are booleans, updated_at a number, address an
// object; everything else, custom attributes included, stays a string.
func attributeValue(name, v string) any {
	switch name {
	case "email_verified", "phone_number_verified":
		return strings.EqualFold(v, "true")
	case "updated_at":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	case "address":
		return map[string]string{"formatted": v}
	}
	return v
}
