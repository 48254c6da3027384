package cognitoapi

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// poolActions are the user pool and domain management actions (spec §7.3).
func (a *API) poolActions() map[string]handler {
	return map[string]handler{
		"CreateUserPool":         op(a.createUserPool),
		"DescribeUserPool":       op(a.describeUserPool),
		"ListUserPools":          op(a.listUserPools),
		"UpdateUserPool":         op(a.updateUserPool),
		"DeleteUserPool":         op(a.deleteUserPool),
		"CreateUserPoolDomain":   op(a.createUserPoolDomain),
		"DescribeUserPoolDomain": op(a.describeUserPoolDomain),
		"DeleteUserPoolDomain":   op(a.deleteUserPoolDomain),
	}
}

type passwordPolicyInput struct {
	MinimumLength                 *int `json:"MinimumLength"`
	RequireUppercase              bool `json:"RequireUppercase"`
	RequireLowercase              bool `json:"RequireLowercase"`
	RequireNumbers                bool `json:"RequireNumbers"`
	RequireSymbols                bool `json:"RequireSymbols"`
	PasswordHistorySize           *int `json:"PasswordHistorySize"`
	TemporaryPasswordValidityDays *int `json:"TemporaryPasswordValidityDays"`
}

type policiesInput struct {
	PasswordPolicy *passwordPolicyInput `json:"PasswordPolicy"`
	SignInPolicy   json.RawMessage      `json:"SignInPolicy"`
}

type adminCreateUserConfigInput struct {
	AllowAdminCreateUserOnly  bool            `json:"AllowAdminCreateUserOnly"`
	UnusedAccountValidityDays *int            `json:"UnusedAccountValidityDays"`
	InviteMessageTemplate     json.RawMessage `json:"InviteMessageTemplate"`
}

// poolSettingsInput are the members CreateUserPool and UpdateUserPool share.
type poolSettingsInput struct {
	Policies                    *policiesInput              `json:"Policies"`
	DeletionProtection          string                      `json:"DeletionProtection"`
	LambdaConfig                json.RawMessage             `json:"LambdaConfig"`
	AutoVerifiedAttributes      []string                    `json:"AutoVerifiedAttributes"`
	SmsVerificationMessage      *string                     `json:"SmsVerificationMessage"`
	EmailVerificationMessage    *string                     `json:"EmailVerificationMessage"`
	EmailVerificationSubject    *string                     `json:"EmailVerificationSubject"`
	VerificationMessageTemplate json.RawMessage             `json:"VerificationMessageTemplate"`
	SmsAuthenticationMessage    *string                     `json:"SmsAuthenticationMessage"`
	UserAttributeUpdateSettings json.RawMessage             `json:"UserAttributeUpdateSettings"`
	MfaConfiguration            string                      `json:"MfaConfiguration"`
	DeviceConfiguration         json.RawMessage             `json:"DeviceConfiguration"`
	EmailConfiguration          json.RawMessage             `json:"EmailConfiguration"`
	SmsConfiguration            json.RawMessage             `json:"SmsConfiguration"`
	UserPoolTags                map[string]string           `json:"UserPoolTags"`
	AdminCreateUserConfig       *adminCreateUserConfigInput `json:"AdminCreateUserConfig"`
	UserPoolAddOns              json.RawMessage             `json:"UserPoolAddOns"`
	AccountRecoverySetting      json.RawMessage             `json:"AccountRecoverySetting"`
	UserPoolTier                string                      `json:"UserPoolTier"`
	IssuerConfiguration         json.RawMessage             `json:"IssuerConfiguration"`
	KeyConfiguration            json.RawMessage             `json:"KeyConfiguration"`
}

