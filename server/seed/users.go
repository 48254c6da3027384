package seed

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// maxAttributeValue is Cognito's limit on an attribute value.
const maxAttributeValue = 2048

// user creates the user or brings it back to the seed: declared attributes,
// status, enabled flag, password (re-hashed only when it no longer matches)
// and, when declared, exactly the listed groups.
func (a *applier) user(ctx context.Context, pool storage.Pool, su User) error {
	if err := a.checkUser(pool, su); err != nil {
		return err
	}
	if err := userpool.CheckPasswordPolicy(pool.PasswordPolicy, su.Password); err != nil {
		return fmt.Errorf("password: %s", exception.Message(err))
	}
	for _, g := range su.Groups {
		if _, err := a.store.GetGroup(ctx, pool.ID, g); errors.Is(err, storage.ErrNotFound) {
			return fmt.Errorf("groups: %s is not a group of the pool", g)
		} else if err != nil {
			return fmt.Errorf("get group %s: %w", g, err)
		}
	}
	a.res.Users++

	status := su.Status
	if status == "" {
		status = StatusConfirmed
	}
	enabled := su.Enabled == nil || *su.Enabled
	attrs := maps.Clone(su.Attributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	// In an e-mail/phone-as-username pool the sign-in name is an attribute
	// and the internal username is the sub (spec §2).
	usernameAttr := signInAttribute(pool, su.Username)
	if usernameAttr != "" {
		attrs[usernameAttr] = su.Username
	}

	cur, err := a.svc.FindUser(ctx, pool, su.Username)
	switch {
	case exception.Is(err, exception.UserNotFound):
		return a.createUser(ctx, pool, su, status, enabled, attrs, usernameAttr != "")
	case err != nil:
		return fmt.Errorf("find user: %w", err)
	}
	if sub, ok := attrs["sub"]; ok && sub != cur.Sub {
		return fmt.Errorf("attributes.sub %s: the user exists with sub %s, and a sub never changes", sub, cur.Sub)
	}
	delete(attrs, "sub")
	did := false
	err = a.store.UpdateUser(ctx, pool.ID, cur.UsernameKey, func(u *storage.User) error {
		now := a.now()
		change := false
		for k, v := range attrs {
			if u.Attributes[k] != v {
				if u.Attributes == nil {
					u.Attributes = map[string]string{}
				}
				u.Attributes[k], change = v, true
			}
		}
		if u.Enabled != enabled {
			u.Enabled, change = enabled, true
		}
		passwordChanged := !userpool.PasswordMatches(*u, su.Password)
		if passwordChanged {
			if err := a.svc.SetPassword(pool, u, su.Password); err != nil {
				return err
			}
			change = true
		}
		if u.Status != status {
			u.Status, change = status, true
		}
		if status == StatusForceChangePassword && (passwordChanged || !u.TempPasswordExpiresAt.After(now)) {
			u.TempPasswordExpiresAt, change = tempPasswordExpiry(pool, now), true
		}
		if status != StatusForceChangePassword && !u.TempPasswordExpiresAt.IsZero() {
			u.TempPasswordExpiresAt, change = time.Time{}, true
		}
		if !change {
			return storage.ErrNoChange
		}
		u.LastModifiedAt, did = now, true
		return nil
	})
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	a.changed(did)
	return a.memberships(ctx, pool, cur.UsernameKey, su.Groups)
}

func (a *applier) createUser(ctx context.Context, pool storage.Pool, su User, status string, enabled bool, attrs map[string]string, subIsUsername bool) error {
	now := a.now()
	sub := attrs["sub"]
	if sub == "" {
		sub = ids.UUID()
	}
	attrs["sub"] = sub
	username := su.Username
	if subIsUsername {
		username = sub
	}
	u := storage.User{
		PoolID: pool.ID, Username: username, UsernameKey: userpool.UsernameKey(pool, username),
		Sub: sub, Attributes: attrs, Status: status, Enabled: enabled,
		CreatedAt: now, LastModifiedAt: now,
	}
	if status == StatusForceChangePassword {
		u.TempPasswordExpiresAt = tempPasswordExpiry(pool, now)
	}
	if err := a.svc.SetPassword(pool, &u, su.Password); err != nil {
		return err
	}
	if err := a.store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, storage.ErrAlreadyExists) {
			return fmt.Errorf("username or sub already taken: %w", err)
		}
		return fmt.Errorf("create user: %w", err)
	}
	a.changed(true)
	return a.memberships(ctx, pool, u.UsernameKey, su.Groups)
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

// checkUser applies the attribute rules: known names (standard, or custom
// ones of the pool's schema), values of at most 2048 characters, boolean
// *_verified flags and a UUID sub.
func (a *applier) checkUser(pool storage.Pool, su User) error {
	if utf8.RuneCountInString(su.Username) > 128 || strings.TrimSpace(su.Username) != su.Username {
		return fmt.Errorf("username: 1-128 characters without surrounding spaces")
	}
	if len(pool.UsernameAttrs) > 0 && signInAttribute(pool, su.Username) == "" {
		return fmt.Errorf("username: the pool signs in with %s, so the username must be one",
			strings.Join(pool.UsernameAttrs, " or "))
	}
	for name, v := range su.Attributes {
		known := slices.ContainsFunc(pool.Schema, func(s storage.SchemaAttribute) bool { return s.Name == name })
		if !known {
			return fmt.Errorf("attributes.%s: not an attribute of the pool (custom ones are custom:<name> and must be in its schema)", name)
		}
		if utf8.RuneCountInString(v) > maxAttributeValue {
			return fmt.Errorf("attributes.%s: at most %d characters", name, maxAttributeValue)
		}
		switch name {
		case "email_verified", "phone_number_verified":
			if v != "true" && v != "false" {
				return fmt.Errorf("attributes.%s: want true or false", name)
			}
		case "sub":
			if _, err := uuid.Parse(v); err != nil || strings.ToLower(v) != v {
				return fmt.Errorf("attributes.sub: want a lowercase UUID")
			}
		}
	}
	if sa := signInAttribute(pool, su.Username); sa != "" {
		if v, ok := su.Attributes[sa]; ok && v != su.Username {
			return fmt.Errorf("attributes.%s: differs from the username, which is the %s in this pool", sa, sa)
		}
	}
	return nil
}

// signInAttribute is the attribute a username stands for in a pool with
// UsernameAttributes ("" when the pool has none or the name fits neither).
func signInAttribute(pool storage.Pool, username string) string {
	for _, attr := range pool.UsernameAttrs {
		switch {
		case attr == "email" && strings.Contains(username, "@"):
			return attr
		case attr == "phone_number" && strings.HasPrefix(username, "+"):
			return attr
		}
	}
	return ""
}

// tempPasswordExpiry is when a temporary password set now stops working.
func tempPasswordExpiry(pool storage.Pool, now time.Time) time.Time {
	return now.AddDate(0, 0, pool.PasswordPolicy.TemporaryPasswordValidityDays)
}
