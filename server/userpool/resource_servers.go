package userpool

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// Patterns of the Cognito API model: an identifier is printable ASCII
// without '"' and '\'; a scope name also excludes '/', the separator in
// "<identifier>/<scope>".
var (
	resourceServerIDPattern = regexp.MustCompile(`^[\x21\x23-\x5B\x5D-\x7E]{1,256}$`)
	scopeNamePattern        = regexp.MustCompile(`^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$`)
	resourceServerName      = regexp.MustCompile(`^[\w\s+=,.@-]{1,256}$`)
)

const maxResourceServerScopes = 100

func errResourceServerNotFound(id string) error {
	return exception.Newf(exception.ResourceNotFound, "Resource server %s does not exist.", id)
}

// checkResourceServer validates identifier, name and scopes.
func checkResourceServer(rs storage.ResourceServer) error {
	if !resourceServerIDPattern.MatchString(rs.Identifier) {
		return mgmtInvalid("Invalid resource server identifier %q.", rs.Identifier)
	}
	if !resourceServerName.MatchString(rs.Name) {
		return mgmtInvalid("Invalid resource server name %q.", rs.Name)
	}
	if len(rs.Scopes) > maxResourceServerScopes {
		return mgmtInvalid("A resource server can have at most %d scopes.", maxResourceServerScopes)
	}
	seen := map[string]bool{}
	for _, sc := range rs.Scopes {
		if !scopeNamePattern.MatchString(sc.Name) {
			return mgmtInvalid("Invalid scope name %q.", sc.Name)
		}
		if sc.Description == "" || len(sc.Description) > 256 {
			return mgmtInvalid("Scope %s needs a description of 1 to 256 characters.", sc.Name)
		}
		if seen[sc.Name] {
			return mgmtInvalid("Duplicate scope name %s.", sc.Name)
		}
		seen[sc.Name] = true
	}
	return nil
}

// CreateResourceServer stores a resource server; its scopes become
// "<Identifier>/<ScopeName>".
func (s *Service) CreateResourceServer(ctx context.Context, rs storage.ResourceServer) (storage.ResourceServer, error) {
	if _, err := s.Pool(ctx, rs.PoolID); err != nil {
		return rs, err
	}
	if err := checkResourceServer(rs); err != nil {
		return rs, err
	}
	err := s.Store.CreateResourceServer(ctx, rs)
	if errors.Is(err, storage.ErrAlreadyExists) {
		return rs, mgmtInvalid("%s already exists in user pool %s.", rs.Identifier, rs.PoolID)
	}
	if err != nil {
		return rs, fmt.Errorf("create resource server: %w", err)
	}
	return rs, nil
}

// ResourceServer returns one resource server.
func (s *Service) ResourceServer(ctx context.Context, poolID, identifier string) (storage.ResourceServer, error) {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return storage.ResourceServer{}, err
	}
	rs, err := s.Store.GetResourceServer(ctx, poolID, identifier)
	if errors.Is(err, storage.ErrNotFound) {
		return rs, errResourceServerNotFound(identifier)
	}
	if err != nil {
		return rs, fmt.Errorf("get resource server: %w", err)
	}
	return rs, nil
}

// ListResourceServers returns the pool's resource servers.
func (s *Service) ListResourceServers(ctx context.Context, poolID string) ([]storage.ResourceServer, error) {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return nil, err
	}
	out, err := s.Store.ListResourceServers(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("list resource servers: %w", err)
	}
	return out, nil
}

// UpdateResourceServer replaces the name and the scopes (scopes not sent
// are removed, as in Cognito).
func (s *Service) UpdateResourceServer(ctx context.Context, rs storage.ResourceServer) (storage.ResourceServer, error) {
	if _, err := s.Pool(ctx, rs.PoolID); err != nil {
		return rs, err
	}
	if err := checkResourceServer(rs); err != nil {
		return rs, err
	}
	err := s.Store.UpdateResourceServer(ctx, rs.PoolID, rs.Identifier, func(cur *storage.ResourceServer) error {
		cur.Name, cur.Scopes = rs.Name, rs.Scopes
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return rs, errResourceServerNotFound(rs.Identifier)
	}
	if err != nil {
		return rs, fmt.Errorf("update resource server: %w", err)
	}
	return rs, nil
}

// DeleteResourceServer deletes the resource server.
func (s *Service) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return err
	}
	err := s.Store.DeleteResourceServer(ctx, poolID, identifier)
	if errors.Is(err, storage.ErrNotFound) {
		return errResourceServerNotFound(identifier)
	}
	if err != nil {
		return fmt.Errorf("delete resource server: %w", err)
	}
	return nil
}
