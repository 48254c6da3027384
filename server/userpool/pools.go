package userpool

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// PoolSettings are the pool settings that UpdateUserPool may change. A zero
// member means "Cognito's default": UpdateUserPool replaces every setting,
// as real Cognito does.
type PoolSettings struct {
	// Name is required on create; on update empty keeps the name.
	Name string
	// PasswordPolicy nil means DefaultPasswordPolicy. A MinimumLength of 0
	// means 8 and a TemporaryPasswordValidityDays of 0 means 7.
	PasswordPolicy     *storage.PasswordPolicy
	AutoVerified       []string // email, phone_number
	AdminCreateOnly    bool
	UnusedAccountDays  int    // 0 = 7
	MfaConfiguration   string // "" = OFF
	DeletionProtection string // "" = INACTIVE
	// Extra holds echo-only members as JSON by member name; only the keys
	// in UpdatableExtras are taken. A missing key gets its default.
	Extra map[string][]byte
}

// CreatePoolInput is CreateUserPool in Go terms.
type CreatePoolInput struct {
	// ID pins the pool id (seed files); empty draws a random one in the
	// service's region.
	ID string
	PoolSettings
	UsernameAttrs []string // email, phone_number
	AliasAttrs    []string // email, phone_number, preferred_username
	CaseSensitive *bool    // nil = true (the API default)
	Schema        []SchemaAttributeInput
}

// SchemaAttributeInput is one Schema entry of CreateUserPool: a change to a
// standard attribute, or a custom attribute (Name without "custom:").
type SchemaAttributeInput struct {
	Name              string
	AttributeDataType string // "" = String for custom attributes
	Mutable           *bool  // nil = true
	Required          *bool  // nil = false
	DeveloperOnly     bool
	MinLength         *int
	MaxLength         *int
	MinValue          *int
	MaxValue          *int
}

// poolIDPattern is the form aws-jwt-verify accepts (spec §2).
var poolIDPattern = regexp.MustCompile(`^[a-z]{2}-(gov-)?[a-z]+-\d_[a-zA-Z0-9]+$`)

// poolNamePattern is PoolName's pattern in the Cognito API model.
var poolNamePattern = regexp.MustCompile(`^[\w\s+=,.@-]+$`)

func mgmtInvalid(format string, args ...any) error {
	return exception.Newf(exception.InvalidParameter, format, args...)
}

// CreatePool validates in, stores the pool with Cognito's defaults filled in
// and creates its signing keys, so that its JWKS exists at once.
func (s *Service) CreatePool(ctx context.Context, in CreatePoolInput) (storage.Pool, error) {
	if in.ID != "" && !poolIDPattern.MatchString(in.ID) {
		return storage.Pool{}, mgmtInvalid("Invalid user pool id %s.", in.ID)
	}
	if in.Name == "" {
		return storage.Pool{}, mgmtInvalid("PoolName is required.")
	}
	now := s.Clock.Now()
	p := storage.Pool{
		ID:             in.ID,
		Region:         s.Region,
		CreatedAt:      now,
		LastModifiedAt: now,
		CaseSensitive:  in.CaseSensitive == nil || *in.CaseSensitive,
	}
	if err := applyPoolSettings(&p, in.PoolSettings); err != nil {
		return storage.Pool{}, err
	}
	if err := checkSignInAttributes(in.UsernameAttrs, in.AliasAttrs); err != nil {
		return storage.Pool{}, err
	}
	p.UsernameAttrs = slices.Clone(in.UsernameAttrs)
	p.AliasAttrs = slices.Clone(in.AliasAttrs)
	schema, err := buildSchema(in.Schema)
	if err != nil {
		return storage.Pool{}, err
	}
	p.Schema = schema
	if in.CaseSensitive != nil {
		p.Extra[ExtraUsernameConfiguration] = []byte(fmt.Sprintf(`{"CaseSensitive":%t}`, p.CaseSensitive))
	}
	if p.Region == "" {
		p.Region = "us-east-1"
	}
	if err := s.storeNewPool(ctx, &p); err != nil {
		return storage.Pool{}, err
	}
	if s.Keys != nil {
		if err := s.Keys.Ensure(ctx, p.ID); err != nil {
			// A pool without keys cannot sign tokens: undo the create.
			if delErr := s.Store.DeletePool(ctx, p.ID); delErr != nil {
				s.log().Error("roll back pool without keys", "pool_id", p.ID, "err", delErr)
			}
			return storage.Pool{}, fmt.Errorf("create keys for pool %s: %w", p.ID, err)
		}
	}
	return p, nil
}

