package memory

import (
	"bytes"
	"maps"
	"slices"
	"time"

	"github.com/locognito/locognito/storage"
)

// The clone functions return a deep copy of a record with every time in UTC
// and truncated to microseconds (the precision of Postgres timestamptz), so
// both backends return equal records. slices.Clone, maps.Clone and
// bytes.Clone keep nil as nil and empty as empty.

func ts(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

func cloneInt(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func clonePool(p storage.Pool) storage.Pool {
	p.CreatedAt = ts(p.CreatedAt)
	p.LastModifiedAt = ts(p.LastModifiedAt)
	p.UsernameAttrs = slices.Clone(p.UsernameAttrs)
	p.AliasAttrs = slices.Clone(p.AliasAttrs)
	p.AutoVerified = slices.Clone(p.AutoVerified)
	if p.Schema != nil {
		schema := make([]storage.SchemaAttribute, len(p.Schema))
		for i, a := range p.Schema {
			a.MinLength = cloneInt(a.MinLength)
			a.MaxLength = cloneInt(a.MaxLength)
			a.MinValue = cloneInt(a.MinValue)
			a.MaxValue = cloneInt(a.MaxValue)
			schema[i] = a
		}
		p.Schema = schema
	}
	if p.Extra != nil {
		extra := make(map[string][]byte, len(p.Extra))
		for k, v := range p.Extra {
			extra[k] = bytes.Clone(v)
		}
		p.Extra = extra
	}
	return p
}

func cloneClient(c storage.Client) storage.Client {
	c.CreatedAt = ts(c.CreatedAt)
	c.LastModifiedAt = ts(c.LastModifiedAt)
	c.ExplicitAuthFlows = slices.Clone(c.ExplicitAuthFlows)
	c.ReadAttributes = slices.Clone(c.ReadAttributes)
	c.WriteAttributes = slices.Clone(c.WriteAttributes)
	c.AllowedOAuthFlows = slices.Clone(c.AllowedOAuthFlows)
	c.AllowedOAuthScopes = slices.Clone(c.AllowedOAuthScopes)
	c.CallbackURLs = slices.Clone(c.CallbackURLs)
	c.LogoutURLs = slices.Clone(c.LogoutURLs)
	c.SupportedIdentityProviders = slices.Clone(c.SupportedIdentityProviders)
	return c
}

func cloneUser(u storage.User) storage.User {
	u.Attributes = maps.Clone(u.Attributes)
	u.CreatedAt = ts(u.CreatedAt)
	u.LastModifiedAt = ts(u.LastModifiedAt)
	u.PasswordHash = bytes.Clone(u.PasswordHash)
	u.TempPasswordExpiresAt = ts(u.TempPasswordExpiresAt)
	if u.Codes != nil {
		codes := make(map[string]storage.Code, len(u.Codes))
		for k, c := range u.Codes {
			c.ExpiresAt = ts(c.ExpiresAt)
			codes[k] = c
		}
		u.Codes = codes
	}
	u.LastFailureAt = ts(u.LastFailureAt)
	if u.Quota != nil {
		quota := make(map[string][]time.Time, len(u.Quota))
		for k, times := range u.Quota {
			if times != nil {
				c := make([]time.Time, len(times))
				for i, t := range times {
					c[i] = ts(t)
				}
				times = c
			}
			quota[k] = times
		}
		u.Quota = quota
	}
	u.SignedOutAt = ts(u.SignedOutAt)
	return u
}

func cloneGroup(g storage.Group) storage.Group {
	g.Precedence = cloneInt(g.Precedence)
	g.CreatedAt = ts(g.CreatedAt)
	g.LastModifiedAt = ts(g.LastModifiedAt)
	return g
}

func cloneResourceServer(r storage.ResourceServer) storage.ResourceServer {
	r.Scopes = slices.Clone(r.Scopes)
	return r
}

func cloneRefreshToken(t storage.RefreshToken) storage.RefreshToken {
	t.AuthTime = ts(t.AuthTime)
	t.Scopes = slices.Clone(t.Scopes)
	t.IssuedAt = ts(t.IssuedAt)
	t.ExpiresAt = ts(t.ExpiresAt)
	t.RevokedAt = ts(t.RevokedAt)
	t.RotatedAt = ts(t.RotatedAt)
	return t
}

func cloneRevocation(r storage.Revocation) storage.Revocation {
	r.RevokedAt = ts(r.RevokedAt)
	r.ExpiresAt = ts(r.ExpiresAt)
	return r
}

func cloneGrant(g storage.Grant) storage.Grant {
	g.Data = bytes.Clone(g.Data)
	g.CreatedAt = ts(g.CreatedAt)
	g.ExpiresAt = ts(g.ExpiresAt)
	return g
}

func cloneSession(s storage.Session) storage.Session {
	s.AuthTime = ts(s.AuthTime)
	s.CreatedAt = ts(s.CreatedAt)
	s.ExpiresAt = ts(s.ExpiresAt)
	return s
}

func cloneKeySet(ks storage.KeySet) storage.KeySet {
	if ks.Keys != nil {
		keys := make([]storage.Key, len(ks.Keys))
		for i, k := range ks.Keys {
			k.PrivateKeyDER = bytes.Clone(k.PrivateKeyDER)
			k.CreatedAt = ts(k.CreatedAt)
			k.ActivatesAt = ts(k.ActivatesAt)
			k.RetiredAt = ts(k.RetiredAt)
			k.RemoveAfter = ts(k.RemoveAfter)
			keys[i] = k
		}
		ks.Keys = keys
	}
	return ks
}

func cloneMessage(m storage.Message) storage.Message {
	m.CreatedAt = ts(m.CreatedAt)
	return m
}
