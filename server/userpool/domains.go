package userpool

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// DomainInput is CreateUserPoolDomain in Go terms.
type DomainInput struct {
	PoolID string
	Domain string
	// CertificateArn makes Domain a custom domain (a host name such as
	// auth.example.com); empty means a prefix domain.
	CertificateArn string
}

var (
	domainPrefixPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
	customDomainPattern = regexp.MustCompile(`^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
)

// domainMu serializes domain creation so that two pools cannot claim the
// same domain at once in this process. Storage has no domain index, so the
// uniqueness check is a scan; across replicas the window remains, which
// is acceptable for a management call made by hand or by a seed.
var domainMu sync.Mutex

// CreateDomain attaches a domain to the pool. locognito serves its hosted
// UI on its own listener, so the domain is only stored and echoed (spec §3).
// It returns the CloudFront distribution a custom domain would alias to.
func (s *Service) CreateDomain(ctx context.Context, in DomainInput) (string, error) {
	custom := in.CertificateArn != ""
	switch {
	case !custom && !domainPrefixPattern.MatchString(in.Domain):
		return "", mgmtInvalid("Domain %s is not a valid domain prefix: use lowercase letters, numbers and hyphens.", in.Domain)
	case custom && (len(in.Domain) > 253 || !customDomainPattern.MatchString(in.Domain)):
		return "", mgmtInvalid("Domain %s is not a valid custom domain.", in.Domain)
	}
	if !custom {
		for _, w := range []string{"aws", "amazon", "cognito"} {
			if strings.Contains(in.Domain, w) {
				return "", mgmtInvalid("Domain cannot contain reserved word: %s", w)
			}
		}
	}
	domainMu.Lock()
	defer domainMu.Unlock()
	if _, err := s.Pool(ctx, in.PoolID); err != nil {
		return "", err
	}
	owner, found, err := s.PoolByDomain(ctx, in.Domain)
	if err != nil {
		return "", err
	}
	if found && owner.ID != in.PoolID {
		return "", mgmtInvalid("Domain already associated with another user pool.")
	}
	err = s.Store.UpdatePool(ctx, in.PoolID, func(p *storage.Pool) error {
		if p.Domain != "" {
			return mgmtInvalid("User pool already has a domain configured.")
		}
		p.Domain = in.Domain
		if p.Extra == nil {
			p.Extra = map[string][]byte{}
		}
		if custom {
			cfg, err := json.Marshal(map[string]string{"CertificateArn": in.CertificateArn})
			if err != nil {
				return err
			}
			p.Extra[ExtraCustomDomainConfig] = cfg
		}
		p.LastModifiedAt = s.Clock.Now()
		return nil
	})
	var ex *exception.Error
	if errors.As(err, &ex) {
		return "", ex
	}
	if errors.Is(err, storage.ErrNotFound) {
		return "", exception.Newf(exception.ResourceNotFound, "User pool %s does not exist.", in.PoolID)
	}
	if err != nil {
		return "", fmt.Errorf("set pool domain: %w", err)
	}
	if custom {
		return CloudFrontDistribution(in.Domain), nil
	}
	return "", nil
}

// PoolByDomain finds the pool that owns a domain.
func (s *Service) PoolByDomain(ctx context.Context, domain string) (storage.Pool, bool, error) {
	if domain == "" {
		return storage.Pool{}, false, nil
	}
	pools, err := s.Store.ListPools(ctx)
	if err != nil {
		return storage.Pool{}, false, fmt.Errorf("list pools: %w", err)
	}
	for _, p := range pools {
		if p.Domain == domain {
			return p, true, nil
		}
	}
	return storage.Pool{}, false, nil
}

// DeleteDomain detaches the domain from its pool.
func (s *Service) DeleteDomain(ctx context.Context, poolID, domain string) error {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return err
	}
	err := s.Store.UpdatePool(ctx, poolID, func(p *storage.Pool) error {
		if p.Domain == "" || p.Domain != domain {
			return mgmtInvalid("No such domain or user pool exists.")
		}
		p.Domain = ""
		delete(p.Extra, ExtraCustomDomainConfig)
		p.LastModifiedAt = s.Clock.Now()
		return nil
	})
	var ex *exception.Error
	if errors.As(err, &ex) {
		return ex
	}
	if errors.Is(err, storage.ErrNotFound) {
		return exception.Newf(exception.ResourceNotFound, "User pool %s does not exist.", poolID)
	}
	if err != nil {
		return fmt.Errorf("clear pool domain: %w", err)
	}
	return nil
}

// IsCustomDomain reports whether the pool's domain is a custom domain.
func IsCustomDomain(p storage.Pool) bool {
	_, ok := p.Extra[ExtraCustomDomainConfig]
	return p.Domain != "" && ok
}

// CloudFrontDistribution is a stable, CloudFront-shaped host name for a
// domain: what a custom domain's DNS alias would point at.
func CloudFrontDistribution(domain string) string {
	sum := sha256.Sum256([]byte(domain))
	enc := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))
	return "d" + enc[:13] + ".cloudfront.net"
}
