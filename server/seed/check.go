package seed

import (
	"fmt"
	"regexp"
	"slices"
)

var (
	// poolIDPattern is the id shape aws-jwt-verify accepts (spec §2).
	poolIDPattern = regexp.MustCompile(`^[a-z]{2}-(gov-)?[a-z]+-\d_[a-zA-Z0-9]+$`)
	// clientIDPattern and secretPattern are Cognito's ClientId and
	// ClientSecret constraints.
	clientIDPattern = regexp.MustCompile(`^[\w+]{1,128}$`)
	secretPattern   = regexp.MustCompile(`^[\w+]{24,64}$`)
)

// Statuses a seeded user may have.
const (
	StatusConfirmed           = "CONFIRMED"
	StatusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	StatusUnconfirmed         = "UNCONFIRMED"
)

// check validates what can be checked without storage: required fields,
// id shapes, duplicates and references inside the file. Pool, client and
// password rules are checked against userpool when applying.
func (f *File) check() error {
	poolIDs := map[string]bool{}
	clientIDs := map[string]bool{}
	for i, p := range f.Pools {
		where := fmt.Sprintf("pools[%d]", i)
		if p.ID != "" {
			where = "pool " + p.ID
		}
		fail := func(format string, args ...any) error {
			return fmt.Errorf("seed: %s: %s", where, fmt.Sprintf(format, args...))
		}
		switch {
		case p.ID == "":
			return fail("id is required (a fixed pool id such as us-east-1_LocalDev1)")
		case len(p.ID) > 55 || !poolIDPattern.MatchString(p.ID):
			return fail("id must look like <region>_<letters and digits>, e.g. us-east-1_LocalDev1")
		case poolIDs[p.ID]:
			return fail("declared twice")
		case p.Name == "":
			return fail("name is required")
		}
		poolIDs[p.ID] = true

		rsIDs := map[string]bool{}
		for _, rs := range p.ResourceServers {
			if rs.Identifier == "" {
				return fail("resource server without identifier")
			}
			if rsIDs[rs.Identifier] {
				return fail("resource server %s declared twice", rs.Identifier)
			}
			rsIDs[rs.Identifier] = true
		}
		for j, c := range p.Clients {
			switch {
			case c.ID == "":
				return fail("clients[%d]: id is required", j)
			case !clientIDPattern.MatchString(c.ID):
				return fail("client %s: id may hold only letters, digits, _ and + (at most 128)", c.ID)
			case clientIDs[c.ID]:
				return fail("client %s declared twice (client ids are global)", c.ID)
			case c.Name == "":
				return fail("client %s: name is required", c.ID)
			case c.Secret != "" && !secretPattern.MatchString(c.Secret):
				// The secret itself is never echoed.
				return fail("client %s: secret must be 24-64 letters, digits, _ or +", c.ID)
			case c.Secret != "" && c.GenerateSecret:
				return fail("client %s: give either secret or generate_secret", c.ID)
			}
			clientIDs[c.ID] = true
		}
		groups := map[string]bool{}
		for _, g := range p.Groups {
			if g.Name == "" {
				return fail("group without name")
			}
			if groups[g.Name] {
				return fail("group %s declared twice", g.Name)
			}
			groups[g.Name] = true
		}
		users := map[string]bool{}
		for j, u := range p.Users {
			switch {
			case u.Username == "":
				return fail("users[%d]: username is required", j)
			case users[u.Username]:
				return fail("user %s declared twice", u.Username)
			case u.Password == "":
				return fail("user %s: password is required", u.Username)
			case u.Status != "" && !slices.Contains([]string{StatusConfirmed, StatusForceChangePassword, StatusUnconfirmed}, u.Status):
				return fail("user %s: status %q: want CONFIRMED, FORCE_CHANGE_PASSWORD or UNCONFIRMED", u.Username, u.Status)
			}
			users[u.Username] = true
		}
	}
	return nil
}
