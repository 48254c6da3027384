package storage

import "time"

// Pool is a user pool and the options that change its behaviour.
type Pool struct {
	ID                 string
	Name               string
	Region             string
	CreatedAt          time.Time
	LastModifiedAt     time.Time
	PasswordPolicy     PasswordPolicy
	UsernameAttrs      []string // UsernameAttributes: email, phone_number
	AliasAttrs         []string // AliasAttributes: email, phone_number, preferred_username
	AutoVerified       []string // AutoVerifiedAttributes
	CaseSensitive      bool     // UsernameConfiguration.CaseSensitive (API default true)
	Schema             []SchemaAttribute
	AdminCreateOnly    bool // AdminCreateUserConfig.AllowAdminCreateUserOnly
	UnusedAccountDays  int  // AdminCreateUserConfig.UnusedAccountValidityDays
	MfaConfiguration   string
	DeletionProtection string
	Domain             string
	// Extra keeps pool settings locognito stores and echoes but does not act
	// on (e.g. EmailConfiguration, UserPoolTags), as raw JSON by member name.
	Extra map[string][]byte
}

// PasswordPolicy mirrors Cognito's PasswordPolicyType.
type PasswordPolicy struct {
	MinimumLength                 int
	RequireUppercase              bool
	RequireLowercase              bool
	RequireNumbers                bool
	RequireSymbols                bool
	TemporaryPasswordValidityDays int
}

// SchemaAttribute mirrors Cognito's SchemaAttributeType. Name is stored with
// the "custom:" prefix for custom attributes.
type SchemaAttribute struct {
	Name              string
	AttributeDataType string // String, Number, DateTime, Boolean
	Mutable           bool
	Required          bool
	DeveloperOnly     bool
	MinLength         *int
	MaxLength         *int
	MinValue          *int
	MaxValue          *int
}

// Client is an app client.
type Client struct {
	ClientID       string
	PoolID         string
	Name           string
	Secret         string // empty for public clients
	CreatedAt      time.Time
	LastModifiedAt time.Time

	ExplicitAuthFlows []string
	// Token lifetimes, already converted from TokenValidityUnits.
	AccessTokenValidity  time.Duration
	IDTokenValidity      time.Duration
	RefreshTokenValidity time.Duration
	AuthSessionValidity  time.Duration
	// TokenValidityUnits as given, echoed by Describe.
	UnitsAccess, UnitsID, UnitsRefresh string

	ReadAttributes             []string // nil = unset (all readable)
	WriteAttributes            []string // nil = unset
	PreventUserExistenceErrors string   // LEGACY | ENABLED
	EnableTokenRevocation      bool
	RefreshTokenRotation       bool
	RotationGracePeriod        time.Duration

	AllowedOAuthFlows               []string
	AllowedOAuthScopes              []string
	AllowedOAuthFlowsUserPoolClient bool
	CallbackURLs                    []string
	LogoutURLs                      []string
	DefaultRedirectURI              string
	SupportedIdentityProviders      []string
	RequirePKCE                     bool // locognito option (spec §10.1)
}

// User is a pool user. Attributes holds every attribute as Cognito stores it
// (strings; "email_verified" is "true"/"false"; custom ones as "custom:x"),
// including "sub".
type User struct {
	PoolID         string
	Username       string // as given (case kept)
	UsernameKey    string // lookup key: Username, lower-cased in case-insensitive pools
	Sub            string
	Attributes     map[string]string
	Status         string // UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED
	Enabled        bool
	CreatedAt      time.Time
	LastModifiedAt time.Time

	PasswordHash []byte // bcrypt
	SRPSalt      string // hex, 16 random bytes
	SRPVerifier  string // hex of v = g^x mod N
	// TempPasswordExpiresAt is set while Status is FORCE_CHANGE_PASSWORD.
	TempPasswordExpiresAt time.Time

	// Codes outstanding, by purpose ("signup", "forgot", "verify:email", ...).
	Codes map[string]Code
	// Failed sign-ins for lockout (spec §11.2).
	FailedAttempts int
	LastFailureAt  time.Time
	// Hourly quotas: action name → times of recent calls.
	Quota map[string][]time.Time
	// SignedOutAt is the global sign-out watermark: access tokens issued at
	// or before it, and refresh tokens created before it, are refused.
	SignedOutAt time.Time
}

// Code is an outstanding confirmation or reset code, stored hashed.
type Code struct {
	Hash      string // hex SHA-256 of the code
	ExpiresAt time.Time
	Attempts  int
}

// Group is a user-pool group.
type Group struct {
	PoolID         string
	Name           string
	Description    string
	RoleArn        string
	Precedence     *int
	CreatedAt      time.Time
	LastModifiedAt time.Time
}

// ResourceServer defines custom OAuth scopes <Identifier>/<ScopeName>.
type ResourceServer struct {
	PoolID     string
	Identifier string
	Name       string
	Scopes     []ResourceServerScope
}

// ResourceServerScope is one custom scope.
type ResourceServerScope struct {
	Name        string
	Description string
}

// RefreshToken is one refresh token of a family (origin_jti).
type RefreshToken struct {
	Hash        string // hex SHA-256 of the token
	PoolID      string
	ClientID    string
	UsernameKey string
	OriginJTI   string
	AuthTime    time.Time
	Scopes      []string
	IssuedAt    time.Time
	ExpiresAt   time.Time
	RevokedAt   time.Time // zero = live
	// RotatedAt is set when rotation replaced this token; it keeps working
	// for the client's grace period after that.
	RotatedAt time.Time
}

// Revocation marks a refresh-token family revoked.
type Revocation struct {
	PoolID    string
	OriginJTI string
	RevokedAt time.Time
	ExpiresAt time.Time
}

// Grant is a short-lived, single-use record; Kind namespaces ID.
type Grant struct {
	Kind      string
	ID        string
	PoolID    string
	ClientID  string
	Data      []byte
	CreatedAt time.Time
	ExpiresAt time.Time
	Consumed  bool
}

// Session is a hosted-UI login session (the "cognito" cookie).
type Session struct {
	ID          string // hex SHA-256 of the cookie value
	PoolID      string
	UsernameKey string
	AuthTime    time.Time
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// KeySet is a pool's signing keys, for both token uses.
type KeySet struct {
	PoolID string
	Keys   []Key
	// Version increases on every write.
	Version int64
}

// Key is one RSA signing key. A key signs from ActivatesAt until a newer key
// of the same Use activates; it is published from CreatedAt until
// RemoveAfter (zero = not yet retired).
type Key struct {
	KID           string
	Use           string // "id" or "access"
	PrivateKeyDER []byte // PKCS#8
	CreatedAt     time.Time
	ActivatesAt   time.Time
	RetiredAt     time.Time // when a successor activated; zero while current
	RemoveAfter   time.Time // retired key leaves JWKS after this
}

// Message is an outbox entry: what Cognito would have sent the user.
type Message struct {
	PoolID      string
	Username    string
	Kind        string // confirmation_code, reset_code, temporary_password, verification_code
	Destination string
	Medium      string // EMAIL or SMS
	Attribute   string
	Code        string // the code or temporary password itself
	CreatedAt   time.Time
}