// storeNewPool writes p, drawing a fresh random id on the (unlikely)
// collision of a random one. A pinned id that exists is an error.
func (s *Service) storeNewPool(ctx context.Context, p *storage.Pool) error {
	pinned := p.ID != ""
	for attempt := 0; ; attempt++ {
		if !pinned {
			p.ID = ids.PoolID(p.Region)
		} else {
			p.Region, _, _ = strings.Cut(p.ID, "_")
		}
		err := s.Store.CreatePool(ctx, *p)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, storage.ErrAlreadyExists) && pinned:
			return mgmtInvalid("User pool %s already exists.", p.ID)
		case errors.Is(err, storage.ErrAlreadyExists) && attempt < 3:
			continue
		default:
			return fmt.Errorf("create pool: %w", err)
		}
	}
}

// UpdatePool replaces the pool's updatable settings with in; settings in
// does not carry return to their defaults. Sign-in attributes, case
// sensitivity, the schema and the domain are kept.
func (s *Service) UpdatePool(ctx context.Context, poolID string, in PoolSettings) (storage.Pool, error) {
	if _, err := s.Pool(ctx, poolID); err != nil {
		return storage.Pool{}, err
	}
	var check storage.Pool
	if err := applyPoolSettings(&check, in); err != nil {
		return storage.Pool{}, err
	}
	var out storage.Pool
	err := s.Store.UpdatePool(ctx, poolID, func(p *storage.Pool) error {
		kept := map[string][]byte{}
		for _, k := range []string{ExtraUsernameConfiguration, ExtraCustomDomainConfig} {
			if v, ok := p.Extra[k]; ok {
				kept[k] = v
			}
		}
		name := p.Name
		if err := applyPoolSettings(p, in); err != nil {
			return err
		}
		if in.Name == "" {
			p.Name = name
		}
		for k, v := range kept {
			p.Extra[k] = v
		}
		p.LastModifiedAt = s.Clock.Now()
		out = *p
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Pool{}, exception.Newf(exception.ResourceNotFound, "User pool %s does not exist.", poolID)
	}
	if err != nil {
		return storage.Pool{}, fmt.Errorf("update pool: %w", err)
	}
	return out, nil
}

// DeletePool deletes the pool and everything in it. Cognito refuses while
// deletion protection is on or a domain is still attached.
func (s *Service) DeletePool(ctx context.Context, poolID string) error {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return err
	}
	if p.DeletionProtection == "ACTIVE" {
		return mgmtInvalid("The user pool %s has deletion protection activated. Deactivate deletion protection before you delete the user pool.", poolID)
	}
	if p.Domain != "" {
		return mgmtInvalid("User pool cannot be deleted. It has a domain configured that should be deleted first.")
	}
	if err := s.Store.DeletePool(ctx, poolID); errors.Is(err, storage.ErrNotFound) {
		return exception.Newf(exception.ResourceNotFound, "User pool %s does not exist.", poolID)
	} else if err != nil {
		return fmt.Errorf("delete pool: %w", err)
	}
	return nil
}

// ListPools returns every pool ordered by id.
func (s *Service) ListPools(ctx context.Context) ([]storage.Pool, error) {
	pools, err := s.Store.ListPools(ctx)
	if err != nil {
		return nil, fmt.Errorf("list pools: %w", err)
	}
	return pools, nil
}

// EstimatedNumberOfUsers counts the pool's users (DescribeUserPool).
func (s *Service) EstimatedNumberOfUsers(ctx context.Context, poolID string) (int, error) {
	users, err := s.Store.ListUsers(ctx, poolID)
	if err != nil {
		return 0, fmt.Errorf("list users: %w", err)
	}
	return len(users), nil
}

