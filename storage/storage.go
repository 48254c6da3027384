package storage

import (
	"context"
	"time"
)

// Storage is the full backend: every aggregate plus lifecycle.
type Storage interface {
	Pools
	Clients
	Users
	Groups
	ResourceServers
	RefreshTokens
	Revocations
	Grants
	Sessions
	Keys
	Messages

	// Ping reports whether the backend is reachable (GET /health).
	Ping(ctx context.Context) error
	// Close releases connections.
	Close() error
}

// Pools stores user pools. DeletePool removes the pool and everything in it
// (clients, users, groups, resource servers, tokens, grants, sessions, keys,
// messages).
type Pools interface {
	CreatePool(ctx context.Context, p Pool) error
	GetPool(ctx context.Context, id string) (Pool, error)
	// ListPools returns all pools ordered by ID.
	ListPools(ctx context.Context) ([]Pool, error)
	UpdatePool(ctx context.Context, id string, fn func(*Pool) error) error
	DeletePool(ctx context.Context, id string) error
}

// Clients stores app clients. Client IDs are globally unique, so the pool of
// a request is found through its client_id.
type Clients interface {
	CreateClient(ctx context.Context, c Client) error
	GetClient(ctx context.Context, clientID string) (Client, error)
	// ListClients returns the pool's clients ordered by ClientID.
	ListClients(ctx context.Context, poolID string) ([]Client, error)
	UpdateClient(ctx context.Context, clientID string, fn func(*Client) error) error
	DeleteClient(ctx context.Context, clientID string) error
}

// Users stores users keyed by (PoolID, UsernameKey); Sub is unique per pool too.
type Users interface {
	// CreateUser fails with ErrAlreadyExists when UsernameKey or Sub is taken.
	CreateUser(ctx context.Context, u User) error
	GetUser(ctx context.Context, poolID, usernameKey string) (User, error)
	GetUserBySub(ctx context.Context, poolID, sub string) (User, error)
	// FindUsersByAttribute returns the users whose attribute name equals
	// value; with fold the comparison ignores case (case-insensitive pools).
	FindUsersByAttribute(ctx context.Context, poolID, name, value string, fold bool) ([]User, error)
	// ListUsers returns the pool's users ordered by UsernameKey.
	ListUsers(ctx context.Context, poolID string) ([]User, error)
	UpdateUser(ctx context.Context, poolID, usernameKey string, fn func(*User) error) error
	// DeleteUser also removes the user's group memberships.
	DeleteUser(ctx context.Context, poolID, usernameKey string) error
}

// Groups stores groups and memberships. Memberships are keyed by the user's
// UsernameKey (usernames are immutable).
type Groups interface {
	CreateGroup(ctx context.Context, g Group) error
	GetGroup(ctx context.Context, poolID, name string) (Group, error)
	// ListGroups returns the pool's groups ordered by Name.
	ListGroups(ctx context.Context, poolID string) ([]Group, error)
	UpdateGroup(ctx context.Context, poolID, name string, fn func(*Group) error) error
	// DeleteGroup also removes its memberships.
	DeleteGroup(ctx context.Context, poolID, name string) error
	// AddUserToGroup and RemoveUserFromGroup are idempotent; the group must exist.
	AddUserToGroup(ctx context.Context, poolID, groupName, usernameKey string) error
	RemoveUserFromGroup(ctx context.Context, poolID, groupName, usernameKey string) error
	// ListGroupsForUser returns the user's groups ordered by Name.
	ListGroupsForUser(ctx context.Context, poolID, usernameKey string) ([]Group, error)
	// ListUsersInGroup returns member UsernameKeys in order.
	ListUsersInGroup(ctx context.Context, poolID, groupName string) ([]string, error)
}

// ResourceServers stores OAuth resource servers (custom scopes).
type ResourceServers interface {
	CreateResourceServer(ctx context.Context, r ResourceServer) error
	GetResourceServer(ctx context.Context, poolID, identifier string) (ResourceServer, error)
	ListResourceServers(ctx context.Context, poolID string) ([]ResourceServer, error)
	UpdateResourceServer(ctx context.Context, poolID, identifier string, fn func(*ResourceServer) error) error
	DeleteResourceServer(ctx context.Context, poolID, identifier string) error
}

// RefreshTokens stores refresh tokens by the SHA-256 of the token (never the
// token itself).
type RefreshTokens interface {
	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	GetRefreshToken(ctx context.Context, hash string) (RefreshToken, error)
	UpdateRefreshToken(ctx context.Context, hash string, fn func(*RefreshToken) error) error
	// DeleteExpiredRefreshTokens removes tokens with ExpiresAt before t.
	DeleteExpiredRefreshTokens(ctx context.Context, before time.Time) (int, error)
}

// Revocations is the revoked-origin_jti set: every token of a revoked refresh
// family is refused by the API and userInfo (spec §5.6).
type Revocations interface {
	// RevokeOrigin is idempotent. The record may be dropped after ExpiresAt.
	RevokeOrigin(ctx context.Context, r Revocation) error
	IsOriginRevoked(ctx context.Context, poolID, originJTI string) (bool, error)
}

// Grants stores short-lived single-use records: authorization codes, PKCE and
// OIDC sessions, access-token records, NEW_PASSWORD_REQUIRED sessions and SRP
// state. Data is opaque to storage.
type Grants interface {
	CreateGrant(ctx context.Context, g Grant) error
	// GetGrant returns the grant even when consumed (check Consumed).
	GetGrant(ctx context.Context, kind, id string) (Grant, error)
	// ConsumeGrant atomically marks an unconsumed grant consumed and returns it
	// as it was before; a second call gets ErrConflict, an unknown id ErrNotFound.
	ConsumeGrant(ctx context.Context, kind, id string) (Grant, error)
	DeleteGrant(ctx context.Context, kind, id string) error
	// DeleteExpiredGrants removes grants with ExpiresAt before t.
	DeleteExpiredGrants(ctx context.Context, before time.Time) (int, error)
}

// Sessions stores hosted-UI login sessions by the SHA-256 of the cookie value.
type Sessions interface {
	CreateSession(ctx context.Context, s Session) error
	GetSession(ctx context.Context, id string) (Session, error)
	UpdateSession(ctx context.Context, id string, fn func(*Session) error) error
	DeleteSession(ctx context.Context, id string) error
}

// Keys stores each pool's signing keys as one KeySet, updated atomically so
// that two replicas agree on which key is active and rotate only once.
type Keys interface {
	// GetKeySet returns ErrNotFound when the pool has no keys yet.
	GetKeySet(ctx context.Context, poolID string) (KeySet, error)
	// UpdateKeySet runs fn on the current set (an empty KeySet with PoolID set
	// when none exists) under a lock/transaction and stores the result. If fn
	// returns ErrNoChange nothing is written and UpdateKeySet returns nil.
	UpdateKeySet(ctx context.Context, poolID string, fn func(*KeySet) error) error
}

// Messages is the outbox of codes and temporary passwords that real Cognito
// would e-mail or text (spec §7.2: locognito exposes them to tests).
type Messages interface {
	AddMessage(ctx context.Context, m Message) error
	// ListMessages returns the messages for the user (all users when
	// username is empty), oldest first.
	ListMessages(ctx context.Context, poolID, username string) ([]Message, error)
}
