package cognitoapi

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// epochTime is a time as Cognito's API writes it: epoch seconds, as a JSON
// number with a fraction (the SDKs parse DateType from a number).
type epochTime time.Time

// MarshalJSON writes seconds with microsecond precision, the precision
// storage keeps.
func (t epochTime) MarshalJSON() ([]byte, error) {
	us := time.Time(t).UnixMicro()
	return []byte(strconv.FormatFloat(float64(us)/1e6, 'f', -1, 64)), nil
}

// attributeShape is AttributeType.
type attributeShape struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// attributeList turns stored attributes into AttributeType list, sorted by
// name with "sub" first, so output is stable.
func attributeList(attrs map[string]string) []attributeShape {
	out := make([]attributeShape, 0, len(attrs))
	for k, v := range attrs {
		out = append(out, attributeShape{Name: k, Value: v})
	}
	slices.SortFunc(out, func(a, b attributeShape) int {
		if (a.Name == "sub") != (b.Name == "sub") {
			if a.Name == "sub" {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// userTypeShape is UserType (ListUsers, ListUsersInGroup, AdminCreateUser).
type userTypeShape struct {
	Username             string           `json:"Username"`
	Attributes           []attributeShape `json:"Attributes"`
	UserCreateDate       epochTime        `json:"UserCreateDate"`
	UserLastModifiedDate epochTime        `json:"UserLastModifiedDate"`
	Enabled              bool             `json:"Enabled"`
	UserStatus           string           `json:"UserStatus"`
}

// userType converts a stored user to UserType.
func userType(u storage.User) userTypeShape {
	return userTypeShape{
		Username:             u.Username,
		Attributes:           attributeList(u.Attributes),
		UserCreateDate:       epochTime(u.CreatedAt),
		UserLastModifiedDate: epochTime(u.LastModifiedAt),
		Enabled:              u.Enabled,
		UserStatus:           u.Status,
	}
}

// --- user pools -------------------------------------------------------

type passwordPolicyShape struct {
	MinimumLength                 int             `json:"MinimumLength"`
	RequireUppercase              bool            `json:"RequireUppercase"`
	RequireLowercase              bool            `json:"RequireLowercase"`
	RequireNumbers                bool            `json:"RequireNumbers"`
	RequireSymbols                bool            `json:"RequireSymbols"`
	PasswordHistorySize           json.RawMessage `json:"PasswordHistorySize,omitempty"`
	TemporaryPasswordValidityDays int             `json:"TemporaryPasswordValidityDays"`
}

type policiesShape struct {
	PasswordPolicy passwordPolicyShape `json:"PasswordPolicy"`
	SignInPolicy   json.RawMessage     `json:"SignInPolicy,omitempty"`
}

type adminCreateUserConfigShape struct {
	AllowAdminCreateUserOnly  bool            `json:"AllowAdminCreateUserOnly"`
	UnusedAccountValidityDays int             `json:"UnusedAccountValidityDays"`
	InviteMessageTemplate     json.RawMessage `json:"InviteMessageTemplate,omitempty"`
}

type stringConstraintsShape struct {
	MinLength *string `json:"MinLength,omitempty"`
	MaxLength *string `json:"MaxLength,omitempty"`
}

type numberConstraintsShape struct {
	MinValue *string `json:"MinValue,omitempty"`
	MaxValue *string `json:"MaxValue,omitempty"`
}

type schemaAttributeShape struct {
	Name                       string                  `json:"Name"`
	AttributeDataType          string                  `json:"AttributeDataType"`
	DeveloperOnlyAttribute     bool                    `json:"DeveloperOnlyAttribute"`
	Mutable                    bool                    `json:"Mutable"`
	Required                   bool                    `json:"Required"`
	StringAttributeConstraints *stringConstraintsShape `json:"StringAttributeConstraints,omitempty"`
	NumberAttributeConstraints *numberConstraintsShape `json:"NumberAttributeConstraints,omitempty"`
}

// userPoolShape is UserPoolType as DescribeUserPool returns it.
type userPoolShape struct {
	Id                          string                     `json:"Id"`
	Name                        string                     `json:"Name"`
	Arn                         string                     `json:"Arn"`
	Policies                    policiesShape              `json:"Policies"`
	DeletionProtection          string                     `json:"DeletionProtection"`
	LambdaConfig                json.RawMessage            `json:"LambdaConfig,omitempty"`
	Status                      string                     `json:"Status"`
	LastModifiedDate            epochTime                  `json:"LastModifiedDate"`
	CreationDate                epochTime                  `json:"CreationDate"`
	SchemaAttributes            []schemaAttributeShape     `json:"SchemaAttributes"`
	AutoVerifiedAttributes      []string                   `json:"AutoVerifiedAttributes,omitempty"`
	AliasAttributes             []string                   `json:"AliasAttributes,omitempty"`
	UsernameAttributes          []string                   `json:"UsernameAttributes,omitempty"`
	SmsVerificationMessage      json.RawMessage            `json:"SmsVerificationMessage,omitempty"`
	EmailVerificationMessage    json.RawMessage            `json:"EmailVerificationMessage,omitempty"`
	EmailVerificationSubject    json.RawMessage            `json:"EmailVerificationSubject,omitempty"`
	VerificationMessageTemplate json.RawMessage            `json:"VerificationMessageTemplate,omitempty"`
	SmsAuthenticationMessage    json.RawMessage            `json:"SmsAuthenticationMessage,omitempty"`
	UserAttributeUpdateSettings json.RawMessage            `json:"UserAttributeUpdateSettings,omitempty"`
	MfaConfiguration            string                     `json:"MfaConfiguration"`
	DeviceConfiguration         json.RawMessage            `json:"DeviceConfiguration,omitempty"`
	EstimatedNumberOfUsers      int                        `json:"EstimatedNumberOfUsers"`
	EmailConfiguration          json.RawMessage            `json:"EmailConfiguration,omitempty"`
	SmsConfiguration            json.RawMessage            `json:"SmsConfiguration,omitempty"`
	UserPoolTags                json.RawMessage            `json:"UserPoolTags,omitempty"`
	Domain                      string                     `json:"Domain,omitempty"`
	CustomDomain                string                     `json:"CustomDomain,omitempty"`
	AdminCreateUserConfig       adminCreateUserConfigShape `json:"AdminCreateUserConfig"`
	UserPoolAddOns              json.RawMessage            `json:"UserPoolAddOns,omitempty"`
	UsernameConfiguration       json.RawMessage            `json:"UsernameConfiguration,omitempty"`
	AccountRecoverySetting      json.RawMessage            `json:"AccountRecoverySetting,omitempty"`
	IssuerConfiguration         json.RawMessage            `json:"IssuerConfiguration,omitempty"`
	KeyConfiguration            json.RawMessage            `json:"KeyConfiguration,omitempty"`
	UserPoolTier                json.RawMessage            `json:"UserPoolTier,omitempty"`
}

// userPoolType converts a stored pool to UserPoolType.
func userPoolType(p storage.Pool, users int) userPoolShape {
	x := func(k string) json.RawMessage { return json.RawMessage(p.Extra[k]) }
	out := userPoolShape{
		Id:   p.ID,
		Name: p.Name,
		Arn:  userpool.PoolARN(p),
		Policies: policiesShape{
			PasswordPolicy: passwordPolicyShape{
				MinimumLength:                 p.PasswordPolicy.MinimumLength,
				RequireUppercase:              p.PasswordPolicy.RequireUppercase,
				RequireLowercase:              p.PasswordPolicy.RequireLowercase,
				RequireNumbers:                p.PasswordPolicy.RequireNumbers,
				RequireSymbols:                p.PasswordPolicy.RequireSymbols,
				PasswordHistorySize:           x(userpool.ExtraPasswordHistorySize),
				TemporaryPasswordValidityDays: p.PasswordPolicy.TemporaryPasswordValidityDays,
			},
			SignInPolicy: x(userpool.ExtraSignInPolicy),
		},
		DeletionProtection:          p.DeletionProtection,
		LambdaConfig:                x("LambdaConfig"),
		Status:                      "Enabled",
		LastModifiedDate:            epochTime(p.LastModifiedAt),
		CreationDate:                epochTime(p.CreatedAt),
		AutoVerifiedAttributes:      p.AutoVerified,
		AliasAttributes:             p.AliasAttrs,
		UsernameAttributes:          p.UsernameAttrs,
		SmsVerificationMessage:      x("SmsVerificationMessage"),
		EmailVerificationMessage:    x("EmailVerificationMessage"),
		EmailVerificationSubject:    x("EmailVerificationSubject"),
		VerificationMessageTemplate: x("VerificationMessageTemplate"),
		SmsAuthenticationMessage:    x("SmsAuthenticationMessage"),
		UserAttributeUpdateSettings: x("UserAttributeUpdateSettings"),
		MfaConfiguration:            p.MfaConfiguration,
		DeviceConfiguration:         x("DeviceConfiguration"),
		EstimatedNumberOfUsers:      users,
		EmailConfiguration:          x("EmailConfiguration"),
		SmsConfiguration:            x("SmsConfiguration"),
		UserPoolTags:                x("UserPoolTags"),
		AdminCreateUserConfig: adminCreateUserConfigShape{
			AllowAdminCreateUserOnly:  p.AdminCreateOnly,
			UnusedAccountValidityDays: p.UnusedAccountDays,
			InviteMessageTemplate:     x(userpool.ExtraInviteMessageTemplate),
		},
		UserPoolAddOns:         x("UserPoolAddOns"),
		AccountRecoverySetting: x("AccountRecoverySetting"),
		IssuerConfiguration:    x("IssuerConfiguration"),
		KeyConfiguration:       x("KeyConfiguration"),
		UserPoolTier:           x("UserPoolTier"),
	}
	if _, ok := p.Extra[userpool.ExtraUsernameConfiguration]; ok {
		out.UsernameConfiguration = json.RawMessage(fmt.Sprintf(`{"CaseSensitive":%t}`, p.CaseSensitive))
	}
	if userpool.IsCustomDomain(p) {
		out.CustomDomain = p.Domain
	} else {
		out.Domain = p.Domain
	}
	for _, a := range p.Schema {
		out.SchemaAttributes = append(out.SchemaAttributes, schemaAttribute(a))
	}
	return out
}

func schemaAttribute(a storage.SchemaAttribute) schemaAttributeShape {
	itoa := func(v *int) *string {
		if v == nil {
			return nil
		}
		s := strconv.Itoa(*v)
		return &s
	}
	out := schemaAttributeShape{
		Name:                   a.Name,
		AttributeDataType:      a.AttributeDataType,
		DeveloperOnlyAttribute: a.DeveloperOnly,
		Mutable:                a.Mutable,
		Required:               a.Required,
	}
	if a.DeveloperOnly {
		out.Name = "dev:" + a.Name
	}
	switch a.AttributeDataType {
	case "String":
		out.StringAttributeConstraints = &stringConstraintsShape{MinLength: itoa(a.MinLength), MaxLength: itoa(a.MaxLength)}
	case "Number":
		out.NumberAttributeConstraints = &numberConstraintsShape{MinValue: itoa(a.MinValue), MaxValue: itoa(a.MaxValue)}
	}
	return out
}

// userPoolDescription is UserPoolDescriptionType (ListUserPools).
type userPoolDescription struct {
	Id               string          `json:"Id"`
	Name             string          `json:"Name"`
	LambdaConfig     json.RawMessage `json:"LambdaConfig,omitempty"`
	Status           string          `json:"Status"`
	LastModifiedDate epochTime       `json:"LastModifiedDate"`
	CreationDate     epochTime       `json:"CreationDate"`
}

// --- app clients ------------------------------------------------------

type tokenValidityUnitsShape struct {
	AccessToken  string `json:"AccessToken,omitempty"`
	IdToken      string `json:"IdToken,omitempty"`
	RefreshToken string `json:"RefreshToken,omitempty"`
}

type refreshTokenRotationShape struct {
	Feature                 string `json:"Feature"`
	RetryGracePeriodSeconds int    `json:"RetryGracePeriodSeconds"`
}

// userPoolClientShape is UserPoolClientType.
type userPoolClientShape struct {
	UserPoolId                               string                     `json:"UserPoolId"`
	ClientName                               string                     `json:"ClientName"`
	ClientId                                 string                     `json:"ClientId"`
	ClientSecret                             string                     `json:"ClientSecret,omitempty"`
	LastModifiedDate                         epochTime                  `json:"LastModifiedDate"`
	CreationDate                             epochTime                  `json:"CreationDate"`
	RefreshTokenValidity                     int                        `json:"RefreshTokenValidity"`
	AccessTokenValidity                      *int                       `json:"AccessTokenValidity,omitempty"`
	IdTokenValidity                          *int                       `json:"IdTokenValidity,omitempty"`
	TokenValidityUnits                       tokenValidityUnitsShape    `json:"TokenValidityUnits"`
	ReadAttributes                           []string                   `json:"ReadAttributes,omitempty"`
	WriteAttributes                          []string                   `json:"WriteAttributes,omitempty"`
	ExplicitAuthFlows                        []string                   `json:"ExplicitAuthFlows,omitempty"`
	SupportedIdentityProviders               []string                   `json:"SupportedIdentityProviders,omitempty"`
	CallbackURLs                             []string                   `json:"CallbackURLs,omitempty"`
	LogoutURLs                               []string                   `json:"LogoutURLs,omitempty"`
	DefaultRedirectURI                       string                     `json:"DefaultRedirectURI,omitempty"`
	AllowedOAuthFlows                        []string                   `json:"AllowedOAuthFlows,omitempty"`
	AllowedOAuthScopes                       []string                   `json:"AllowedOAuthScopes,omitempty"`
	AllowedOAuthFlowsUserPoolClient          bool                       `json:"AllowedOAuthFlowsUserPoolClient"`
	PreventUserExistenceErrors               string                     `json:"PreventUserExistenceErrors"`
	EnableTokenRevocation                    bool                       `json:"EnableTokenRevocation"`
	EnablePropagateAdditionalUserContextData bool                       `json:"EnablePropagateAdditionalUserContextData"`
	AuthSessionValidity                      int                        `json:"AuthSessionValidity"`
	RefreshTokenRotation                     *refreshTokenRotationShape `json:"RefreshTokenRotation,omitempty"`
}

// inUnit expresses d in a TokenValidityUnits unit.
func inUnit(d time.Duration, unit string) int {
	per, ok := userpool.TimeUnit(unit)
	if !ok {
		return 0
	}
	return int(d / per)
}

// userPoolClientType converts a stored client; withSecret shows its secret
// (CreateUserPoolClient and DescribeUserPoolClient only).
func userPoolClientType(c storage.Client, withSecret bool) userPoolClientShape {
	out := userPoolClientShape{
		UserPoolId:                      c.PoolID,
		ClientName:                      c.Name,
		ClientId:                        c.ClientID,
		LastModifiedDate:                epochTime(c.LastModifiedAt),
		CreationDate:                    epochTime(c.CreatedAt),
		RefreshTokenValidity:            inUnit(c.RefreshTokenValidity, cmp.Or(c.UnitsRefresh, "days")),
		TokenValidityUnits:              tokenValidityUnitsShape{AccessToken: c.UnitsAccess, IdToken: c.UnitsID, RefreshToken: c.UnitsRefresh},
		ReadAttributes:                  c.ReadAttributes,
		WriteAttributes:                 c.WriteAttributes,
		ExplicitAuthFlows:               c.ExplicitAuthFlows,
		SupportedIdentityProviders:      c.SupportedIdentityProviders,
		CallbackURLs:                    c.CallbackURLs,
		LogoutURLs:                      c.LogoutURLs,
		DefaultRedirectURI:              c.DefaultRedirectURI,
		AllowedOAuthFlows:               c.AllowedOAuthFlows,
		AllowedOAuthScopes:              c.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient: c.AllowedOAuthFlowsUserPoolClient,
		PreventUserExistenceErrors:      c.PreventUserExistenceErrors,
		EnableTokenRevocation:           c.EnableTokenRevocation,
		AuthSessionValidity:             int(c.AuthSessionValidity / time.Minute),
	}
	if withSecret {
		out.ClientSecret = c.Secret
	}
	if c.UnitsAccess != "" {
		v := inUnit(c.AccessTokenValidity, c.UnitsAccess)
		out.AccessTokenValidity = &v
	}
	if c.UnitsID != "" {
		v := inUnit(c.IDTokenValidity, c.UnitsID)
		out.IdTokenValidity = &v
	}
	if c.RefreshTokenRotation {
		out.RefreshTokenRotation = &refreshTokenRotationShape{Feature: "ENABLED", RetryGracePeriodSeconds: int(c.RotationGracePeriod / time.Second)}
	}
	return out
}

// userPoolClientDescription is UserPoolClientDescription.
type userPoolClientDescription struct {
	ClientId   string `json:"ClientId"`
	UserPoolId string `json:"UserPoolId"`
	ClientName string `json:"ClientName"`
}

// --- groups and resource servers --------------------------------------

// groupShape is GroupType.
type groupShape struct {
	GroupName        string    `json:"GroupName"`
	UserPoolId       string    `json:"UserPoolId"`
	Description      string    `json:"Description,omitempty"`
	RoleArn          string    `json:"RoleArn,omitempty"`
	Precedence       *int      `json:"Precedence,omitempty"`
	LastModifiedDate epochTime `json:"LastModifiedDate"`
	CreationDate     epochTime `json:"CreationDate"`
}

func groupType(g storage.Group) groupShape {
	return groupShape{
		GroupName: g.Name, UserPoolId: g.PoolID, Description: g.Description, RoleArn: g.RoleArn,
		Precedence: g.Precedence, LastModifiedDate: epochTime(g.LastModifiedAt), CreationDate: epochTime(g.CreatedAt),
	}
}

// resourceServerScopeShape is ResourceServerScopeType (input and output).
type resourceServerScopeShape struct {
	ScopeName        *string `json:"ScopeName"`
	ScopeDescription *string `json:"ScopeDescription"`
}

// resourceServerShape is ResourceServerType.
type resourceServerShape struct {
	UserPoolId string                     `json:"UserPoolId"`
	Identifier string                     `json:"Identifier"`
	Name       string                     `json:"Name"`
	Scopes     []resourceServerScopeShape `json:"Scopes,omitempty"`
}

func resourceServerType(rs storage.ResourceServer) resourceServerShape {
	out := resourceServerShape{UserPoolId: rs.PoolID, Identifier: rs.Identifier, Name: rs.Name}
	for _, s := range rs.Scopes {
		out.Scopes = append(out.Scopes, resourceServerScopeShape{ScopeName: &s.Name, ScopeDescription: &s.Description})
	}
	return out
}

// --- paging -----------------------------------------------------------

// pageOf returns up to limit items that sort after the token's key, and the
// token for the next page ("" on the last page). Tokens are opaque to
// callers: the base64url of the last key returned, so a page stays correct
// when items are added or deleted between calls.
func pageOf[T any](items []T, key func(T) string, limit int, token string) ([]T, string, error) {
	items = slices.Clone(items)
	slices.SortFunc(items, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
	if token != "" {
		after, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil {
			return nil, "", exception.New(exception.InvalidParameter, "Invalid pagination token.")
		}
		i, _ := slices.BinarySearchFunc(items, string(after), func(it T, k string) int { return cmp.Compare(key(it), k) })
		for i < len(items) && key(items[i]) <= string(after) {
			i++
		}
		items = items[i:]
	}
	if limit <= 0 || len(items) <= limit {
		return items, "", nil
	}
	return items[:limit], base64.RawURLEncoding.EncodeToString([]byte(key(items[limit-1]))), nil
}

// --- request checks shared by the management actions -----------------

// Patterns of the Cognito API model.
var (
	mgmtPoolIDPattern   = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)
	mgmtClientIDPattern = regexp.MustCompile(`^[\w+]+$`)
	mgmtNamePattern     = regexp.MustCompile(`^[\w\s+=,.@-]+$`)
	mgmtUsernamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)
)

// memberChecks collects the first failing model constraint of a request, in the
// order members are checked; Cognito reports "1 validation error detected".
type memberChecks struct{ err error }

func (c *memberChecks) add(err error) {
	if c.err == nil && err != nil {
		c.err = err
	}
}

// required checks a required string-like member.
func (c *memberChecks) required(present bool, member string) {
	if !present {
		c.add(required(member))
	}
}

// str checks an optional string's length and pattern (nil pattern = any).
func (c *memberChecks) str(v *string, member string, minLen, maxLen int, pattern *regexp.Regexp) {
	if v == nil {
		return
	}
	n := len([]rune(*v))
	switch {
	case n < minLen:
		c.add(constraint(*v, member, fmt.Sprintf("Member must have length greater than or equal to %d", minLen)))
	case maxLen > 0 && n > maxLen:
		c.add(constraint(*v, member, fmt.Sprintf("Member must have length less than or equal to %d", maxLen)))
	case pattern != nil && !pattern.MatchString(*v):
		c.add(constraint(*v, member, "Member must satisfy regular expression pattern: "+strings.TrimSuffix(strings.TrimPrefix(pattern.String(), "^"), "$")))
	}
}

// sensitive checks a secret like str, without echoing it: Cognito writes
// "Value at '<member>'" for sensitive members.
func (c *memberChecks) sensitive(v *string, member string, minLen, maxLen int, pattern *regexp.Regexp) {
	if v == nil {
		return
	}
	fail := func(rule string) {
		c.add(exception.Newf(exception.InvalidParameter,
			"1 validation error detected: Value at '%s' failed to satisfy constraint: %s", member, rule))
	}
	switch n := len([]rune(*v)); {
	case n < minLen:
		fail(fmt.Sprintf("Member must have length greater than or equal to %d", minLen))
	case n > maxLen:
		fail(fmt.Sprintf("Member must have length less than or equal to %d", maxLen))
	case pattern != nil && !pattern.MatchString(*v):
		fail("Member must satisfy regular expression pattern: " + strings.TrimSuffix(strings.TrimPrefix(pattern.String(), "^"), "$"))
	}
}

// num checks an optional integer's range.
func (c *memberChecks) num(v *int, member string, minV, maxV int) {
	if v == nil {
		return
	}
	switch {
	case *v < minV:
		c.add(constraint(*v, member, fmt.Sprintf("Member must have value greater than or equal to %d", minV)))
	case *v > maxV:
		c.add(constraint(*v, member, fmt.Sprintf("Member must have value less than or equal to %d", maxV)))
	}
}

// enum checks an optional enum value ("" = absent).
func (c *memberChecks) enum(v, member string, allowed ...string) {
	if v != "" && !slices.Contains(allowed, v) {
		c.add(constraint(v, member, "Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]"))
	}
}

// enumList checks every value of a list member.
func (c *memberChecks) enumList(vs []string, member string, allowed ...string) {
	for _, v := range vs {
		if !slices.Contains(allowed, v) {
			c.add(constraint("["+strings.Join(vs, ", ")+"]", member,
				"Member must satisfy constraint: [Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]]"))
			return
		}
	}
}

// list checks a list member's length and each item's length.
func (c *memberChecks) list(vs []string, member string, maxItems, itemMin, itemMax int) {
	if maxItems > 0 && len(vs) > maxItems {
		c.add(constraint("["+strings.Join(vs, ", ")+"]", member, fmt.Sprintf("Member must have length less than or equal to %d", maxItems)))
		return
	}
	for _, v := range vs {
		if n := len([]rune(v)); n < itemMin || n > itemMax {
			c.add(constraint("["+strings.Join(vs, ", ")+"]", member,
				fmt.Sprintf("Member must satisfy constraint: [Member must have length less than or equal to %d, Member must have length greater than or equal to %d]", itemMax, itemMin)))
			return
		}
	}
}

// poolID checks a required UserPoolId.
func (c *memberChecks) poolID(v *string) {
	c.required(v != nil, "userPoolId")
	c.str(v, "userPoolId", 1, 55, mgmtPoolIDPattern)
}

// clientID checks a required ClientId (sensitive: Cognito omits its value).
func (c *memberChecks) clientID(v *string) {
	c.required(v != nil, "clientId")
	c.sensitive(v, "clientId", 1, 128, mgmtClientIDPattern)
}

// limit checks an optional page size.
func (c *memberChecks) limit(v *int, member string, maxV int) { c.num(v, member, 1, maxV) }

// rawObject canonicalises an echo-only JSON member that must be an object
// (or null/absent, returned as nil).
func rawObject(raw json.RawMessage, member string) ([]byte, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil, nil
	}
	if t[0] != '{' {
		return nil, exception.Newf(exception.Serialization, "Value at '%s' cannot be deserialized as a structure.", member)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, t); err != nil {
		return nil, exception.New(exception.Serialization, "Request body is not valid JSON.")
	}
	return buf.Bytes(), nil
}