// applyPoolSettings validates in and writes it over p's updatable settings.
func applyPoolSettings(p *storage.Pool, in PoolSettings) error {
	if in.Name != "" {
		if len(in.Name) > 128 || !poolNamePattern.MatchString(in.Name) {
			return mgmtInvalid("Invalid pool name %q.", in.Name)
		}
		p.Name = in.Name
	}
	pp := DefaultPasswordPolicy()
	if in.PasswordPolicy != nil {
		pp = *in.PasswordPolicy
		if pp.MinimumLength == 0 {
			pp.MinimumLength = 8
		}
		if pp.TemporaryPasswordValidityDays == 0 {
			pp.TemporaryPasswordValidityDays = 7
		}
	}
	if pp.MinimumLength < 6 || pp.MinimumLength > 99 {
		return mgmtInvalid("Password policy minimum length must be between 6 and 99.")
	}
	if pp.TemporaryPasswordValidityDays < 0 || pp.TemporaryPasswordValidityDays > 365 {
		return mgmtInvalid("Temporary password validity must be between 0 and 365 days.")
	}
	p.PasswordPolicy = pp
	for _, a := range in.AutoVerified {
		if a != "email" && a != "phone_number" {
			return mgmtInvalid("Invalid auto-verified attribute %s.", a)
		}
	}
	p.AutoVerified = slices.Clone(in.AutoVerified)
	p.AdminCreateOnly = in.AdminCreateOnly
	p.UnusedAccountDays = in.UnusedAccountDays
	if p.UnusedAccountDays == 0 {
		p.UnusedAccountDays = DefaultUnusedAccountDays
	}
	if p.UnusedAccountDays < 0 || p.UnusedAccountDays > 365 {
		return mgmtInvalid("Unused account validity must be between 0 and 365 days.")
	}
	p.MfaConfiguration = cmp.Or(in.MfaConfiguration, DefaultMfaConfiguration)
	if !slices.Contains([]string{"OFF", "ON", "OPTIONAL"}, p.MfaConfiguration) {
		return mgmtInvalid("Invalid MfaConfiguration %s.", p.MfaConfiguration)
	}
	p.DeletionProtection = cmp.Or(in.DeletionProtection, DefaultDeletionProtection)
	if p.DeletionProtection != "ACTIVE" && p.DeletionProtection != "INACTIVE" {
		return mgmtInvalid("Invalid DeletionProtection %s.", p.DeletionProtection)
	}
	p.Extra = map[string][]byte{}
	for k, v := range defaultExtras {
		p.Extra[k] = []byte(v)
	}
	for _, k := range UpdatableExtras {
		if v, ok := in.Extra[k]; ok && len(v) > 0 {
			p.Extra[k] = slices.Clone(v)
		}
	}
	return nil
}

// checkSignInAttributes enforces UsernameAttributes / AliasAttributes
// (spec §11.3): known values, no repeats, and not both at once.
func checkSignInAttributes(username, alias []string) error {
	if len(username) > 0 && len(alias) > 0 {
		return mgmtInvalid("Only one of the following can be specified: usernameAttributes, aliasAttributes")
	}
	seen := map[string]bool{}
	for _, a := range username {
		if (a != "email" && a != "phone_number") || seen[a] {
			return mgmtInvalid("Invalid username attribute %s.", a)
		}
		seen[a] = true
	}
	for _, a := range alias {
		if (a != "email" && a != "phone_number" && a != "preferred_username") || seen[a] {
			return mgmtInvalid("Invalid alias attribute %s.", a)
		}
		seen[a] = true
	}
	return nil
}

// maxCustomAttributes is Cognito's limit per pool (spec §11.3).
const maxCustomAttributes = 50

