package userpool

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// Explicit auth flows (spec §7.1). The legacy values cannot be mixed with
// the ALLOW_ ones.
var (
	allowAuthFlows  = []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"}
	legacyAuthFlows = []string{"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"}
	// DefaultExplicitAuthFlows are a client's flows when none are given.
	DefaultExplicitAuthFlows = []string{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"}
)

// ReservedScopes are the OAuth scopes every pool knows (spec §10).
var ReservedScopes = []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}

// validity describes one token lifetime setting (spec §5.4).
type validity struct {
	min, max, def time.Duration
	defUnit       string
}

var (
	accessValidity  = validity{5 * time.Minute, 24 * time.Hour, time.Hour, "hours"}
	refreshValidity = validity{time.Hour, 3650 * 24 * time.Hour, 30 * 24 * time.Hour, "days"}
)

// TimeUnit returns the duration of one TokenValidityUnits unit.
func TimeUnit(unit string) (time.Duration, bool) {
	switch unit {
	case "seconds":
		return time.Second, true
	case "minutes":
		return time.Minute, true
	case "hours":
		return time.Hour, true
	case "days":
		return 24 * time.Hour, true
	}
	return 0, false
}

// resolve turns a value and unit into a duration and the unit to echo. A
// nil value is the default lifetime; the unit is echoed only if a value or
// a unit was given.
func (v validity) resolve(value *int, unit string) (time.Duration, string, error) {
	if value == nil {
		if unit != "" {
			if _, ok := TimeUnit(unit); !ok {
				return 0, "", mgmtInvalid("Invalid TokenValidityUnits %s.", unit)
			}
		}
		return v.def, unit, nil
	}
	unit = cmp.Or(unit, v.defUnit)
	per, ok := TimeUnit(unit)
	if !ok {
		return 0, "", mgmtInvalid("Invalid TokenValidityUnits %s.", unit)
	}
	d := time.Duration(*value) * per
	if *value < 0 || *value > int(v.max/per) || d < v.min || d > v.max {
		return 0, "", mgmtInvalid("Invalid range for token validity.")
	}
	return d, unit, nil
}