func (in *poolSettingsInput) check(c *memberChecks) {
	if pp := in.Policies; pp != nil && pp.PasswordPolicy != nil {
		c.num(pp.PasswordPolicy.MinimumLength, "policies.passwordPolicy.minimumLength", 6, 99)
		c.num(pp.PasswordPolicy.PasswordHistorySize, "policies.passwordPolicy.passwordHistorySize", 0, 24)
		c.num(pp.PasswordPolicy.TemporaryPasswordValidityDays, "policies.passwordPolicy.temporaryPasswordValidityDays", 0, 365)
	}
	c.enum(in.DeletionProtection, "deletionProtection", "ACTIVE", "INACTIVE")
	c.enumList(in.AutoVerifiedAttributes, "autoVerifiedAttributes", "phone_number", "email")
	c.str(in.SmsVerificationMessage, "smsVerificationMessage", 6, 140, nil)
	c.str(in.EmailVerificationMessage, "emailVerificationMessage", 6, 20000, nil)
	c.str(in.EmailVerificationSubject, "emailVerificationSubject", 1, 140, nil)
	c.str(in.SmsAuthenticationMessage, "smsAuthenticationMessage", 6, 140, nil)
	c.enum(in.MfaConfiguration, "mfaConfiguration", "OFF", "ON", "OPTIONAL")
	if ac := in.AdminCreateUserConfig; ac != nil {
		c.num(ac.UnusedAccountValidityDays, "adminCreateUserConfig.unusedAccountValidityDays", 0, 365)
	}
	c.enum(in.UserPoolTier, "userPoolTier", "LITE", "ESSENTIALS", "PLUS")
}

// settings translates the JSON members to userpool's Go settings; the
// echo-only members become canonical JSON by member name.
func (in *poolSettingsInput) settings() (userpool.PoolSettings, error) {
	s := userpool.PoolSettings{
		AutoVerified:       in.AutoVerifiedAttributes,
		MfaConfiguration:   in.MfaConfiguration,
		DeletionProtection: in.DeletionProtection,
		Extra:              map[string][]byte{},
	}
	objects := map[string]json.RawMessage{
		"LambdaConfig":                in.LambdaConfig,
		"VerificationMessageTemplate": in.VerificationMessageTemplate,
		"UserAttributeUpdateSettings": in.UserAttributeUpdateSettings,
		"DeviceConfiguration":         in.DeviceConfiguration,
		"EmailConfiguration":          in.EmailConfiguration,
		"SmsConfiguration":            in.SmsConfiguration,
		"UserPoolAddOns":              in.UserPoolAddOns,
		"AccountRecoverySetting":      in.AccountRecoverySetting,
		"IssuerConfiguration":         in.IssuerConfiguration,
		"KeyConfiguration":            in.KeyConfiguration,
	}
	if in.Policies != nil {
		objects[userpool.ExtraSignInPolicy] = in.Policies.SignInPolicy
	}
	if in.AdminCreateUserConfig != nil {
		objects[userpool.ExtraInviteMessageTemplate] = in.AdminCreateUserConfig.InviteMessageTemplate
	}
	for member, raw := range objects {
		v, err := rawObject(raw, member)
		if err != nil {
			return s, err
		}
		if v != nil {
			s.Extra[member] = v
		}
	}
	values := map[string]any{}
	for member, v := range map[string]*string{
		"SmsVerificationMessage":   in.SmsVerificationMessage,
		"EmailVerificationMessage": in.EmailVerificationMessage,
		"EmailVerificationSubject": in.EmailVerificationSubject,
		"SmsAuthenticationMessage": in.SmsAuthenticationMessage,
	} {
		if v != nil {
			values[member] = *v
		}
	}
	if in.UserPoolTags != nil {
		values["UserPoolTags"] = in.UserPoolTags
	}
	if in.UserPoolTier != "" {
		values["UserPoolTier"] = in.UserPoolTier
	}
	if in.Policies != nil && in.Policies.PasswordPolicy != nil {
		pp := in.Policies.PasswordPolicy
		s.PasswordPolicy = &storage.PasswordPolicy{
			MinimumLength:                 mgmtInt(pp.MinimumLength),
			RequireUppercase:              pp.RequireUppercase,
			RequireLowercase:              pp.RequireLowercase,
			RequireNumbers:                pp.RequireNumbers,
			RequireSymbols:                pp.RequireSymbols,
			TemporaryPasswordValidityDays: mgmtInt(pp.TemporaryPasswordValidityDays),
		}
		if pp.PasswordHistorySize != nil {
			values[userpool.ExtraPasswordHistorySize] = *pp.PasswordHistorySize
		}
	}
	for member, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			return s, err
		}
		s.Extra[member] = b
	}
	if ac := in.AdminCreateUserConfig; ac != nil {
		s.AdminCreateOnly = ac.AllowAdminCreateUserOnly
		s.UnusedAccountDays = mgmtInt(ac.UnusedAccountValidityDays)
	}
	return s, nil
}

func mgmtInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

type stringConstraintsInput struct {
	MinLength *string `json:"MinLength"`
	MaxLength *string `json:"MaxLength"`
}

type numberConstraintsInput struct {
	MinValue *string `json:"MinValue"`
	MaxValue *string `json:"MaxValue"`
}

type schemaAttributeInput struct {
	Name                       *string                 `json:"Name"`
	AttributeDataType          string                  `json:"AttributeDataType"`
	DeveloperOnlyAttribute     bool                    `json:"DeveloperOnlyAttribute"`
	Mutable                    *bool                   `json:"Mutable"`
	Required                   *bool                   `json:"Required"`
	StringAttributeConstraints *stringConstraintsInput `json:"StringAttributeConstraints"`
	NumberAttributeConstraints *numberConstraintsInput `json:"NumberAttributeConstraints"`
}

// toUserpool parses the string-typed constraints Cognito's API uses.
func (s schemaAttributeInput) toUserpool() (userpool.SchemaAttributeInput, error) {
	out := userpool.SchemaAttributeInput{
		Name:              mgmtStr(s.Name),
		AttributeDataType: s.AttributeDataType,
		Mutable:           s.Mutable,
		Required:          s.Required,
		DeveloperOnly:     s.DeveloperOnlyAttribute,
	}
	parse := func(v *string, what string) (*int, error) {
		if v == nil {
			return nil, nil
		}
		n, err := strconv.Atoi(*v)
		if err != nil {
			return nil, exception.Newf(exception.InvalidParameter, "Invalid %s %q for attribute %s.", what, *v, out.Name)
		}
		return &n, nil
	}
	var err error
	if sc := s.StringAttributeConstraints; sc != nil {
		if out.MinLength, err = parse(sc.MinLength, "MinLength"); err != nil {
			return out, err
		}
		if out.MaxLength, err = parse(sc.MaxLength, "MaxLength"); err != nil {
			return out, err
		}
	}
	if nc := s.NumberAttributeConstraints; nc != nil {
		if out.MinValue, err = parse(nc.MinValue, "MinValue"); err != nil {
			return out, err
		}
		if out.MaxValue, err = parse(nc.MaxValue, "MaxValue"); err != nil {
			return out, err
		}
	}
	return out, nil
}

func mgmtStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

type createUserPoolInput struct {
	PoolName *string `json:"PoolName"`
	poolSettingsInput
	AliasAttributes       []string               `json:"AliasAttributes"`
	UsernameAttributes    []string               `json:"UsernameAttributes"`
	Schema                []schemaAttributeInput `json:"Schema"`
	UsernameConfiguration *struct {
		CaseSensitive *bool `json:"CaseSensitive"`
	} `json:"UsernameConfiguration"`
}

func (in *createUserPoolInput) validate() error {
	var c memberChecks
	c.required(in.PoolName != nil, "poolName")
	c.str(in.PoolName, "poolName", 1, 128, mgmtNamePattern)
	in.check(&c)
	c.enumList(in.AliasAttributes, "aliasAttributes", "phone_number", "email", "preferred_username")
	c.enumList(in.UsernameAttributes, "usernameAttributes", "phone_number", "email")
	if len(in.Schema) > 50 {
		c.add(constraint("[...]", "schema", "Member must have length less than or equal to 50"))
	}
	for i, a := range in.Schema {
		member := "schema." + strconv.Itoa(i+1) + ".member"
		c.str(a.Name, member+".name", 1, 20, mgmtUsernamePattern)
		c.enum(a.AttributeDataType, member+".attributeDataType", "String", "Number", "DateTime", "Boolean")
	}
	if uc := in.UsernameConfiguration; uc != nil && uc.CaseSensitive == nil {
		c.add(required("usernameConfiguration.caseSensitive"))
	}
	return c.err
}

