package userpool

import (
	"github.com/locognito/locognito/storage"
)

// AccountID is the 12-digit AWS account that owns every locognito pool; it
// appears in pool ARNs and domain descriptions.
const AccountID = "000000000000"

// PoolARN is the pool's ARN as DescribeUserPool shows it.
func PoolARN(p storage.Pool) string {
	return "arn:aws:cognito-idp:" + p.Region + ":" + AccountID + ":userpool/" + p.ID
}

// DefaultPasswordPolicy is the policy of a pool created without one (spec
// §7.3, observed defaults).
func DefaultPasswordPolicy() storage.PasswordPolicy {
	return storage.PasswordPolicy{
		MinimumLength:                 8,
		RequireUppercase:              true,
		RequireLowercase:              true,
		RequireNumbers:                true,
		RequireSymbols:                true,
		TemporaryPasswordValidityDays: 7,
	}
}

// Defaults of the remaining pool settings.
const (
	DefaultUnusedAccountDays  = 7
	DefaultMfaConfiguration   = "OFF"
	DefaultDeletionProtection = "INACTIVE"
)

// Keys of storage.Pool.Extra: settings locognito stores and echoes as JSON
// without acting on them, by their Cognito member name. ExtraSignInPolicy and
// ExtraPasswordHistorySize are parts of Policies; ExtraInviteMessageTemplate
// is part of AdminCreateUserConfig; ExtraUsernameConfiguration marks that
// UsernameConfiguration was given (its value lives in Pool.CaseSensitive);
// ExtraCustomDomainConfig marks Pool.Domain as a custom domain.
const (
	ExtraSignInPolicy          = "SignInPolicy"
	ExtraPasswordHistorySize   = "PasswordHistorySize"
	ExtraInviteMessageTemplate = "InviteMessageTemplate"
	ExtraUsernameConfiguration = "UsernameConfiguration"
	ExtraCustomDomainConfig    = "CustomDomainConfig"
)

// UpdatableExtras are the echo-only members that CreateUserPool and
// UpdateUserPool both take. UpdateUserPool replaces all of them: a member it
// does not send returns to its default (or disappears), as in Cognito.
var UpdatableExtras = []string{
	"AccountRecoverySetting", "DeviceConfiguration", "EmailConfiguration",
	"EmailVerificationMessage", "EmailVerificationSubject", "LambdaConfig",
	"SmsAuthenticationMessage", "SmsConfiguration", "SmsVerificationMessage",
	"UserAttributeUpdateSettings", "UserPoolAddOns", "UserPoolTags",
	"VerificationMessageTemplate", "UserPoolTier", "IssuerConfiguration",
	"KeyConfiguration", ExtraSignInPolicy, ExtraPasswordHistorySize,
	ExtraInviteMessageTemplate,
}

// defaultExtras are what a new pool echoes for members it was not given.
var defaultExtras = map[string]string{
	"EmailConfiguration":          `{"EmailSendingAccount":"COGNITO_DEFAULT"}`,
	"LambdaConfig":                `{}`,
	"VerificationMessageTemplate": `{"DefaultEmailOption":"CONFIRM_WITH_CODE"}`,
	"UserAttributeUpdateSettings": `{"AttributesRequireVerificationBeforeUpdate":[]}`,
	"UserPoolTier":                `"ESSENTIALS"`,
	ExtraSignInPolicy:             `{"AllowedFirstAuthFactors":["PASSWORD"]}`,
}

func schemaInt(v int) *int { return &v }

// standardAttribute describes one of Cognito's standard attributes as
// DescribeUserPool reports it on a fresh pool.
func schemaStandardAttr(name, dataType string) storage.SchemaAttribute {
	a := storage.SchemaAttribute{Name: name, AttributeDataType: dataType, Mutable: true}
	switch dataType {
	case "String":
		a.MinLength, a.MaxLength = schemaInt(0), schemaInt(2048)
	case "Number":
		a.MinValue = schemaInt(0)
	}
	return a
}

// StandardSchema returns the standard attributes in Cognito's order.
func StandardSchema() []storage.SchemaAttribute {
	sub := schemaStandardAttr("sub", "String")
	sub.Mutable, sub.Required, sub.MinLength = false, true, schemaInt(1)
	birthdate := schemaStandardAttr("birthdate", "String")
	birthdate.MinLength, birthdate.MaxLength = schemaInt(10), schemaInt(10)
	out := []storage.SchemaAttribute{sub}
	for _, n := range []string{"name", "given_name", "family_name", "middle_name", "nickname",
		"preferred_username", "profile", "picture", "website", "email"} {
		out = append(out, schemaStandardAttr(n, "String"))
	}
	out = append(out, schemaStandardAttr("email_verified", "Boolean"),
		schemaStandardAttr("gender", "String"), birthdate,
		schemaStandardAttr("zoneinfo", "String"), schemaStandardAttr("locale", "String"),
		schemaStandardAttr("phone_number", "String"), schemaStandardAttr("phone_number_verified", "Boolean"),
		schemaStandardAttr("address", "String"), schemaStandardAttr("updated_at", "Number"))
	return out
}

// standardAttributeNames is the set of StandardSchema names.
var standardAttributeNames = func() map[string]bool {
	m := map[string]bool{}
	for _, a := range StandardSchema() {
		m[a.Name] = true
	}
	return m
}()

// IsStandardAttribute reports whether name is one of the standard attributes.
func IsStandardAttribute(name string) bool { return standardAttributeNames[name] }