// customNamePattern is a custom attribute name (without "custom:").
var customNamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,20}$`)

// buildSchema returns the standard schema with in applied: changes to
// standard attributes, then the custom attributes in the order given.
func buildSchema(in []SchemaAttributeInput) ([]storage.SchemaAttribute, error) {
	schema := StandardSchema()
	seen := map[string]bool{}
	custom := 0
	for _, a := range in {
		name := strings.TrimPrefix(a.Name, "custom:")
		if seen[name] {
			return nil, mgmtInvalid("Duplicate attribute name %s.", name)
		}
		seen[name] = true
		if IsStandardAttribute(name) {
			i := slices.IndexFunc(schema, func(s storage.SchemaAttribute) bool { return s.Name == name })
			if err := changeStandardAttribute(&schema[i], a); err != nil {
				return nil, err
			}
			continue
		}
		if custom++; custom > maxCustomAttributes {
			return nil, mgmtInvalid("A user pool can have at most %d custom attributes.", maxCustomAttributes)
		}
		attr, err := customAttribute(name, a)
		if err != nil {
			return nil, err
		}
		schema = append(schema, attr)
	}
	return schema, nil
}

// changeStandardAttribute applies a Schema entry naming a standard
// attribute: it may make it required or immutable and narrow a string's
// length, but not change its type or make it developer-only.
func changeStandardAttribute(s *storage.SchemaAttribute, a SchemaAttributeInput) error {
	if s.Name == "sub" {
		return mgmtInvalid("The attribute sub cannot be modified.")
	}
	if a.AttributeDataType != "" && a.AttributeDataType != s.AttributeDataType {
		return mgmtInvalid("Invalid AttributeDataType input for standard attribute %s, it must be %s.", s.Name, s.AttributeDataType)
	}
	if a.DeveloperOnly {
		return mgmtInvalid("Standard attribute %s cannot be developer-only.", s.Name)
	}
	if a.Mutable != nil {
		s.Mutable = *a.Mutable
	}
	if a.Required != nil {
		s.Required = *a.Required
	}
	if s.AttributeDataType == "String" {
		if a.MinLength != nil {
			s.MinLength = a.MinLength
		}
		if a.MaxLength != nil {
			s.MaxLength = a.MaxLength
		}
	}
	return checkSchemaConstraints(*s)
}

// customAttribute builds a custom attribute; its name gains "custom:".
func customAttribute(name string, a SchemaAttributeInput) (storage.SchemaAttribute, error) {
	if !customNamePattern.MatchString(name) {
		return storage.SchemaAttribute{}, mgmtInvalid("Invalid custom attribute name %s: it must be 1 to 20 characters.", name)
	}
	if a.Required != nil && *a.Required {
		return storage.SchemaAttribute{}, mgmtInvalid("Required custom attributes are not supported currently.")
	}
	attr := storage.SchemaAttribute{
		Name:              "custom:" + name,
		AttributeDataType: cmp.Or(a.AttributeDataType, "String"),
		Mutable:           a.Mutable == nil || *a.Mutable,
		DeveloperOnly:     a.DeveloperOnly,
	}
	switch attr.AttributeDataType {
	case "String":
		attr.MinLength, attr.MaxLength = a.MinLength, a.MaxLength
	case "Number":
		attr.MinValue, attr.MaxValue = a.MinValue, a.MaxValue
	case "DateTime", "Boolean":
	default:
		return storage.SchemaAttribute{}, mgmtInvalid("Invalid AttributeDataType %s.", attr.AttributeDataType)
	}
	return attr, checkSchemaConstraints(attr)
}

// checkSchemaConstraints checks string lengths (0-2048) and number bounds.
func checkSchemaConstraints(a storage.SchemaAttribute) error {
	for _, l := range []*int{a.MinLength, a.MaxLength} {
		if l != nil && (*l < 0 || *l > 2048) {
			return mgmtInvalid("String attribute %s length constraints must be between 0 and 2048.", a.Name)
		}
	}
	if a.MinLength != nil && a.MaxLength != nil && *a.MinLength > *a.MaxLength {
		return mgmtInvalid("String attribute %s has MinLength greater than MaxLength.", a.Name)
	}
	if a.MinValue != nil && a.MaxValue != nil && *a.MinValue > *a.MaxValue {
		return mgmtInvalid("Number attribute %s has MinValue greater than MaxValue.", a.Name)
	}
	return nil
}
