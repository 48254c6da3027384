package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/locognito/locognito/storage"
)

// Errors name no session ID: it is the hash of the cookie.

var sessions = table{
	name: "sessions",
	key:  []string{"id"},
	cols: []string{"pool_id", "username_key", "auth_time", "created_at", "expires_at"},
}

func sessionArgs(s storage.Session) []any {
	return []any{s.ID, s.PoolID, s.UsernameKey, tsArg(s.AuthTime), tsArg(s.CreatedAt), tsArg(s.ExpiresAt)}
}

func scanSession(row pgx.Row) (storage.Session, error) {
	var s storage.Session
	err := row.Scan(&s.ID, &s.PoolID, &s.UsernameKey, timeCol{&s.AuthTime}, timeCol{&s.CreatedAt}, timeCol{&s.ExpiresAt})
	return s, err
}

func (s *Store) CreateSession(ctx context.Context, sess storage.Session) error {
	if _, err := s.pool.Exec(ctx, sessions.insertSQL(), sessionArgs(sess)...); err != nil {
		return dbErr("create session", err)
	}
	return nil
}

func (s *Store) GetSession(ctx context.Context, id string) (storage.Session, error) {
	sess, err := scanSession(s.pool.QueryRow(ctx, sessions.selectSQL("")+" WHERE id = $1", id))
	if err != nil {
		return storage.Session{}, dbErr("get session", err)
	}
	return sess, nil
}

// UpdateSession runs fn on the locked session; ID and PoolID cannot change.
func (s *Store) UpdateSession(ctx context.Context, id string, fn func(*storage.Session) error) error {
	return updateRow(ctx, s, "update session", sessions, []any{id}, scanSession, sessionArgs,
		func(sess *storage.Session, orig storage.Session) { sess.ID, sess.PoolID = orig.ID, orig.PoolID }, fn)
}

func (s *Store) DeleteSession(ctx context.Context, id string) error {
	return s.exec(ctx, "delete session", sessions.deleteSQL(), id)
}
