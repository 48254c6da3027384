package userpool

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// GroupInput is CreateGroup / UpdateGroup in Go terms.
type GroupInput struct {
	PoolID      string
	Name        string
	Description *string // nil: none on create, unchanged on update
	RoleArn     *string
	Precedence  *int
}

var (
	groupNamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$`)
	roleArnPattern   = regexp.MustCompile(`^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$`)
)

func errGroupNotFound() error { return exception.New(exception.ResourceNotFound, "Group not found.") }

// checkGroupInput validates the optional members.
func checkGroupInput(in GroupInput) error {
	if !groupNamePattern.MatchString(in.Name) {
		return mgmtInvalid("Invalid group name %q.", in.Name)
	}
	if in.Description != nil && len(*in.Description) > 2048 {
		return mgmtInvalid("Group description must be at most 2048 characters.")
	}
	if in.RoleArn != nil && *in.RoleArn != "" && (len(*in.RoleArn) < 20 || len(*in.RoleArn) > 2048 || !roleArnPattern.MatchString(*in.RoleArn)) {
		return mgmtInvalid("Invalid RoleArn %s.", *in.RoleArn)
	}
	if in.Precedence != nil && *in.Precedence < 0 {
		return mgmtInvalid("Precedence must be 0 or more.")
	}
	return nil
}

// CreateGroup creates a group; a taken name is GroupExistsException.
func (s *Service) CreateGroup(ctx context.Context, in GroupInput) (storage.Group, error) {
	if _, err := s.Pool(ctx, in.PoolID); err != nil {
		return storage.Group{}, err
	}
	if err := checkGroupInput(in); err != nil {
		return storage.Group{}, err
	}
	now := s.Clock.Now()
	g := storage.Group{PoolID: in.PoolID, Name: in.Name, Precedence: in.Precedence, CreatedAt: now, LastModifiedAt: now}
	if in.Description != nil {
		g.Description = *in.Description
	}
	if in.RoleArn != nil {
		g.RoleArn = *in.RoleArn
	}
	err := s.Store.CreateGroup(ctx, g)
	if errors.Is(err, storage.ErrAlreadyExists) {
		return storage.Group{}, exception.Newf(exception.GroupExists, "A group with the name %s already exists.", in.Name)
	}
	if err != nil {
		return storage.Group{}, fmt.Errorf("create group: %w", err)
	}
	return g, nil
}

// Group returns the group or ResourceNotFoundException "Group not found.".
func (s *Service) Group(ctx context.Context, poolID, name string) (storage.Group, error) {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return storage.Group{}, err
	}
	g, err := s.Store.GetGroup(ctx, poolID, name)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Group{}, errGroupNotFound()
	}
	if err != nil {
		return storage.Group{}, fmt.Errorf("get group: %w", err)
	}
	return g, nil
}

// ListGroups returns the pool's groups ordered by name.
func (s *Service) ListGroups(ctx context.Context, poolID string) ([]storage.Group, error) {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return nil, err
	}
	gs, err := s.Store.ListGroups(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	return gs, nil
}

// UpdateGroup changes the members in carries and leaves the others.
func (s *Service) UpdateGroup(ctx context.Context, in GroupInput) (storage.Group, error) {
	if _, err := s.Pool(ctx, in.PoolID); err != nil {
		return storage.Group{}, err
	}
	if err := checkGroupInput(in); err != nil {
		return storage.Group{}, err
	}
	var out storage.Group
	err := s.Store.UpdateGroup(ctx, in.PoolID, in.Name, func(g *storage.Group) error {
		if in.Description != nil {
			g.Description = *in.Description
		}
		if in.RoleArn != nil {
			g.RoleArn = *in.RoleArn
		}
		if in.Precedence != nil {
			g.Precedence = in.Precedence
		}
		g.LastModifiedAt = s.Clock.Now()
		out = *g
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Group{}, errGroupNotFound()
	}
	if err != nil {
		return storage.Group{}, fmt.Errorf("update group: %w", err)
	}
	return out, nil
}

// DeleteGroup deletes the group and its memberships.
func (s *Service) DeleteGroup(ctx context.Context, poolID, name string) error {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return err
	}
	err := s.Store.DeleteGroup(ctx, poolID, name)
	if errors.Is(err, storage.ErrNotFound) {
		return errGroupNotFound()
	}
	if err != nil {
		return fmt.Errorf("delete group: %w", err)
	}
	return nil
}

// groupAndUser resolves a membership call: the pool, the group, then the
// user by username or alias (as Cognito's admin calls accept).
func (s *Service) groupAndUser(ctx context.Context, poolID, group, username string) (storage.User, error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return storage.User{}, err
	}
	if _, err := s.Store.GetGroup(ctx, poolID, group); errors.Is(err, storage.ErrNotFound) {
		return storage.User{}, errGroupNotFound()
	} else if err != nil {
		return storage.User{}, fmt.Errorf("get group: %w", err)
	}
	return s.FindUser(ctx, p, username)
}

// AddUserToGroup is idempotent; it takes effect from the user's next token.
func (s *Service) AddUserToGroup(ctx context.Context, poolID, group, username string) error {
	u, err := s.groupAndUser(ctx, poolID, group, username)
	if err != nil {
		return err
	}
	if err := s.Store.AddUserToGroup(ctx, poolID, group, u.UsernameKey); errors.Is(err, storage.ErrNotFound) {
		return errGroupNotFound()
	} else if err != nil {
		return fmt.Errorf("add user to group: %w", err)
	}
	return nil
}

// RemoveUserFromGroup is idempotent.
func (s *Service) RemoveUserFromGroup(ctx context.Context, poolID, group, username string) error {
	u, err := s.groupAndUser(ctx, poolID, group, username)
	if err != nil {
		return err
	}
	if err := s.Store.RemoveUserFromGroup(ctx, poolID, group, u.UsernameKey); errors.Is(err, storage.ErrNotFound) {
		return errGroupNotFound()
	} else if err != nil {
		return fmt.Errorf("remove user from group: %w", err)
	}
	return nil
}

// GroupsForUser returns the user's groups ordered by name.
func (s *Service) GroupsForUser(ctx context.Context, poolID, username string) ([]storage.Group, error) {
	_, u, err := s.adminUser(ctx, poolID, username)
	if err != nil {
		return nil, err
	}
	gs, err := s.Store.ListGroupsForUser(ctx, poolID, u.UsernameKey)
	if err != nil {
		return nil, fmt.Errorf("list groups for user: %w", err)
	}
	return gs, nil
}

// UsersInGroup returns the group's members in username order.
func (s *Service) UsersInGroup(ctx context.Context, poolID, group string) ([]storage.User, error) {
	if _, err := s.Group(ctx, poolID, group); err != nil {
		return nil, err
	}
	keys, err := s.Store.ListUsersInGroup(ctx, poolID, group)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, errGroupNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("list users in group: %w", err)
	}
	users := make([]storage.User, 0, len(keys))
	for _, k := range keys {
		u, err := s.Store.GetUser(ctx, poolID, k)
		if errors.Is(err, storage.ErrNotFound) {
			continue // deleted between the two reads
		}
		if err != nil {
			return nil, fmt.Errorf("get group member: %w", err)
		}
		users = append(users, u)
	}
	return users, nil
}
