package seed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// user seeds one user through userpool.SeedUser (the API's attribute,
// password and status rules), then makes the user's groups exactly the
// declared ones when the seed lists them.
func (a *applier) user(ctx context.Context, pool storage.Pool, su User) error {
	for _, g := range su.Groups {
		if _, err := a.store.GetGroup(ctx, pool.ID, g); errors.Is(err, storage.ErrNotFound) {
			return fmt.Errorf("groups: %s is not a group of the pool", g)
		} else if err != nil {
			return fmt.Errorf("get group %s: %w", g, err)
		}
	}
	attrs := maps.Clone(su.Attributes)
	sub := attrs["sub"]
	delete(attrs, "sub")
	if sub != "" {
		if _, err := uuid.Parse(sub); err != nil || strings.ToLower(sub) != sub {
			return fmt.Errorf("attributes.sub: want a lowercase UUID")
		}
	}
	a.res.Users++

	before, err := a.svc.FindUser(ctx, pool, su.Username)
	existed := err == nil
	switch {
	case existed && sub != "" && sub != before.Sub:
		return fmt.Errorf("attributes.sub %s: the user exists with sub %s, and a sub never changes", sub, before.Sub)
	case err != nil && !exception.Is(err, exception.UserNotFound):
		return fmt.Errorf("find user: %w", err)
	}
	print, err := fingerprint(su)
	if err != nil {
		return err
	}
	if existed {
		// A user is data, not configuration: once seeded, what the app did
		// to it (a changed password, attributes, groups) survives restarts
		// until the seed's own entry for it changes.
		same, err := a.seededAs(ctx, pool.ID, before.UsernameKey, print)
		if err != nil || same {
			return err
		}
	}
	if err := a.svc.SeedUser(ctx, pool, userpool.SeedUserInput{
		Username: su.Username, Password: su.Password, Attributes: attrs,
		Status: su.Status, Enabled: su.Enabled, Sub: sub,
	}); err != nil {
		return reason(err)
	}
	after, err := a.svc.FindUser(ctx, pool, su.Username)
	if err != nil {
		return fmt.Errorf("find seeded user: %w", err)
	}
	a.changed(!existed || !after.LastModifiedAt.Equal(before.LastModifiedAt) ||
		!slices.Equal(after.PasswordHash, before.PasswordHash))
	if err := a.memberships(ctx, pool, after.UsernameKey, su.Groups); err != nil {
		return err
	}
	return a.rememberSeeded(ctx, pool.ID, after.UsernameKey, print)
}

// grantSeededUser is the Grant kind that remembers, per user, a fingerprint
// of the seed entry last applied to it.
const grantSeededUser = "seeded_user"

// fingerprint is the SHA-256 of a user's seed entry.
func fingerprint(su User) ([]byte, error) {
	b, err := json.Marshal(su)
	if err != nil {
		return nil, fmt.Errorf("fingerprint: %w", err)
	}
	sum := sha256.Sum256(b)
	return sum[:], nil
}

// seededAs reports whether the user was last seeded from an identical entry.
func (a *applier) seededAs(ctx context.Context, poolID, usernameKey string, print []byte) (bool, error) {
	g, err := a.store.GetGrant(ctx, grantSeededUser, poolID+"/"+usernameKey)
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("get seed fingerprint: %w", err)
	}
	return bytes.Equal(g.Data, print), nil
}

// rememberSeeded stores the fingerprint of the entry just applied. It has no
// expiry; DeletePool removes it with the pool.
func (a *applier) rememberSeeded(ctx context.Context, poolID, usernameKey string, print []byte) error {
	id := poolID + "/" + usernameKey
	if err := a.store.DeleteGrant(ctx, grantSeededUser, id); err != nil && !errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("replace seed fingerprint: %w", err)
	}
	err := a.store.CreateGrant(ctx, storage.Grant{Kind: grantSeededUser, ID: id, PoolID: poolID, Data: print, CreatedAt: a.now()})
	if err != nil {
		return fmt.Errorf("store seed fingerprint: %w", err)
	}
	return nil
}

// memberships makes the user's groups exactly want; nil leaves them alone.
func (a *applier) memberships(ctx context.Context, pool storage.Pool, usernameKey string, want []string) error {
	if want == nil {
		return nil
	}
	have, err := a.store.ListGroupsForUser(ctx, pool.ID, usernameKey)
	if err != nil {
		return fmt.Errorf("list groups: %w", err)
	}
	var haveNames []string
	for _, g := range have {
		haveNames = append(haveNames, g.Name)
		if !slices.Contains(want, g.Name) {
			if err := a.store.RemoveUserFromGroup(ctx, pool.ID, g.Name, usernameKey); err != nil {
				return fmt.Errorf("remove from group %s: %w", g.Name, err)
			}
			a.changed(true)
		}
	}
	for _, g := range want {
		if !slices.Contains(haveNames, g) {
			if err := a.store.AddUserToGroup(ctx, pool.ID, g, usernameKey); err != nil {
				return fmt.Errorf("add to group %s: %w", g, err)
			}
			a.changed(true)
		}
	}
	return nil
}
