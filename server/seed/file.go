package seed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"
)

// File is a seed file.
type File struct {
	Pools []Pool `yaml:"pools"`
}

// Pool is a user pool. Omitted settings take CreateUserPool's defaults.
type Pool struct {
	// ID is the fixed pool id, <region>_<alphanumerics> (us-east-1_LocalDev1).
	ID   string `yaml:"id"`
	Name string `yaml:"name"`

	PasswordPolicy         *PasswordPolicy `yaml:"password_policy"`
	UsernameAttributes     []string        `yaml:"username_attributes"`
	AliasAttributes        []string        `yaml:"alias_attributes"`
	CaseSensitive          *bool           `yaml:"case_sensitive"` // default true, as in the API
	AutoVerifiedAttributes []string        `yaml:"auto_verified_attributes"`
	AdminCreateUserOnly    bool            `yaml:"admin_create_user_only"`
	Schema                 []Attribute     `yaml:"schema"`
	Domain                 string          `yaml:"domain"`

	ResourceServers []ResourceServer `yaml:"resource_servers"`
	Clients         []Client         `yaml:"clients"`
	Groups          []Group          `yaml:"groups"`
	Users           []User           `yaml:"users"`
}

// PasswordPolicy overrides parts of the default policy (8 characters with
// upper, lower, digit and symbol; temporary passwords valid 7 days).
type PasswordPolicy struct {
	MinimumLength                 *int  `yaml:"minimum_length"`
	RequireUppercase              *bool `yaml:"require_uppercase"`
	RequireLowercase              *bool `yaml:"require_lowercase"`
	RequireNumbers                *bool `yaml:"require_numbers"`
	RequireSymbols                *bool `yaml:"require_symbols"`
	TemporaryPasswordValidityDays *int  `yaml:"temporary_password_validity_days"`
}

// Attribute is a schema attribute: a custom attribute ("tenant" or
// "custom:tenant"), or a standard one to mark it required.
type Attribute struct {
	Name          string `yaml:"name"`
	Type          string `yaml:"type"`    // String (default), Number, DateTime, Boolean
	Mutable       *bool  `yaml:"mutable"` // default true
	Required      bool   `yaml:"required"`
	DeveloperOnly bool   `yaml:"developer_only"`
	MinLength     *int   `yaml:"min_length"`
	MaxLength     *int   `yaml:"max_length"`
	MinValue      *int   `yaml:"min_value"`
	MaxValue      *int   `yaml:"max_value"`
}

// Client is an app client with a fixed id. Token validities are numbers in
// token_validity_units, as in CreateUserPoolClient (access and ID tokens in
// hours, refresh tokens in days, auth sessions in minutes by default).
type Client struct {
	ID             string `yaml:"id"`
	Name           string `yaml:"name"`
	Secret         string `yaml:"secret"`          // fixed secret; empty = public client
	GenerateSecret bool   `yaml:"generate_secret"` // a random secret, kept across restarts

	ExplicitAuthFlows    []string            `yaml:"explicit_auth_flows"`
	AccessTokenValidity  *int                `yaml:"access_token_validity"`
	IDTokenValidity      *int                `yaml:"id_token_validity"`
	RefreshTokenValidity *int                `yaml:"refresh_token_validity"`
	AuthSessionValidity  *int                `yaml:"auth_session_validity"`
	TokenValidityUnits   *TokenValidityUnits `yaml:"token_validity_units"`

	EnableTokenRevocation      *bool                 `yaml:"enable_token_revocation"` // default true
	RefreshTokenRotation       *RefreshTokenRotation `yaml:"refresh_token_rotation"`
	ReadAttributes             []string              `yaml:"read_attributes"`
	WriteAttributes            []string              `yaml:"write_attributes"`
	PreventUserExistenceErrors string                `yaml:"prevent_user_existence_errors"` // LEGACY (default) | ENABLED

	AllowedOAuthFlows []string `yaml:"allowed_oauth_flows"`
	// AllowedOAuthFlowsUserPoolClient defaults to true when
	// allowed_oauth_flows is set.
	AllowedOAuthFlowsUserPoolClient *bool    `yaml:"allowed_oauth_flows_user_pool_client"`
	AllowedOAuthScopes              []string `yaml:"allowed_oauth_scopes"`
	CallbackURLs                    []string `yaml:"callback_urls"`
	LogoutURLs                      []string `yaml:"logout_urls"`
	DefaultRedirectURI              string   `yaml:"default_redirect_uri"`
	// SupportedIdentityProviders defaults to [COGNITO] when
	// allowed_oauth_flows is set.
	SupportedIdentityProviders []string `yaml:"supported_identity_providers"`
	RequirePKCE                bool     `yaml:"require_pkce"`
}

// TokenValidityUnits: seconds, minutes, hours or days.
type TokenValidityUnits struct {
	AccessToken  string `yaml:"access_token"`
	IDToken      string `yaml:"id_token"`
	RefreshToken string `yaml:"refresh_token"`
}

// RefreshTokenRotation turns on refresh-token rotation.
type RefreshTokenRotation struct {
	Enabled                 bool `yaml:"enabled"`
	RetryGracePeriodSeconds int  `yaml:"retry_grace_period_seconds"`
}

// ResourceServer defines custom scopes <identifier>/<scope name>.
type ResourceServer struct {
	Identifier string  `yaml:"identifier"`
	Name       string  `yaml:"name"`
	Scopes     []Scope `yaml:"scopes"`
}

// Scope is one custom scope.
type Scope struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
}

// Group is a user-pool group.
type Group struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Precedence  *int   `yaml:"precedence"`
	RoleArn     string `yaml:"role_arn"`
}

// User is a pool user with a plain-text password (hashed on load).
type User struct {
	// Username is the sign-in name. In a pool with username_attributes it is
	// the e-mail or phone number, and the internal username is the sub.
	Username   string            `yaml:"username"`
	Password   string            `yaml:"password"`
	Attributes map[string]string `yaml:"attributes"` // "sub" pins the sub
	// Status: CONFIRMED (default), FORCE_CHANGE_PASSWORD (the password is
	// temporary) or UNCONFIRMED.
	Status  string `yaml:"status"`
	Enabled *bool  `yaml:"enabled"` // default true
	// Groups, when given, is exactly the user's membership; omitted leaves
	// memberships alone.
	Groups []string `yaml:"groups"`
}

// Load reads and parses a seed file.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	f, err := Parse(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Parse decodes a seed. Unknown keys are errors, so a typo is not silently
// ignored; the structure is checked before anything is written.
func Parse(r io.Reader) (*File, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var f File
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return &f, nil // an empty file seeds nothing
		}
		return nil, fmt.Errorf("seed: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("seed: want one YAML document")
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	return &f, nil
}
