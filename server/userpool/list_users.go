package userpool

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// ListUsers limits (spec §7.2).
const (
	MaxListUsersLimit  = 60
	paginationTokenTTL = time.Hour
)

// ListUsersInput is ListUsers' request. Limit 0 means the maximum.
type ListUsersInput struct {
	PoolID          string
	Limit           int
	PaginationToken string
	Filter          string
}

// ListUsersOutput is a page of users; PaginationToken is empty on the last.
type ListUsersOutput struct {
	Users           []storage.User
	PaginationToken string
}

// UserFilter is a parsed ListUsers filter: `attr = "v"` or `attr ^= "v"`.
type UserFilter struct {
	Attr   string
	Prefix bool
	Value  string
}

// searchableAttrs are the attributes ListUsers can filter on (spec §7.2).
var searchableAttrs = map[string]bool{
	"username": true, "email": true, "phone_number": true, "name": true, "given_name": true,
	"family_name": true, "preferred_username": true, "cognito:user_status": true, "status": true, "sub": true,
}

var errBadFilter = exception.New(exception.InvalidParameter, "Error while parsing filter.")

// ParseUserFilter parses a ListUsers filter; the empty filter is nil.
// Spaces around the operator are optional; inside the quoted value \"
// stands for " and \\ for \.
func ParseUserFilter(s string) (*UserFilter, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '=' || r == '^' })
	if i <= 0 {
		return nil, errBadFilter
	}
	f := &UserFilter{Attr: s[:i]}
	rest := strings.TrimLeftFunc(s[i:], unicode.IsSpace)
	switch {
	case strings.HasPrefix(rest, "^="):
		f.Prefix, rest = true, rest[2:]
	case strings.HasPrefix(rest, "="):
		rest = rest[1:]
	default:
		return nil, errBadFilter
	}
	rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
	if !strings.HasPrefix(rest, `"`) {
		return nil, errBadFilter
	}
	var v strings.Builder
	escaped, closed := false, -1
	for j, r := range rest[1:] {
		switch {
		case escaped:
			v.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped = true
		case r == '"':
			closed = j + 1
		default:
			v.WriteRune(r)
		}
		if closed >= 0 {
			break
		}
	}
	if closed < 0 || strings.TrimSpace(rest[closed+1:]) != "" {
		return nil, errBadFilter
	}
	if !searchableAttrs[f.Attr] {
		return nil, exception.Newf(exception.InvalidParameter, "Invalid search attribute: %s", f.Attr)
	}
	f.Value = v.String()
	return f, nil
}

// Match reports whether u passes the filter. username and status compare
// exactly, cognito:user_status ignores case (spec §7.2).
func (f *UserFilter) Match(u storage.User) bool {
	if f == nil {
		return true
	}
	var have string
	fold := false
	switch f.Attr {
	case "username":
		have = u.Username
	case "cognito:user_status":
		have, fold = u.Status, true
	case "status":
		have = "Disabled"
		if u.Enabled {
			have = "Enabled"
		}
	case "sub":
		have = u.Sub
	default:
		var ok bool
		if have, ok = u.Attributes[f.Attr]; !ok {
			return false
		}
	}
	want := f.Value
	if fold {
		have, want = strings.ToLower(have), strings.ToLower(want)
	}
	if f.Prefix {
		return strings.HasPrefix(have, want)
	}
	return have == want
}

// listToken is the content of a PaginationToken: where the next page
// starts and until when the token is good.
type listToken struct {
	After   string `json:"a"`
	Expires int64  `json:"e"`
}

var errBadPaginationToken = exception.New(exception.InvalidParameter, "Invalid pagination token.")

func (s *Service) encodeListToken(after string) string {
	b, _ := json.Marshal(listToken{After: after, Expires: s.Clock.Now().Add(paginationTokenTTL).Unix()})
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Service) decodeListToken(tok string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	var t listToken
	if err != nil || json.Unmarshal(b, &t) != nil || t.After == "" {
		return "", errBadPaginationToken
	}
	if s.Clock.Now().Unix() > t.Expires {
		return "", exception.New(exception.InvalidParameter, "Pagination token expired.")
	}
	return t.After, nil
}

// ListUsers returns one page of the pool's users that match the filter, in
// username order.
func (s *Service) ListUsers(ctx context.Context, in ListUsersInput) (ListUsersOutput, error) {
	p, err := s.Pool(ctx, in.PoolID)
	if err != nil {
		return ListUsersOutput{}, err
	}
	f, err := ParseUserFilter(in.Filter)
	if err != nil {
		return ListUsersOutput{}, err
	}
	limit := in.Limit
	if limit <= 0 || limit > MaxListUsersLimit {
		limit = MaxListUsersLimit
	}
	after := ""
	if in.PaginationToken != "" {
		if after, err = s.decodeListToken(in.PaginationToken); err != nil {
			return ListUsersOutput{}, err
		}
	}
	all, err := s.Store.ListUsers(ctx, p.ID)
	if err != nil {
		return ListUsersOutput{}, fmt.Errorf("list users: %w", err)
	}
	// Page boundaries compare keys as Go strings, so order by them here
	// rather than trusting a backend's collation.
	slices.SortFunc(all, func(a, b storage.User) int { return strings.Compare(a.UsernameKey, b.UsernameKey) })
	out := ListUsersOutput{Users: []storage.User{}}
	for _, u := range all {
		if after != "" && u.UsernameKey <= after {
			continue
		}
		if !f.Match(u) {
			continue
		}
		if len(out.Users) == limit {
			out.PaginationToken = s.encodeListToken(out.Users[len(out.Users)-1].UsernameKey)
			break
		}
		out.Users = append(out.Users, u)
	}
	return out, nil
}
