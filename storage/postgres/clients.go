package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/locognito/locognito/storage"
)

var clients = table{
	name: "clients",
	key:  []string{"client_id"},
	cols: []string{"pool_id", "name", "secret", "created_at", "last_modified_at",
		"explicit_auth_flows", "access_token_validity", "id_token_validity",
		"refresh_token_validity", "auth_session_validity", "units_access", "units_id",
		"units_refresh", "read_attributes", "write_attributes", "prevent_user_existence_errors",
		"enable_token_revocation", "refresh_token_rotation", "rotation_grace_period",
		"allowed_oauth_flows", "allowed_oauth_scopes", "allowed_oauth_flows_user_pool_client",
		"callback_urls", "logout_urls", "default_redirect_uri", "supported_identity_providers",
		"require_pkce"},
}

func clientArgs(c storage.Client) []any {
	return []any{c.ClientID, c.PoolID, c.Name, c.Secret, tsArg(c.CreatedAt), tsArg(c.LastModifiedAt),
		jsonArg{c.ExplicitAuthFlows}, int64(c.AccessTokenValidity), int64(c.IDTokenValidity),
		int64(c.RefreshTokenValidity), int64(c.AuthSessionValidity), c.UnitsAccess, c.UnitsID,
		c.UnitsRefresh, jsonArg{c.ReadAttributes}, jsonArg{c.WriteAttributes}, c.PreventUserExistenceErrors,
		c.EnableTokenRevocation, c.RefreshTokenRotation, int64(c.RotationGracePeriod),
		jsonArg{c.AllowedOAuthFlows}, jsonArg{c.AllowedOAuthScopes}, c.AllowedOAuthFlowsUserPoolClient,
		jsonArg{c.CallbackURLs}, jsonArg{c.LogoutURLs}, c.DefaultRedirectURI,
		jsonArg{c.SupportedIdentityProviders}, c.RequirePKCE}
}

func scanClient(row pgx.Row) (storage.Client, error) {
	var (
		c                            storage.Client
		access, id, refresh, session int64
		grace                        int64
	)
	err := row.Scan(&c.ClientID, &c.PoolID, &c.Name, &c.Secret, timeCol{&c.CreatedAt}, timeCol{&c.LastModifiedAt},
		jsonCol{&c.ExplicitAuthFlows}, &access, &id, &refresh, &session, &c.UnitsAccess, &c.UnitsID,
		&c.UnitsRefresh, jsonCol{&c.ReadAttributes}, jsonCol{&c.WriteAttributes}, &c.PreventUserExistenceErrors,
		&c.EnableTokenRevocation, &c.RefreshTokenRotation, &grace,
		jsonCol{&c.AllowedOAuthFlows}, jsonCol{&c.AllowedOAuthScopes}, &c.AllowedOAuthFlowsUserPoolClient,
		jsonCol{&c.CallbackURLs}, jsonCol{&c.LogoutURLs}, &c.DefaultRedirectURI,
		jsonCol{&c.SupportedIdentityProviders}, &c.RequirePKCE)
	c.AccessTokenValidity = time.Duration(access)
	c.IDTokenValidity = time.Duration(id)
	c.RefreshTokenValidity = time.Duration(refresh)
	c.AuthSessionValidity = time.Duration(session)
	c.RotationGracePeriod = time.Duration(grace)
	return c, err
}

// CreateClient fails with ErrAlreadyExists when the ClientID is taken and
// with ErrNotFound when the pool does not exist.
func (s *Store) CreateClient(ctx context.Context, c storage.Client) error {
	if _, err := s.pool.Exec(ctx, clients.insertSQL(), clientArgs(c)...); err != nil {
		return dbErr(fmt.Sprintf("create client %q", c.ClientID), err)
	}
	return nil
}

func (s *Store) GetClient(ctx context.Context, clientID string) (storage.Client, error) {
	c, err := scanClient(s.pool.QueryRow(ctx, clients.selectSQL("")+" WHERE client_id = $1", clientID))
	if err != nil {
		return storage.Client{}, dbErr(fmt.Sprintf("get client %q", clientID), err)
	}
	return c, nil
}

func (s *Store) ListClients(ctx context.Context, poolID string) ([]storage.Client, error) {
	return list(ctx, s, "list clients", scanClient,
		clients.selectSQL("")+" WHERE pool_id = $1 ORDER BY client_id", poolID)
}

// UpdateClient runs fn on the locked client; ClientID and PoolID cannot
// change.
func (s *Store) UpdateClient(ctx context.Context, clientID string, fn func(*storage.Client) error) error {
	return updateRow(ctx, s, fmt.Sprintf("update client %q", clientID), clients, []any{clientID},
		scanClient, clientArgs, func(c *storage.Client, orig storage.Client) {
			c.ClientID, c.PoolID = orig.ClientID, orig.PoolID
		}, fn)
}

func (s *Store) DeleteClient(ctx context.Context, clientID string) error {
	return s.exec(ctx, fmt.Sprintf("delete client %q", clientID), clients.deleteSQL(), clientID)
}
