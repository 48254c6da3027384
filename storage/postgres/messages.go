package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/locognito/locognito/storage"
)

// Message columns, without seq (the insertion order).
const messageColumns = "pool_id, username, kind, destination, medium, attribute, code, created_at"

func scanMessage(row pgx.Row) (storage.Message, error) {
	var m storage.Message
	err := row.Scan(&m.PoolID, &m.Username, &m.Kind, &m.Destination, &m.Medium, &m.Attribute, &m.Code,
		timeCol{&m.CreatedAt})
	return m, err
}

// AddMessage fails with ErrNotFound when the pool does not exist.
func (s *Store) AddMessage(ctx context.Context, m storage.Message) error {
	_, err := s.pool.Exec(ctx, "INSERT INTO messages ("+messageColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		m.PoolID, m.Username, m.Kind, m.Destination, m.Medium, m.Attribute, m.Code, tsArg(m.CreatedAt))
	if err != nil {
		return dbErr("add message", err)
	}
	return nil
}

// ListMessages returns messages ordered by CreatedAt (unset first), ties in
// the order they were added. The username must match exactly.
func (s *Store) ListMessages(ctx context.Context, poolID, username string) ([]storage.Message, error) {
	const order = " ORDER BY created_at NULLS FIRST, seq"
	sql := "SELECT " + messageColumns + " FROM messages WHERE pool_id = $1"
	if username == "" {
		return list(ctx, s, "list messages", scanMessage, sql+order, poolID)
	}
	return list(ctx, s, "list messages", scanMessage, sql+" AND username = $2"+order, poolID, username)
}
