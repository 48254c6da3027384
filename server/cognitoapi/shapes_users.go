package cognitoapi

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// Inputs and outputs of the user lifecycle actions (spec §7.1, §7.2).
// Members locognito does not act on (ClientMetadata, ValidationData,
// AnalyticsMetadata, UserContextData, Session) are accepted and ignored.
// Required members are pointers so that an absent one ("Member must not be
// null") and an empty one (a length constraint) get Cognito's two messages.

var (
	nonSpacePattern      = regexp.MustCompile(`^[\S]+$`)
	attributeNamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)
)

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// username checks a required Username.
func (c *memberChecks) username(v *string) {
	c.required(v != nil, "username")
	c.str(v, "username", 1, 128, mgmtUsernamePattern)
}

// accessToken checks a required AccessToken without echoing it.
func (c *memberChecks) accessToken(v *string) {
	c.required(v != nil, "accessToken")
	if v != nil && (*v == "" || !authTokenPattern.MatchString(*v)) {
		c.add(constraint("***", "accessToken", `Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+`))
	}
}

// password checks that a required password member is present; the policy
// (userpool.CheckPasswordPolicy) judges its content without echoing it.
func (c *memberChecks) password(v *string, member string) {
	c.required(v != nil, member)
}

// code checks a required confirmation code.
func (c *memberChecks) code(v *string, member string) {
	c.required(v != nil, member)
	c.str(v, member, 1, 2048, nonSpacePattern)
}

// attributes checks a UserAttributes list: every entry needs a Name.
func (c *memberChecks) attributes(attrs []attributeShapeIn, member string) {
	for i, a := range attrs {
		if a.Name == nil {
			c.add(required(fmt.Sprintf("%s.%d.member.name", member, i+1)))
			return
		}
	}
}

// attributeShapeIn is an AttributeType in a request; Value may be absent.
type attributeShapeIn struct {
	Name  *string
	Value *string
}

func userAttributes(in []attributeShapeIn) []userpool.UserAttribute {
	out := make([]userpool.UserAttribute, len(in))
	for i, a := range in {
		out[i] = userpool.UserAttribute{Name: deref(a.Name), Value: deref(a.Value)}
	}
	return out
}

func attributeShapes(in []userpool.UserAttribute) []attributeShape {
	out := make([]attributeShape, len(in))
	for i, a := range in {
		out[i] = attributeShape{Name: a.Name, Value: a.Value}
	}
	return out
}

// codeDeliveryShape is CodeDeliveryDetailsType.
type codeDeliveryShape struct {
	Destination    string `json:"Destination,omitempty"`
	DeliveryMedium string `json:"DeliveryMedium,omitempty"`
	AttributeName  string `json:"AttributeName,omitempty"`
}

func codeDelivery(d *userpool.CodeDelivery) *codeDeliveryShape {
	if d == nil {
		return nil
	}
	return &codeDeliveryShape{Destination: d.Destination, DeliveryMedium: d.DeliveryMedium, AttributeName: d.AttributeName}
}

// userTypeWith is UserType with only the named attributes (ListUsers
// AttributesToGet; nil = all).
func userTypeWith(u storage.User, names []string) userTypeShape {
	out := userType(u)
	if names != nil {
		out.Attributes = slices.DeleteFunc(out.Attributes, func(a attributeShape) bool { return !slices.Contains(names, a.Name) })
	}
	return out
}

// --- sign-up and confirmation -----------------------------------------

type signUpInput struct {
	ClientId       *string
	SecretHash     string
	Username       *string
	Password       *string
	UserAttributes []attributeShapeIn
}

func (in *signUpInput) validate() error {
	var c memberChecks
	c.clientID(in.ClientId)
	c.username(in.Username)
	c.password(in.Password, "password")
	c.attributes(in.UserAttributes, "userAttributes")
	return c.err
}

type signUpOutput struct {
	UserConfirmed       bool               `json:"UserConfirmed"`
	UserSub             string             `json:"UserSub"`
	CodeDeliveryDetails *codeDeliveryShape `json:"CodeDeliveryDetails,omitempty"`
}

type confirmSignUpInput struct {
	ClientId           *string
	SecretHash         string
	Username           *string
	ConfirmationCode   *string
	ForceAliasCreation bool
}

func (in *confirmSignUpInput) validate() error {
	var c memberChecks
	c.clientID(in.ClientId)
	c.username(in.Username)
	c.code(in.ConfirmationCode, "confirmationCode")
	return c.err
}

type resendConfirmationCodeInput struct {
	ClientId   *string
	SecretHash string
	Username   *string
}

func (in *resendConfirmationCodeInput) validate() error {
	var c memberChecks
	c.clientID(in.ClientId)
	c.username(in.Username)
	return c.err
}

// codeDeliveryOutput is the output of actions that send one code.
type codeDeliveryOutput struct {
	CodeDeliveryDetails *codeDeliveryShape `json:"CodeDeliveryDetails,omitempty"`
}

// adminUserInput is the input of the admin actions on one user.
type adminUserInput struct {
	UserPoolId *string
	Username   *string
}

func (in *adminUserInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.username(in.Username)
	return c.err
}

// --- admin user management --------------------------------------------

type adminCreateUserInput struct {
	UserPoolId             *string
	Username               *string
	UserAttributes         []attributeShapeIn
	TemporaryPassword      *string
	MessageAction          string
	DesiredDeliveryMediums []string
	ForceAliasCreation     bool
}