type userPoolOutput struct {
	UserPool userPoolShape `json:"UserPool"`
}

func (a *API) createUserPool(ctx context.Context, in *createUserPoolInput) (*userPoolOutput, error) {
	settings, err := in.settings()
	if err != nil {
		return nil, err
	}
	settings.Name = *in.PoolName
	pin := userpool.CreatePoolInput{
		PoolSettings:  settings,
		UsernameAttrs: in.UsernameAttributes,
		AliasAttrs:    in.AliasAttributes,
	}
	if in.UsernameConfiguration != nil {
		pin.CaseSensitive = in.UsernameConfiguration.CaseSensitive
	}
	for _, s := range in.Schema {
		attr, err := s.toUserpool()
		if err != nil {
			return nil, err
		}
		pin.Schema = append(pin.Schema, attr)
	}
	p, err := a.Pools.CreatePool(ctx, pin)
	if err != nil {
		return nil, err
	}
	return &userPoolOutput{UserPool: userPoolType(p, 0)}, nil
}

type userPoolIDInput struct {
	UserPoolId *string `json:"UserPoolId"`
}

func (in *userPoolIDInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	return c.err
}

func (a *API) describeUserPool(ctx context.Context, in *userPoolIDInput) (*userPoolOutput, error) {
	p, err := a.Pools.Pool(ctx, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	n, err := a.Pools.EstimatedNumberOfUsers(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return &userPoolOutput{UserPool: userPoolType(p, n)}, nil
}

type listUserPoolsInput struct {
	MaxResults *int    `json:"MaxResults"`
	NextToken  *string `json:"NextToken"`
}

func (in *listUserPoolsInput) validate() error {
	var c memberChecks
	c.required(in.MaxResults != nil, "maxResults")
	c.limit(in.MaxResults, "maxResults", 60)
	c.str(in.NextToken, "nextToken", 1, 131072, nil)
	return c.err
}

type listUserPoolsOutput struct {
	UserPools []userPoolDescription `json:"UserPools"`
	NextToken string                `json:"NextToken,omitempty"`
}

func (a *API) listUserPools(ctx context.Context, in *listUserPoolsInput) (*listUserPoolsOutput, error) {
	pools, err := a.Pools.ListPools(ctx)
	if err != nil {
		return nil, err
	}
	page, next, err := pageOf(pools, func(p storage.Pool) string { return p.ID }, *in.MaxResults, mgmtStr(in.NextToken))
	if err != nil {
		return nil, err
	}
	out := &listUserPoolsOutput{UserPools: []userPoolDescription{}, NextToken: next}
	for _, p := range page {
		out.UserPools = append(out.UserPools, userPoolDescription{
			Id: p.ID, Name: p.Name, LambdaConfig: p.Extra["LambdaConfig"], Status: "Enabled",
			LastModifiedDate: epochTime(p.LastModifiedAt), CreationDate: epochTime(p.CreatedAt),
		})
	}
	return out, nil
}

type updateUserPoolInput struct {
	UserPoolId *string `json:"UserPoolId"`
	PoolName   *string `json:"PoolName"`
	poolSettingsInput
}

func (in *updateUserPoolInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.str(in.PoolName, "poolName", 1, 128, mgmtNamePattern)
	in.check(&c)
	return c.err
}

func (a *API) updateUserPool(ctx context.Context, in *updateUserPoolInput) (struct{}, error) {
	settings, err := in.settings()
	if err != nil {
		return struct{}{}, err
	}
	settings.Name = mgmtStr(in.PoolName)
	_, err = a.Pools.UpdatePool(ctx, *in.UserPoolId, settings)
	return struct{}{}, err
}

func (a *API) deleteUserPool(ctx context.Context, in *userPoolIDInput) (struct{}, error) {
	return struct{}{}, a.Pools.DeletePool(ctx, *in.UserPoolId)
}

// --- domains ----------------------------------------------------------

type userPoolDomainInput struct {
	Domain             *string `json:"Domain"`
	UserPoolId         *string `json:"UserPoolId"`
	CustomDomainConfig *struct {
		CertificateArn *string `json:"CertificateArn"`
	} `json:"CustomDomainConfig"`
	ManagedLoginVersion *int `json:"ManagedLoginVersion"`
}

func (in *userPoolDomainInput) validate() error {
	var c memberChecks
	maxLen := 63 // a prefix; a custom domain is a full host name
	if in.CustomDomainConfig != nil {
		maxLen = 253
	}
	c.required(in.Domain != nil, "domain")
	c.str(in.Domain, "domain", 1, maxLen, nil)
	if in.CustomDomainConfig != nil {
		c.required(in.CustomDomainConfig.CertificateArn != nil, "customDomainConfig.certificateArn")
	}
	c.poolID(in.UserPoolId)
	return c.err
}

type createUserPoolDomainOutput struct {
	CloudFrontDomain string `json:"CloudFrontDomain,omitempty"`
}

func (a *API) createUserPoolDomain(ctx context.Context, in *userPoolDomainInput) (*createUserPoolDomainOutput, error) {
	din := userpool.DomainInput{PoolID: *in.UserPoolId, Domain: *in.Domain}
	if in.CustomDomainConfig != nil {
		din.CertificateArn = *in.CustomDomainConfig.CertificateArn
	}
	cf, err := a.Pools.CreateDomain(ctx, din)
	if err != nil {
		return nil, err
	}
	return &createUserPoolDomainOutput{CloudFrontDomain: cf}, nil
}

func (a *API) deleteUserPoolDomain(ctx context.Context, in *userPoolDomainInput) (struct{}, error) {
	return struct{}{}, a.Pools.DeleteDomain(ctx, *in.UserPoolId, *in.Domain)
}

type describeUserPoolDomainInput struct {
	Domain *string `json:"Domain"`
}

func (in *describeUserPoolDomainInput) validate() error {
	var c memberChecks
	c.required(in.Domain != nil, "domain")
	c.str(in.Domain, "domain", 1, 253, nil)
	return c.err
}

// domainDescription is DomainDescriptionType; an unknown domain is
// described as an empty object, as Cognito does.
type domainDescription struct {
	UserPoolId             string          `json:"UserPoolId,omitempty"`
	AWSAccountId           string          `json:"AWSAccountId,omitempty"`
	Domain                 string          `json:"Domain,omitempty"`
	CloudFrontDistribution string          `json:"CloudFrontDistribution,omitempty"`
	Status                 string          `json:"Status,omitempty"`
	CustomDomainConfig     json.RawMessage `json:"CustomDomainConfig,omitempty"`
}

type describeUserPoolDomainOutput struct {
	DomainDescription domainDescription `json:"DomainDescription"`
}

func (a *API) describeUserPoolDomain(ctx context.Context, in *describeUserPoolDomainInput) (*describeUserPoolDomainOutput, error) {
	p, found, err := a.Pools.PoolByDomain(ctx, *in.Domain)
	if err != nil || !found {
		return &describeUserPoolDomainOutput{}, err
	}
	d := domainDescription{
		UserPoolId:             p.ID,
		AWSAccountId:           userpool.AccountID,
		Domain:                 p.Domain,
		CloudFrontDistribution: userpool.CloudFrontDistribution(p.Domain),
		Status:                 "ACTIVE",
	}
	if userpool.IsCustomDomain(p) {
		d.CustomDomainConfig = p.Extra[userpool.ExtraCustomDomainConfig]
	}
	return &describeUserPoolDomainOutput{DomainDescription: d}, nil
}
