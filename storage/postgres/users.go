package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/locognito/locognito/storage"
)

var users = table{
	name: "users",
	key:  []string{"pool_id", "username_key"},
	cols: []string{"username", "sub", "attributes", "status", "enabled", "created_at",
		"last_modified_at", "password_hash", "srp_salt", "srp_verifier", "temp_password_expires_at",
		"codes", "failed_attempts", "last_failure_at", "quota", "signed_out_at"},
}

func userArgs(u storage.User) []any {
	return []any{u.PoolID, u.UsernameKey, u.Username, textArg(u.Sub), jsonArg{u.Attributes}, u.Status,
		u.Enabled, tsArg(u.CreatedAt), tsArg(u.LastModifiedAt), u.PasswordHash, u.SRPSalt, u.SRPVerifier,
		tsArg(u.TempPasswordExpiresAt), jsonArg{normCodes(u.Codes)}, u.FailedAttempts,
		tsArg(u.LastFailureAt), jsonArg{normQuota(u.Quota)}, tsArg(u.SignedOutAt)}
}

func scanUser(row pgx.Row) (storage.User, error) {
	var u storage.User
	err := row.Scan(&u.PoolID, &u.UsernameKey, &u.Username, textCol{&u.Sub}, jsonCol{&u.Attributes}, &u.Status,
		&u.Enabled, timeCol{&u.CreatedAt}, timeCol{&u.LastModifiedAt}, &u.PasswordHash, &u.SRPSalt, &u.SRPVerifier,
		timeCol{&u.TempPasswordExpiresAt}, jsonCol{&u.Codes}, &u.FailedAttempts,
		timeCol{&u.LastFailureAt}, jsonCol{&u.Quota}, timeCol{&u.SignedOutAt})
	return u, err
}

// normCodes returns a copy of codes with the times as a column stores them.
func normCodes(codes map[string]storage.Code) map[string]storage.Code {
	if codes == nil {
		return nil
	}
	out := make(map[string]storage.Code, len(codes))
	for k, c := range codes {
		c.ExpiresAt = ts(c.ExpiresAt)
		out[k] = c
	}
	return out
}

// normQuota returns a copy of quota with the times as a column stores them.
func normQuota(quota map[string][]time.Time) map[string][]time.Time {
	if quota == nil {
		return nil
	}
	out := make(map[string][]time.Time, len(quota))
	for k, times := range quota {
		if times != nil {
			c := make([]time.Time, len(times))
			for i, t := range times {
				c[i] = ts(t)
			}
			times = c
		}
		out[k] = times
	}
	return out
}

// CreateUser fails with ErrAlreadyExists when the UsernameKey or the
// (non-empty) Sub is taken in the pool, and with ErrNotFound when the pool
// does not exist. An empty Sub is stored as NULL.
func (s *Store) CreateUser(ctx context.Context, u storage.User) error {
	if _, err := s.pool.Exec(ctx, users.insertSQL(), userArgs(u)...); err != nil {
		return dbErr(fmt.Sprintf("create user %q", u.UsernameKey), err)
	}
	return nil
}

func (s *Store) GetUser(ctx context.Context, poolID, usernameKey string) (storage.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, users.selectSQL("")+" WHERE "+users.whereKey(), poolID, usernameKey))
	if err != nil {
		return storage.User{}, dbErr(fmt.Sprintf("get user %q", usernameKey), err)
	}
	return u, nil
}

func (s *Store) GetUserBySub(ctx context.Context, poolID, sub string) (storage.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, users.selectSQL("")+" WHERE pool_id = $1 AND sub = $2", poolID, sub))
	if err != nil {
		return storage.User{}, dbErr(fmt.Sprintf("get user by sub %q", sub), err)
	}
	return u, nil
}

// foldIndexed are the attributes with an index on lower(value); a query on
// them names the attribute literally so the planner can use it.
var foldIndexed = map[string]string{
	"email":              "lower(attributes ->> 'email') = lower($2)",
	"phone_number":       "lower(attributes ->> 'phone_number') = lower($2)",
	"preferred_username": "lower(attributes ->> 'preferred_username') = lower($2)",
}

// FindUsersByAttribute compares with lower() on both sides when fold is set,
// and by jsonb containment (GIN-indexed) otherwise. Users without the
// attribute never match.
func (s *Store) FindUsersByAttribute(ctx context.Context, poolID, name, value string, fold bool) ([]storage.User, error) {
	op := fmt.Sprintf("find users by %q", name)
	sql := users.selectSQL("") + " WHERE pool_id = $1 AND "
	const order = " ORDER BY username_key"
	switch cond, ok := foldIndexed[name]; {
	case !fold:
		return list(ctx, s, op, scanUser, sql+"attributes @> jsonb_build_object($2::text, $3::text)"+order, poolID, name, value)
	case ok:
		return list(ctx, s, op, scanUser, sql+cond+order, poolID, value)
	default:
		return list(ctx, s, op, scanUser, sql+"lower(attributes ->> $2::text) = lower($3)"+order, poolID, name, value)
	}
}

func (s *Store) ListUsers(ctx context.Context, poolID string) ([]storage.User, error) {
	return list(ctx, s, "list users", scanUser, users.selectSQL("")+" WHERE pool_id = $1 ORDER BY username_key", poolID)
}

// UpdateUser runs fn on the locked user; PoolID and UsernameKey cannot
// change. A new Sub must be free in the pool (ErrAlreadyExists otherwise).
func (s *Store) UpdateUser(ctx context.Context, poolID, usernameKey string, fn func(*storage.User) error) error {
	return updateRow(ctx, s, fmt.Sprintf("update user %q", usernameKey), users, []any{poolID, usernameKey},
		scanUser, userArgs, func(u *storage.User, orig storage.User) {
			u.PoolID, u.UsernameKey = orig.PoolID, orig.UsernameKey
		}, fn)
}

// DeleteUser deletes the user; its memberships go by foreign key.
func (s *Store) DeleteUser(ctx context.Context, poolID, usernameKey string) error {
	return s.exec(ctx, fmt.Sprintf("delete user %q", usernameKey), users.deleteSQL(), poolID, usernameKey)
}
