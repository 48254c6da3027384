package userpool

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// ErrUserNotFound is the error of every failed user lookup.
var errUserNotFound = exception.New(exception.UserNotFound, "User does not exist.")

// FindUser resolves what a caller typed as a username: the username itself,
// or, where the pool allows it, an email / phone number (UsernameAttributes;
// verified or not, since it is the sign-in name) or a verified alias
// (AliasAttributes). Not found → UserNotFoundException "User does not exist.".
func (s *Service) FindUser(ctx context.Context, p storage.Pool, username string) (storage.User, error) {
	u, err := s.Store.GetUser(ctx, p.ID, UsernameKey(p, username))
	if err == nil {
		return u, nil
	}
	if !errors.Is(err, storage.ErrNotFound) {
		return u, fmt.Errorf("get user: %w", err)
	}
	for _, attr := range aliasCandidates(p, username) {
		users, err := s.Store.FindUsersByAttribute(ctx, p.ID, attr, username, !p.CaseSensitive || attr == "email")
		if err != nil {
			return storage.User{}, fmt.Errorf("find user by %s: %w", attr, err)
		}
		usernameAttr := slices.Contains(p.UsernameAttrs, attr)
		for _, u := range users {
			if usernameAttr || isVerified(u, attr) {
				return u, nil
			}
		}
	}
	return storage.User{}, errUserNotFound
}

// aliasCandidates lists the attributes a sign-in name may be, in order.
func aliasCandidates(p storage.Pool, name string) []string {
	var out []string
	for _, attr := range append(slices.Clone(p.UsernameAttrs), p.AliasAttrs...) {
		switch attr {
		case "email":
			if strings.Contains(name, "@") {
				out = append(out, attr)
			}
		case "phone_number":
			if strings.HasPrefix(name, "+") {
				out = append(out, attr)
			}
		case "preferred_username":
			out = append(out, attr)
		}
	}
	return out
}

// isVerified reports whether an alias attribute counts for sign-in.
// preferred_username needs no verification.
func isVerified(u storage.User, attr string) bool {
	switch attr {
	case "email", "phone_number":
		return u.Attributes[attr+"_verified"] == "true"
	}
	return true
}

// adminUser resolves what an administrator's call names: the pool by id,
// then the user by username or alias (FindUser).
func (s *Service) adminUser(ctx context.Context, poolID, username string) (storage.Pool, storage.User, error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return p, storage.User{}, err
	}
	u, err := s.FindUser(ctx, p, username)
	return p, u, err
}

// clientUser resolves what a public call names by client and username: the
// app client and its pool, the SECRET_HASH for username, then the user
// (FindUser). Only that last step fails with UserNotFoundException; the pool
// and client come back with it so the caller can answer as the client's
// PreventUserExistenceErrors asks (spec §11.4).
func (s *Service) clientUser(ctx context.Context, clientID, username, secretHash string) (storage.Pool, storage.Client, storage.User, error) {
	p, c, err := s.PoolAndClient(ctx, clientID)
	if err != nil {
		return p, c, storage.User{}, err
	}
	if err := CheckSecretHash(c, username, secretHash); err != nil {
		return p, c, storage.User{}, err
	}
	u, err := s.FindUser(ctx, p, username)
	return p, c, u, err
}
