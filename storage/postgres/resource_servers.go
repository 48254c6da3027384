package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/locognito/locognito/storage"
)

var resourceServers = table{
	name: "resource_servers",
	key:  []string{"pool_id", "identifier"},
	cols: []string{"name", "scopes"},
}

func resourceServerArgs(r storage.ResourceServer) []any {
	return []any{r.PoolID, r.Identifier, r.Name, jsonArg{r.Scopes}}
}

func scanResourceServer(row pgx.Row) (storage.ResourceServer, error) {
	var r storage.ResourceServer
	err := row.Scan(&r.PoolID, &r.Identifier, &r.Name, jsonCol{&r.Scopes})
	return r, err
}

func (s *Store) CreateResourceServer(ctx context.Context, r storage.ResourceServer) error {
	if _, err := s.pool.Exec(ctx, resourceServers.insertSQL(), resourceServerArgs(r)...); err != nil {
		return dbErr(fmt.Sprintf("create resource server %q", r.Identifier), err)
	}
	return nil
}

func (s *Store) GetResourceServer(ctx context.Context, poolID, identifier string) (storage.ResourceServer, error) {
	r, err := scanResourceServer(s.pool.QueryRow(ctx,
		resourceServers.selectSQL("")+" WHERE "+resourceServers.whereKey(), poolID, identifier))
	if err != nil {
		return storage.ResourceServer{}, dbErr(fmt.Sprintf("get resource server %q", identifier), err)
	}
	return r, nil
}

// ListResourceServers returns the pool's resource servers ordered by
// Identifier.
func (s *Store) ListResourceServers(ctx context.Context, poolID string) ([]storage.ResourceServer, error) {
	return list(ctx, s, "list resource servers", scanResourceServer,
		resourceServers.selectSQL("")+" WHERE pool_id = $1 ORDER BY identifier", poolID)
}

// UpdateResourceServer runs fn on the locked row; PoolID and Identifier
// cannot change.
func (s *Store) UpdateResourceServer(ctx context.Context, poolID, identifier string, fn func(*storage.ResourceServer) error) error {
	return updateRow(ctx, s, fmt.Sprintf("update resource server %q", identifier), resourceServers,
		[]any{poolID, identifier}, scanResourceServer, resourceServerArgs,
		func(r *storage.ResourceServer, orig storage.ResourceServer) {
			r.PoolID, r.Identifier = orig.PoolID, orig.Identifier
		}, fn)
}

func (s *Store) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	return s.exec(ctx, fmt.Sprintf("delete resource server %q", identifier),
		resourceServers.deleteSQL(), poolID, identifier)
}
