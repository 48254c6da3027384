package userpool

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// ClientSettings are an app client's settings as CreateUserPoolClient and
// UpdateUserPoolClient take them. A zero member means Cognito's default:
// UpdateUserPoolClient replaces every setting, as real Cognito does.
type ClientSettings struct {
	// Name is required on create; on update empty keeps the name.
	Name              string
	ExplicitAuthFlows []string // nil/empty = DefaultExplicitAuthFlows

	// Lifetimes as numbers in their TokenValidityUnits (default hours for
	// access and ID tokens, days for refresh). nil / 0 = default.
	AccessTokenValidity  *int
	IDTokenValidity      *int
	RefreshTokenValidity int
	UnitsAccess          string
	UnitsID              string
	UnitsRefresh         string
	AuthSessionValidity  *int // minutes, 3-15; nil = 3

	ReadAttributes             []string // nil = unset (all)
	WriteAttributes            []string // nil = unset (all)
	PreventUserExistenceErrors string   // "" = LEGACY
	EnableTokenRevocation      *bool    // nil = true
	RefreshTokenRotation       string   // ENABLED | DISABLED | ""
	RotationGracePeriodSeconds int      // 0-60

	AllowedOAuthFlows               []string
	AllowedOAuthScopes              []string
	AllowedOAuthFlowsUserPoolClient bool
	CallbackURLs                    []string
	LogoutURLs                      []string
	DefaultRedirectURI              string
	SupportedIdentityProviders      []string
	// RequirePKCE is locognito's mandatory-PKCE option (spec §10.1); it has
	// no Cognito API member. nil keeps the current value (false on create).
	RequirePKCE *bool
}

// CreateClientInput is CreateUserPoolClient in Go terms.
type CreateClientInput struct {
	PoolID string
	// ClientID pins the client id (seed files); empty draws a random one.
	ClientID string
	// GenerateSecret draws a secret; ClientSecret supplies one. Not both.
	GenerateSecret bool
	ClientSecret   string
	ClientSettings
}

var (
	clientIDPattern     = regexp.MustCompile(`^[\w+]{1,128}$`)
	clientSecretPattern = regexp.MustCompile(`^[\w+]{24,64}$`)
)

// CreateClient validates in and stores the new app client.
func (s *Service) CreateClient(ctx context.Context, in CreateClientInput) (storage.Client, error) {
	p, err := s.Pool(ctx, in.PoolID)
	if err != nil {
		return storage.Client{}, err
	}
	if in.Name == "" {
		return storage.Client{}, mgmtInvalid("ClientName is required.")
	}
	if in.ClientID != "" && !clientIDPattern.MatchString(in.ClientID) {
		return storage.Client{}, mgmtInvalid("Invalid client id %s.", in.ClientID)
	}
	c := storage.Client{ClientID: in.ClientID, PoolID: p.ID}
	switch {
	case in.GenerateSecret && in.ClientSecret != "":
		return storage.Client{}, mgmtInvalid("ClientSecret can not be specified when GenerateSecret is true.")
	case in.ClientSecret != "":
		if !clientSecretPattern.MatchString(in.ClientSecret) {
			return storage.Client{}, mgmtInvalid("ClientSecret must be 24 to 64 characters of letters, digits, _ and +.")
		}
		c.Secret = in.ClientSecret
	case in.GenerateSecret:
		c.Secret = ids.ClientSecret()
	}
	if c, err = s.validatedClient(ctx, p, c, in.ClientSettings, "creating"); err != nil {
		return storage.Client{}, err
	}
	now := s.Clock.Now()
	c.CreatedAt, c.LastModifiedAt = now, now
	pinned := c.ClientID != ""
	for attempt := 0; ; attempt++ {
		if !pinned {
			c.ClientID = ids.ClientID()
		}
		err := s.Store.CreateClient(ctx, c)
		switch {
		case err == nil:
			return c, nil
		case errors.Is(err, storage.ErrAlreadyExists) && pinned:
			return storage.Client{}, mgmtInvalid("User pool client %s already exists.", c.ClientID)
		case errors.Is(err, storage.ErrAlreadyExists) && attempt < 3:
			continue
		case errors.Is(err, storage.ErrNotFound):
			return storage.Client{}, exception.Newf(exception.ResourceNotFound, "User pool %s does not exist.", p.ID)
		default:
			return storage.Client{}, fmt.Errorf("create client: %w", err)
		}
	}
}

// UpdateClient replaces the client's settings with in; settings in does not
// carry return to their defaults. The id and secret never change.
func (s *Service) UpdateClient(ctx context.Context, poolID, clientID string, in ClientSettings) (storage.Client, error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return storage.Client{}, err
	}
	cur, err := s.Client(ctx, poolID, clientID)
	if err != nil {
		return storage.Client{}, err
	}
	// Validate outside the storage update: it reads resource servers.
	next, err := s.validatedClient(ctx, p, cur, in, "updating")
	if err != nil {
		return storage.Client{}, err
	}
	next.LastModifiedAt = s.Clock.Now()
	var out storage.Client
	err = s.Store.UpdateClient(ctx, clientID, func(c *storage.Client) error {
		if c.PoolID != poolID {
			return storage.ErrNotFound
		}
		// Keep what only other paths change; take every setting from next.
		next.ClientID, next.PoolID, next.Secret, next.CreatedAt = c.ClientID, c.PoolID, c.Secret, c.CreatedAt
		*c = next
		out = next
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Client{}, exception.Newf(exception.ResourceNotFound, "User pool client %s does not exist.", clientID)
	}
	if err != nil {
		return storage.Client{}, fmt.Errorf("update client: %w", err)
	}
	return out, nil
}

// DeleteClient deletes the app client.
func (s *Service) DeleteClient(ctx context.Context, poolID, clientID string) error {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return err
	}
	if _, err := s.Client(ctx, poolID, clientID); err != nil {
		return err
	}
	err := s.Store.DeleteClient(ctx, clientID)
	if errors.Is(err, storage.ErrNotFound) {
		return exception.Newf(exception.ResourceNotFound, "User pool client %s does not exist.", clientID)
	}
	if err != nil {
		return fmt.Errorf("delete client: %w", err)
	}
	return nil
}

// ListClients returns the pool's clients ordered by id.
func (s *Service) ListClients(ctx context.Context, poolID string) ([]storage.Client, error) {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return nil, err
	}
	cs, err := s.Store.ListClients(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("list clients: %w", err)
	}
	return cs, nil
}