// validatedClient checks in against the pool and returns c with the
// settings applied. c.Secret must already be final: client_credentials
// needs it. It reads resource servers, so call it outside storage updates.
func (s *Service) validatedClient(ctx context.Context, p storage.Pool, c storage.Client, in ClientSettings, op string) (storage.Client, error) {
	if in.Name != "" {
		if len(in.Name) > 128 || !poolNamePattern.MatchString(in.Name) {
			return c, mgmtInvalid("Invalid client name %q.", in.Name)
		}
		c.Name = in.Name
	}
	flows, err := checkExplicitAuthFlows(in.ExplicitAuthFlows)
	if err != nil {
		return c, err
	}
	c.ExplicitAuthFlows = flows

	if c.AccessTokenValidity, c.UnitsAccess, err = accessValidity.resolve(in.AccessTokenValidity, in.UnitsAccess); err != nil {
		return c, err
	}
	if c.IDTokenValidity, c.UnitsID, err = accessValidity.resolve(in.IDTokenValidity, in.UnitsID); err != nil {
		return c, err
	}
	var refresh *int
	if in.RefreshTokenValidity != 0 { // 0 means the default, 30 days
		refresh = &in.RefreshTokenValidity
	}
	if c.RefreshTokenValidity, c.UnitsRefresh, err = refreshValidity.resolve(refresh, in.UnitsRefresh); err != nil {
		return c, err
	}
	if c.AccessTokenValidity > c.RefreshTokenValidity || c.IDTokenValidity > c.RefreshTokenValidity {
		return c, mgmtInvalid("Invalid range for token validity.")
	}
	c.AuthSessionValidity = 3 * time.Minute
	if in.AuthSessionValidity != nil {
		if *in.AuthSessionValidity < 3 || *in.AuthSessionValidity > 15 {
			return c, mgmtInvalid("Invalid range for AuthSessionValidity: it must be between 3 and 15 minutes.")
		}
		c.AuthSessionValidity = time.Duration(*in.AuthSessionValidity) * time.Minute
	}

	if c.ReadAttributes, err = checkClientAttributes(p, in.ReadAttributes, false, "read", op); err != nil {
		return c, err
	}
	if c.WriteAttributes, err = checkClientAttributes(p, in.WriteAttributes, true, "write", op); err != nil {
		return c, err
	}

	c.PreventUserExistenceErrors = cmp.Or(in.PreventUserExistenceErrors, "LEGACY")
	if c.PreventUserExistenceErrors != "LEGACY" && c.PreventUserExistenceErrors != "ENABLED" {
		return c, mgmtInvalid("Invalid PreventUserExistenceErrors %s.", c.PreventUserExistenceErrors)
	}
	c.EnableTokenRevocation = in.EnableTokenRevocation == nil || *in.EnableTokenRevocation
	switch in.RefreshTokenRotation {
	case "", "DISABLED":
		c.RefreshTokenRotation = false
	case "ENABLED":
		c.RefreshTokenRotation = true
	default:
		return c, mgmtInvalid("Invalid RefreshTokenRotation feature %s.", in.RefreshTokenRotation)
	}
	if in.RotationGracePeriodSeconds < 0 || in.RotationGracePeriodSeconds > 60 {
		return c, mgmtInvalid("RetryGracePeriodSeconds must be between 0 and 60.")
	}
	c.RotationGracePeriod = time.Duration(in.RotationGracePeriodSeconds) * time.Second

	for _, idp := range in.SupportedIdentityProviders {
		if idp != "COGNITO" {
			return c, mgmtInvalid("The provider %s does not exist for User Pool %s", idp, p.ID)
		}
	}
	c.SupportedIdentityProviders = slices.Clone(in.SupportedIdentityProviders)
	if in.RequirePKCE != nil {
		c.RequirePKCE = *in.RequirePKCE
	}
	if err := s.checkOAuth(ctx, p, c.Secret != "", in); err != nil {
		return c, err
	}
	c.AllowedOAuthFlowsUserPoolClient = in.AllowedOAuthFlowsUserPoolClient
	c.AllowedOAuthFlows = slices.Clone(in.AllowedOAuthFlows)
	c.AllowedOAuthScopes = slices.Clone(in.AllowedOAuthScopes)
	c.CallbackURLs = slices.Clone(in.CallbackURLs)
	c.LogoutURLs = slices.Clone(in.LogoutURLs)
	c.DefaultRedirectURI = in.DefaultRedirectURI
	return c, nil
}

// checkExplicitAuthFlows validates the values and returns what the client
// stores: the defaults when none are given.
func checkExplicitAuthFlows(flows []string) ([]string, error) {
	if len(flows) == 0 {
		return slices.Clone(DefaultExplicitAuthFlows), nil
	}
	var allow, legacy bool
	for _, f := range flows {
		switch {
		case slices.Contains(allowAuthFlows, f):
			allow = true
		case slices.Contains(legacyAuthFlows, f):
			legacy = true
		default:
			return nil, mgmtInvalid("Invalid explicit auth flow %s.", f)
		}
	}
	if allow && legacy {
		return nil, mgmtInvalid("ExplicitAuthFlows values with the ALLOW_ prefix cannot be used together with values without it.")
	}
	return slices.Compact(slices.Clone(flows)), nil
}

// checkClientAttributes checks ReadAttributes / WriteAttributes against the
// pool's schema. nil stays nil (unset: every attribute).
func checkClientAttributes(p storage.Pool, attrs []string, write bool, kind, op string) ([]string, error) {
	if attrs == nil {
		return nil, nil
	}
	for _, a := range attrs {
		known := slices.ContainsFunc(p.Schema, func(s storage.SchemaAttribute) bool { return s.Name == a })
		if !known || (write && a == "sub") {
			return nil, mgmtInvalid("Invalid %s attributes specified while %s a client", kind, op)
		}
	}
	return slices.Clone(attrs), nil
}

