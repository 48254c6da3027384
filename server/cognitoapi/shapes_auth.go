package cognitoapi

import (
	"regexp"
	"slices"
	"strings"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/server/userpool"
)

// Inputs and outputs of the sign-in and token actions (spec §7.1, §7.2).
// Members locognito does not act on (ClientMetadata, AnalyticsMetadata,
// UserContextData, ContextData, DeviceKey) are accepted and ignored.

type initiateAuthInput struct {
	AuthFlow       string
	ClientId       string
	AuthParameters map[string]string
}

func (in *initiateAuthInput) validate() error {
	if err := checkAuthFlow(in.AuthFlow); err != nil {
		return err
	}
	return checkAuthClientID(in.ClientId)
}

type adminInitiateAuthInput struct {
	UserPoolId string
	initiateAuthInput
}

func (in *adminInitiateAuthInput) validate() error {
	if in.UserPoolId == "" {
		return required("userPoolId")
	}
	return in.initiateAuthInput.validate()
}

type respondToAuthChallengeInput struct {
	ClientId           string
	ChallengeName      string
	Session            string
	ChallengeResponses map[string]string
}

func (in *respondToAuthChallengeInput) validate() error {
	if err := checkAuthClientID(in.ClientId); err != nil {
		return err
	}
	if in.ChallengeName == "" {
		return required("challengeName")
	}
	if !slices.Contains(challengeNames, in.ChallengeName) {
		return constraint(in.ChallengeName, "challengeName", "Member must satisfy enum value set: ["+strings.Join(challengeNames, ", ")+"]")
	}
	if in.Session != "" && (len(in.Session) < 20 || len(in.Session) > 2048) {
		return authSensitive("session", "Member must have length between 20 and 2048")
	}
	return nil
}

type adminRespondToAuthChallengeInput struct {
	UserPoolId string
	respondToAuthChallengeInput
}

func (in *adminRespondToAuthChallengeInput) validate() error {
	if in.UserPoolId == "" {
		return required("userPoolId")
	}
	return in.respondToAuthChallengeInput.validate()
}

type getTokensFromRefreshTokenInput struct {
	RefreshToken string
	ClientId     string
	ClientSecret string
}

func (in *getTokensFromRefreshTokenInput) validate() error {
	if in.RefreshToken == "" {
		return required("refreshToken")
	}
	return checkAuthClientID(in.ClientId)
}

type globalSignOutInput struct {
	AccessToken string
}

func (in *globalSignOutInput) validate() error {
	if in.AccessToken == "" {
		return required("accessToken")
	}
	return nil
}

type adminUserGlobalSignOutInput struct {
	UserPoolId string
	Username   string
}

func (in *adminUserGlobalSignOutInput) validate() error {
	if in.UserPoolId == "" {
		return required("userPoolId")
	}
	if in.Username == "" {
		return required("username")
	}
	return nil
}

type revokeTokenInput struct {
	Token        string
	ClientId     string
	ClientSecret string
}

func (in *revokeTokenInput) validate() error {
	if in.Token == "" {
		return required("token")
	}
	if !authTokenPattern.MatchString(in.Token) {
		return authSensitive("token", `Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+`)
	}
	return checkAuthClientID(in.ClientId)
}

// authenticationResult is AuthenticationResultType. Members appear in
// Cognito's order; RefreshToken only when one was issued.
type authenticationResult struct {
	AccessToken  string
	ExpiresIn    int
	IdToken      string `json:",omitempty"`
	RefreshToken string `json:",omitempty"`
	TokenType    string
}

// authOutput is the output of the Initiate and Respond actions: tokens with
// empty ChallengeParameters, or a challenge with its Session.
type authOutput struct {
	AuthenticationResult *authenticationResult `json:",omitempty"`
	ChallengeName        string                `json:",omitempty"`
	ChallengeParameters  map[string]string
	Session              string `json:",omitempty"`
}

type getTokensFromRefreshTokenOutput struct {
	AuthenticationResult *authenticationResult
}

func newAuthenticationResult(r tokens.Result) *authenticationResult {
	return &authenticationResult{
		AccessToken: r.AccessToken, ExpiresIn: r.ExpiresIn, IdToken: r.IDToken,
		RefreshToken: r.RefreshToken, TokenType: r.TokenType,
	}
}

func newAuthOutput(o userpool.AuthOutput) authOutput {
	out := authOutput{ChallengeName: o.ChallengeName, ChallengeParameters: o.ChallengeParameters, Session: o.Session}
	if o.Result != nil {
		out.AuthenticationResult = newAuthenticationResult(*o.Result)
	}
	if out.ChallengeParameters == nil {
		out.ChallengeParameters = map[string]string{}
	}
	return out
}

// authFlows is AuthFlowType in the API model's order.
var authFlows = []string{
	"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH",
	"ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH",
}

// challengeNames is ChallengeNameType in the API model's order.
var challengeNames = []string{
	"SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP",
	"PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH",
	"DEVICE_PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH", "NEW_PASSWORD_REQUIRED",
	"SMS_OTP", "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP",
}

var (
	authClientIDPattern = regexp.MustCompile(`^[\w+]+$`)
	authTokenPattern    = regexp.MustCompile(`^[A-Za-z0-9\-_=.]+$`)
)

func checkAuthFlow(flow string) error {
	if flow == "" {
		return required("authFlow")
	}
	if !slices.Contains(authFlows, flow) {
		return constraint(flow, "authFlow", "Member must satisfy enum value set: ["+strings.Join(authFlows, ", ")+"]")
	}
	return nil
}

// checkAuthClientID applies ClientIdType: 1–128 of [\w+].
func checkAuthClientID(id string) error {
	switch {
	case id == "":
		return required("clientId")
	case len(id) > 128:
		return authSensitive("clientId", "Member must have length less than or equal to 128")
	case !authClientIDPattern.MatchString(id):
		return authSensitive("clientId", `Member must satisfy regular expression pattern: [\w+]+`)
	}
	return nil
}

// authSensitive is the validation error for a member Cognito's model marks
// sensitive (ClientId, Session, Token): the value is not echoed.
func authSensitive(member, rule string) error {
	return exception.Newf(exception.InvalidParameter,
		"1 validation error detected: Value at '%s' failed to satisfy constraint: %s", member, rule)
}