func (in *adminCreateUserInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.username(in.Username)
	c.attributes(in.UserAttributes, "userAttributes")
	c.enum(in.MessageAction, "messageAction", "RESEND", "SUPPRESS")
	c.enumList(in.DesiredDeliveryMediums, "desiredDeliveryMediums", "SMS", "EMAIL")
	return c.err
}

type adminCreateUserOutput struct {
	User userTypeShape `json:"User"`
}

type adminSetUserPasswordInput struct {
	UserPoolId *string
	Username   *string
	Password   *string
	Permanent  bool
}

func (in *adminSetUserPasswordInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.username(in.Username)
	c.password(in.Password, "password")
	return c.err
}

// adminGetUserOutput is AdminGetUser's output; MFAOptions is absent, as for
// a user without SMS MFA.
type adminGetUserOutput struct {
	Username             string           `json:"Username"`
	UserAttributes       []attributeShape `json:"UserAttributes"`
	UserCreateDate       epochTime        `json:"UserCreateDate"`
	UserLastModifiedDate epochTime        `json:"UserLastModifiedDate"`
	Enabled              bool             `json:"Enabled"`
	UserStatus           string           `json:"UserStatus"`
}

type adminUpdateUserAttributesInput struct {
	UserPoolId     *string
	Username       *string
	UserAttributes []attributeShapeIn
}

func (in *adminUpdateUserAttributesInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.username(in.Username)
	c.required(in.UserAttributes != nil, "userAttributes")
	c.attributes(in.UserAttributes, "userAttributes")
	return c.err
}

type adminDeleteUserAttributesInput struct {
	UserPoolId         *string
	Username           *string
	UserAttributeNames []string
}

func (in *adminDeleteUserAttributesInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.username(in.Username)
	c.required(in.UserAttributeNames != nil, "userAttributeNames")
	c.list(in.UserAttributeNames, "userAttributeNames", 0, 1, 32)
	return c.err
}

type listUsersInput struct {
	UserPoolId      *string
	AttributesToGet []string
	Filter          *string
	Limit           *int
	PaginationToken *string
}

func (in *listUsersInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.str(in.Filter, "filter", 0, 256, nil)
	c.num(in.Limit, "limit", 0, userpool.MaxListUsersLimit)
	c.str(in.PaginationToken, "paginationToken", 1, 0, nonSpacePattern)
	c.list(in.AttributesToGet, "attributesToGet", 0, 1, 32)
	return c.err
}

type listUsersOutput struct {
	Users           []userTypeShape `json:"Users"`
	PaginationToken string          `json:"PaginationToken,omitempty"`
}

// --- passwords ----------------------------------------------------------

type forgotPasswordInput struct {
	ClientId   *string
	SecretHash string
	Username   *string
}

func (in *forgotPasswordInput) validate() error {
	var c memberChecks
	c.clientID(in.ClientId)
	c.username(in.Username)
	return c.err
}

type confirmForgotPasswordInput struct {
	ClientId         *string
	SecretHash       string
	Username         *string
	ConfirmationCode *string
	Password         *string
}

func (in *confirmForgotPasswordInput) validate() error {
	var c memberChecks
	c.clientID(in.ClientId)
	c.username(in.Username)
	c.code(in.ConfirmationCode, "confirmationCode")
	c.password(in.Password, "password")
	return c.err
}

type changePasswordInput struct {
	AccessToken      *string
	PreviousPassword string
	ProposedPassword *string
}

func (in *changePasswordInput) validate() error {
	var c memberChecks
	c.accessToken(in.AccessToken)
	c.password(in.ProposedPassword, "proposedPassword")
	return c.err
}

// --- self-service (access token) --------------------------------------

type accessTokenInput struct {
	AccessToken *string
}

func (in *accessTokenInput) validate() error {
	var c memberChecks
	c.accessToken(in.AccessToken)
	return c.err
}

type getUserOutput struct {
	Username       string           `json:"Username"`
	UserAttributes []attributeShape `json:"UserAttributes"`
}

type updateUserAttributesInput struct {
	AccessToken    *string
	UserAttributes []attributeShapeIn
}

func (in *updateUserAttributesInput) validate() error {
	var c memberChecks
	c.required(in.UserAttributes != nil, "userAttributes")
	c.attributes(in.UserAttributes, "userAttributes")
	c.accessToken(in.AccessToken)
	return c.err
}

type updateUserAttributesOutput struct {
	CodeDeliveryDetailsList []codeDeliveryShape `json:"CodeDeliveryDetailsList,omitempty"`
}

type deleteUserAttributesInput struct {
	AccessToken        *string
	UserAttributeNames []string
}

func (in *deleteUserAttributesInput) validate() error {
	var c memberChecks
	c.required(in.UserAttributeNames != nil, "userAttributeNames")
	c.list(in.UserAttributeNames, "userAttributeNames", 0, 1, 32)
	c.accessToken(in.AccessToken)
	return c.err
}

type attributeVerificationInput struct {
	AccessToken   *string
	AttributeName *string
	Code          *string // VerifyUserAttribute only
}

func (in *attributeVerificationInput) check(withCode bool) error {
	var c memberChecks
	c.accessToken(in.AccessToken)
	c.required(in.AttributeName != nil, "attributeName")
	c.str(in.AttributeName, "attributeName", 1, 32, attributeNamePattern)
	if withCode {
		c.code(in.Code, "code")
	}
	return c.err
}

type getUserAttributeVerificationCodeInput struct{ attributeVerificationInput }

func (in *getUserAttributeVerificationCodeInput) validate() error { return in.check(false) }

type verifyUserAttributeInput struct{ attributeVerificationInput }

func (in *verifyUserAttributeInput) validate() error { return in.check(true) }