// checkOAuth enforces the OAuth rules of CreateUserPoolClient and
// UpdateUserPoolClient (spec §7.3).
func (s *Service) checkOAuth(ctx context.Context, p storage.Pool, hasSecret bool, in ClientSettings) error {
	for _, f := range in.AllowedOAuthFlows {
		if f != "code" && f != "implicit" && f != "client_credentials" {
			return mgmtInvalid("Invalid OAuth flow %s.", f)
		}
	}
	oauthSet := len(in.AllowedOAuthFlows) > 0 || len(in.AllowedOAuthScopes) > 0
	if !in.AllowedOAuthFlowsUserPoolClient && oauthSet {
		return mgmtInvalid("AllowedOAuthFlowsUserPoolClient must be true to set AllowedOAuthFlows or AllowedOAuthScopes.")
	}
	if in.AllowedOAuthFlowsUserPoolClient && (len(in.AllowedOAuthFlows) == 0 || len(in.AllowedOAuthScopes) == 0) {
		return mgmtInvalid("AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.")
	}
	cc := slices.Contains(in.AllowedOAuthFlows, "client_credentials")
	browser := slices.Contains(in.AllowedOAuthFlows, "code") || slices.Contains(in.AllowedOAuthFlows, "implicit")
	if cc && browser {
		return exception.New(exception.InvalidOAuthFlow, "client_credentials flow can not be selected along with code flow or implicit flow.")
	}
	if cc && !hasSecret {
		return exception.New(exception.InvalidOAuthFlow, "client_credentials flow can not be selected if client does not have a client secret.")
	}
	if browser && len(in.CallbackURLs) == 0 {
		return exception.New(exception.InvalidOAuthFlow, "CallbackUrls can not be empty when code flow or implicit flow is selected")
	}
	for _, u := range in.CallbackURLs {
		if err := CheckRedirectURL(u, "CallbackURLs"); err != nil {
			return err
		}
	}
	for _, u := range in.LogoutURLs {
		if err := CheckRedirectURL(u, "LogoutURLs"); err != nil {
			return err
		}
	}
	if in.DefaultRedirectURI != "" {
		if err := CheckRedirectURL(in.DefaultRedirectURI, "DefaultRedirectURI"); err != nil {
			return err
		}
		if !slices.Contains(in.CallbackURLs, in.DefaultRedirectURI) {
			return mgmtInvalid("DefaultRedirectURI must be one of the CallbackURLs.")
		}
	}
	for _, scope := range in.AllowedOAuthScopes {
		if slices.Contains(ReservedScopes, scope) {
			if cc {
				return exception.Newf(exception.InvalidOAuthFlow, "%s is not supported with client_credentials flow", scope)
			}
			continue
		}
		if err := s.checkCustomScope(ctx, p.ID, scope); err != nil {
			return err
		}
	}
	return nil
}

// checkCustomScope requires "<resource server>/<scope>" to exist.
func (s *Service) checkCustomScope(ctx context.Context, poolID, scope string) error {
	missing := exception.Newf(exception.ScopeDoesNotExist, "Invalid scope requested: %s", scope)
	i := strings.LastIndex(scope, "/")
	if i <= 0 || i == len(scope)-1 {
		return missing
	}
	rs, err := s.Store.GetResourceServer(ctx, poolID, scope[:i])
	if errors.Is(err, storage.ErrNotFound) {
		return missing
	}
	if err != nil {
		return fmt.Errorf("get resource server: %w", err)
	}
	name := scope[i+1:]
	if !slices.ContainsFunc(rs.Scopes, func(s storage.ResourceServerScope) bool { return s.Name == name }) {
		return missing
	}
	return nil
}

// CheckRedirectURL applies Cognito's rules for callback and logout URLs:
// absolute, no fragment, and plain HTTP only for localhost, 127.0.0.1 and
// [::1]. Custom schemes (myapp://cb) are allowed for native apps.
func CheckRedirectURL(raw, member string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Scheme == "":
		return mgmtInvalid("%s must be absolute URLs: %s", member, raw)
	case strings.Contains(raw, "#"):
		return mgmtInvalid("%s must not contain a fragment: %s", member, raw)
	case strings.EqualFold(u.Scheme, "http"):
		switch u.Hostname() {
		case "localhost", "127.0.0.1", "::1":
		default:
			return mgmtInvalid("%s must use HTTPS unless the host is localhost: %s", member, raw)
		}
	case strings.EqualFold(u.Scheme, "https") && u.Host == "":
		return mgmtInvalid("%s must be absolute URLs: %s", member, raw)
	}
	return nil
}
