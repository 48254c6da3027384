package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/locognito/locognito/storage"
)

var groups = table{
	name: "groups",
	key:  []string{"pool_id", "name"},
	cols: []string{"description", "role_arn", "precedence", "created_at", "last_modified_at"},
}

func groupArgs(g storage.Group) []any {
	return []any{g.PoolID, g.Name, g.Description, g.RoleArn, g.Precedence, tsArg(g.CreatedAt), tsArg(g.LastModifiedAt)}
}

func scanGroup(row pgx.Row) (storage.Group, error) {
	var g storage.Group
	err := row.Scan(&g.PoolID, &g.Name, &g.Description, &g.RoleArn, &g.Precedence,
		timeCol{&g.CreatedAt}, timeCol{&g.LastModifiedAt})
	return g, err
}

func (s *Store) CreateGroup(ctx context.Context, g storage.Group) error {
	if _, err := s.pool.Exec(ctx, groups.insertSQL(), groupArgs(g)...); err != nil {
		return dbErr(fmt.Sprintf("create group %q", g.Name), err)
	}
	return nil
}

func (s *Store) GetGroup(ctx context.Context, poolID, name string) (storage.Group, error) {
	g, err := scanGroup(s.pool.QueryRow(ctx, groups.selectSQL("")+" WHERE "+groups.whereKey(), poolID, name))
	if err != nil {
		return storage.Group{}, dbErr(fmt.Sprintf("get group %q", name), err)
	}
	return g, nil
}

func (s *Store) ListGroups(ctx context.Context, poolID string) ([]storage.Group, error) {
	return list(ctx, s, "list groups", scanGroup, groups.selectSQL("")+" WHERE pool_id = $1 ORDER BY name", poolID)
}

// UpdateGroup runs fn on the locked group; PoolID and Name cannot change.
func (s *Store) UpdateGroup(ctx context.Context, poolID, name string, fn func(*storage.Group) error) error {
	return updateRow(ctx, s, fmt.Sprintf("update group %q", name), groups, []any{poolID, name},
		scanGroup, groupArgs, func(g *storage.Group, orig storage.Group) {
			g.PoolID, g.Name = orig.PoolID, orig.Name
		}, fn)
}

// DeleteGroup deletes the group; its memberships go by foreign key.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	return s.exec(ctx, fmt.Sprintf("delete group %q", name), groups.deleteSQL(), poolID, name)
}

// AddUserToGroup is idempotent; a missing group or user is a foreign-key
// violation, hence ErrNotFound.
func (s *Store) AddUserToGroup(ctx context.Context, poolID, groupName, usernameKey string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO group_members (pool_id, group_name, username_key)
		VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, poolID, groupName, usernameKey)
	if err != nil {
		return dbErr(fmt.Sprintf("add user %q to group %q", usernameKey, groupName), err)
	}
	return nil
}

// RemoveUserFromGroup is idempotent; it fails with ErrNotFound only when the
// group does not exist.
func (s *Store) RemoveUserFromGroup(ctx context.Context, poolID, groupName, usernameKey string) error {
	var groupExists bool
	err := s.pool.QueryRow(ctx, `WITH removed AS (
			DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND username_key = $3
		)
		SELECT EXISTS (SELECT 1 FROM groups WHERE pool_id = $1 AND name = $2)`,
		poolID, groupName, usernameKey).Scan(&groupExists)
	op := fmt.Sprintf("remove user %q from group %q", usernameKey, groupName)
	if err != nil {
		return dbErr(op, err)
	}
	if !groupExists {
		return fmt.Errorf("postgres: %s: %w", op, storage.ErrNotFound)
	}
	return nil
}

// ListGroupsForUser returns no groups (and no error) for an unknown user.
func (s *Store) ListGroupsForUser(ctx context.Context, poolID, usernameKey string) ([]storage.Group, error) {
	return list(ctx, s, fmt.Sprintf("list groups for user %q", usernameKey), scanGroup,
		groups.selectSQL("g")+` JOIN group_members m ON m.pool_id = g.pool_id AND m.group_name = g.name
		WHERE m.pool_id = $1 AND m.username_key = $2 ORDER BY g.name`, poolID, usernameKey)
}

// ListUsersInGroup fails with ErrNotFound when the group does not exist.
func (s *Store) ListUsersInGroup(ctx context.Context, poolID, groupName string) ([]string, error) {
	op := fmt.Sprintf("list users in group %q", groupName)
	// One row per member, or a single NULL row for an empty group.
	keys, err := list(ctx, s, op, func(row pgx.Row) (*string, error) {
		var key *string
		err := row.Scan(&key)
		return key, err
	}, `SELECT m.username_key FROM groups g
		LEFT JOIN group_members m ON m.pool_id = g.pool_id AND m.group_name = g.name
		WHERE g.pool_id = $1 AND g.name = $2 ORDER BY m.username_key`, poolID, groupName)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("postgres: %s: %w", op, storage.ErrNotFound)
	}
	out := []string{}
	for _, k := range keys {
		if k != nil {
			out = append(out, *k)
		}
	}
	return out, nil
}
