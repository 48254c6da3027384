package cognitoapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server"
	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// userEnv is a running server with one pool and one public app client,
// both created through the SDK, for the user lifecycle tests.
type userEnv struct {
	t        *testing.T
	ts       *servertest.TestServer
	ctx      context.Context
	poolID   string
	clientID string
}

// goodPassword satisfies the default policy.
const goodPassword = "Passw0rd!"

// fixedCode is every code when the server runs withFixedCode.
const fixedCode = "135790"

func withFixedCode() servertest.Option {
	return servertest.WithConfig(func(c *server.Config) { c.FixedCode = fixedCode })
}

// customAttr is a mutable custom String attribute of the test pools.
func customAttr(name string) types.SchemaAttributeType {
	return types.SchemaAttributeType{Name: aws.String(name), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)}
}

// newUserEnv starts a server and creates, through the SDK, a pool that
// auto-verifies email and has custom:username and custom:mode, and a
// public client with password sign-in. editPool adjusts the pool request.
func newUserEnv(t *testing.T, opts []servertest.Option, editPool ...func(*cip.CreateUserPoolInput)) *userEnv {
	t.Helper()
	ts := servertest.Start(t, opts...)
	e := &userEnv{t: t, ts: ts, ctx: context.Background()}
	in := &cip.CreateUserPoolInput{
		PoolName:               aws.String("users"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema:                 []types.SchemaAttributeType{customAttr("username"), customAttr("mode")},
	}
	for _, f := range editPool {
		f(in)
	}
	out, err := ts.Client.CreateUserPool(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	e.poolID = *out.UserPool.Id
	e.clientID = e.newClient()
	return e
}

// newClient creates an app client with password sign-in; edit adjusts it.
func (e *userEnv) newClient(edit ...func(*cip.CreateUserPoolClientInput)) string {
	e.t.Helper()
	in := &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(e.poolID), ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
	}
	for _, f := range edit {
		f(in)
	}
	out, err := e.ts.Client.CreateUserPoolClient(e.ctx, in)
	if err != nil {
		e.t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return *out.UserPoolClient.ClientId
}

func attrList(kv ...string) []types.AttributeType {
	var out []types.AttributeType
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.AttributeType{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

// attrValues flattens an attribute list.
func attrValues(as []types.AttributeType) map[string]string {
	m := map[string]string{}
	for _, a := range as {
		m[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	return m
}

// signUp signs a user up on the env's client and fails the test on error.
func (e *userEnv) signUp(username string, kv ...string) *cip.SignUpOutput {
	e.t.Helper()
	out, err := e.ts.Client.SignUp(e.ctx, &cip.SignUpInput{
		ClientId: aws.String(e.clientID), Username: aws.String(username),
		Password: aws.String(goodPassword), UserAttributes: attrList(kv...),
	})
	if err != nil {
		e.t.Fatalf("SignUp %s: %v", username, err)
	}
	return out
}

// confirmedUser signs a user up with a verified email and confirms them.
func (e *userEnv) confirmedUser(username, email string) {
	e.t.Helper()
	e.signUp(username, "email", email)
	if _, err := e.ts.Client.AdminConfirmSignUp(e.ctx, &cip.AdminConfirmSignUpInput{
		UserPoolId: aws.String(e.poolID), Username: aws.String(username),
	}); err != nil {
		e.t.Fatalf("AdminConfirmSignUp: %v", err)
	}
	e.adminUpdate(username, "email_verified", "true")
}

func (e *userEnv) adminUpdate(username string, kv ...string) {
	e.t.Helper()
	if _, err := e.ts.Client.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{
		UserPoolId: aws.String(e.poolID), Username: aws.String(username), UserAttributes: attrList(kv...),
	}); err != nil {
		e.t.Fatalf("AdminUpdateUserAttributes: %v", err)
	}
}

// adminGet returns AdminGetUser's answer and fails the test on error.
func (e *userEnv) adminGet(username string) *cip.AdminGetUserOutput {
	e.t.Helper()
	out, err := e.ts.Client.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String(username)})
	if err != nil {
		e.t.Fatalf("AdminGetUser %s: %v", username, err)
	}
	return out
}

// messages reads the outbox through the store, as a test harness would.
func (e *userEnv) messages(username, kind string) []storage.Message {
	e.t.Helper()
	all, err := e.ts.Store.ListMessages(e.ctx, e.poolID, username)
	if err != nil {
		e.t.Fatalf("ListMessages: %v", err)
	}
	return slices.DeleteFunc(all, func(m storage.Message) bool { return m.Kind != kind })
}

// lastCode is the newest outbox entry of kind for the (internal) username.
func (e *userEnv) lastCode(username, kind string) string {
	e.t.Helper()
	ms := e.messages(username, kind)
	if len(ms) == 0 {
		e.t.Fatalf("no %s message for %s", kind, username)
	}
	return ms[len(ms)-1].Code
}

// signIn returns an access token from USER_PASSWORD_AUTH.
func (e *userEnv) signIn(username, password string) string {
	e.t.Helper()
	out, err := e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
		ClientId: aws.String(e.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
	})
	if err != nil {
		e.t.Fatalf("InitiateAuth %s: %v", username, err)
	}
	if out.AuthenticationResult == nil {
		e.t.Fatalf("InitiateAuth %s: challenge %s instead of tokens", username, out.ChallengeName)
	}
	return *out.AuthenticationResult.AccessToken
}

// raw posts a JSON API call as a bare HTTP client would (signed, so admin
// actions pass) and returns the error's __type and message ("" on success).
func (e *userEnv) raw(action string, body any) (typ, msg string) {
	e.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		e.t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.ts.URL+"/", bytes.NewReader(b))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+action)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDLOCOGNITO/20260305/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		e.t.Fatalf("%s: decode response: %v", action, err)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusBadRequest {
		e.t.Errorf("%s: status %d", action, resp.StatusCode)
	}
	return out.Type, out.Message
}

// wantAPIErr checks that err is the SDK's typed exception T with message msg
// ("" = any message).
func wantAPIErr[T error](t *testing.T, err error, msg string) {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Fatalf("error = %v, want %T", err, target)
	}
	if msg == "" {
		return
	}
	var api interface{ ErrorMessage() string }
	if errors.As(err, &api) && api.ErrorMessage() != msg {
		t.Fatalf("message = %q, want %q", api.ErrorMessage(), msg)
	}
}

func TestSignUpAndConfirmWithOutboxCode(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		out := e.signUp("jane", "email", "jane@example.com", "custom:username", "jd", "custom:mode", "dark")
		if out.UserConfirmed {
			t.Error("UserConfirmed = true, want false")
		}
		if out.UserSub == nil || len(*out.UserSub) != 36 {
			t.Errorf("UserSub = %v, want a UUID", out.UserSub)
		}
		d := out.CodeDeliveryDetails
		if d == nil || aws.ToString(d.Destination) != "j***@e***" || d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" {
			t.Fatalf("CodeDeliveryDetails = %+v, want j***@e*** EMAIL email", d)
		}
		got := e.adminGet("jane")
		if got.UserStatus != types.UserStatusTypeUnconfirmed {
			t.Errorf("status = %s, want UNCONFIRMED", got.UserStatus)
		}
		// The real random code, read from the outbox.
		msgs := e.messages("jane", userpool.KindConfirmationCode)
		if len(msgs) != 1 || msgs[0].Destination != "jane@example.com" || msgs[0].Medium != "EMAIL" {
			t.Fatalf("outbox = %+v, want one code to jane@example.com", msgs)
		}
		code := msgs[0].Code
		if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
			t.Fatalf("code %q is not 6 digits", code)
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		_, err := e.ts.Client.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(e.clientID), Username: aws.String("jane"), ConfirmationCode: aws.String(wrong)})
		wantAPIErr[*types.CodeMismatchException](t, err, "Invalid verification code provided, please try again.")
		if _, err := e.ts.Client.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{
			ClientId: aws.String(e.clientID), Username: aws.String("jane"), ConfirmationCode: aws.String(code),
		}); err != nil {
			t.Fatalf("ConfirmSignUp: %v", err)
		}
		got = e.adminGet("jane")
		a := attrValues(got.UserAttributes)
		if got.UserStatus != types.UserStatusTypeConfirmed || a["email_verified"] != "true" {
			t.Errorf("after confirm: status %s, email_verified %q; want CONFIRMED, true", got.UserStatus, a["email_verified"])
		}
		if a["custom:username"] != "jd" || a["custom:mode"] != "dark" || a["sub"] != *out.UserSub {
			t.Errorf("attributes = %v", a)
		}
		_, err = e.ts.Client.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(e.clientID), Username: aws.String("jane"), ConfirmationCode: aws.String(code)})
		wantAPIErr[*types.NotAuthorizedException](t, err, "User cannot be confirmed. Current status is CONFIRMED")
		// The confirmed user signs in.
		e.signIn("jane", goodPassword)
	})
}

func TestSignUpErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts, func(in *cip.CreateUserPoolInput) {
			in.Schema = append(in.Schema, types.SchemaAttributeType{
				Name: aws.String("given_name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true),
			})
		})
		e.signUp("taken", "given_name", "T")
		tests := []struct {
			name     string
			username string
			password string
			attrs    []types.AttributeType
			check    func(t *testing.T, err error)
		}{
			{"existing username", "taken", goodPassword, attrList("given_name", "T"), func(t *testing.T, err error) {
				wantAPIErr[*types.UsernameExistsException](t, err, "User already exists")
			}},
			{"unknown custom attribute", "u1", goodPassword, attrList("given_name", "T", "custom:nope", "x"), func(t *testing.T, err error) {
				wantAPIErr[*types.InvalidParameterException](t, err, "Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined")
			}},
			{"required attribute missing", "u2", goodPassword, nil, func(t *testing.T, err error) {
				wantAPIErr[*types.InvalidParameterException](t, err, "Attributes did not conform to the schema: given_name: The attribute is required")
			}},
			{"verified flag is not client-writable", "u3", goodPassword, attrList("given_name", "T", "email", "u3@example.com", "email_verified", "true"), func(t *testing.T, err error) {
				wantAPIErr[*types.NotAuthorizedException](t, err, "A client attempted to write unauthorized attribute")
			}},
			{"bad email", "u4", goodPassword, attrList("given_name", "T", "email", "not-an-email"), func(t *testing.T, err error) {
				wantAPIErr[*types.InvalidParameterException](t, err, "Invalid email address format.")
			}},
			{"weak password", "u5", "short", attrList("given_name", "T"), func(t *testing.T, err error) {
				wantAPIErr[*types.InvalidPasswordException](t, err, "Password did not conform with policy: Password not long enough")
			}},
			{"username with a space", "a b", goodPassword, attrList("given_name", "T"), func(t *testing.T, err error) {
				wantAPIErr[*types.InvalidParameterException](t, err, "")
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := e.ts.Client.SignUp(e.ctx, &cip.SignUpInput{
					ClientId: aws.String(e.clientID), Username: aws.String(tt.username),
					Password: aws.String(tt.password), UserAttributes: tt.attrs,
				})
				tt.check(t, err)
			})
		}
		_, err := e.ts.Client.SignUp(e.ctx, &cip.SignUpInput{ClientId: aws.String("nosuchclient"), Username: aws.String("x"), Password: aws.String(goodPassword)})
		wantAPIErr[*types.ResourceNotFoundException](t, err, "User pool client nosuchclient does not exist.")
	})
}

func TestSignUpSecretHash(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		out, err := e.ts.Client.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{
			UserPoolId: aws.String(e.poolID), ClientName: aws.String("secret"), GenerateSecret: true,
		})
		if err != nil {
			t.Fatalf("CreateUserPoolClient: %v", err)
		}
		id, secret := *out.UserPoolClient.ClientId, *out.UserPoolClient.ClientSecret
		signUp := func(hash *string) error {
			_, err := e.ts.Client.SignUp(e.ctx, &cip.SignUpInput{
				ClientId: aws.String(id), Username: aws.String("sam"), Password: aws.String(goodPassword), SecretHash: hash,
			})
			return err
		}
		wantAPIErr[*types.NotAuthorizedException](t, signUp(nil), "Client "+id+" is configured for secret but secret was not received")
		wantAPIErr[*types.NotAuthorizedException](t, signUp(aws.String(userpool.SecretHash(secret, "someone-else", id))), "Unable to verify secret hash for client "+id)
		if err := signUp(aws.String(userpool.SecretHash(secret, "sam", id))); err != nil {
			t.Fatalf("SignUp with the right hash: %v", err)
		}
	})
}

func TestSignUpAdminCreateOnly(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts, func(in *cip.CreateUserPoolInput) {
			in.AdminCreateUserConfig = &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}
		})
		_, err := e.ts.Client.SignUp(e.ctx, &cip.SignUpInput{ClientId: aws.String(e.clientID), Username: aws.String("x"), Password: aws.String(goodPassword)})
		wantAPIErr[*types.NotAuthorizedException](t, err, "SignUp is not permitted for this user pool")
	})
}

func TestSignUpEmailAsUsername(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts, func(in *cip.CreateUserPoolInput) {
			in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
		})
		_, err := e.ts.Client.SignUp(e.ctx, &cip.SignUpInput{ClientId: aws.String(e.clientID), Username: aws.String("jane"), Password: aws.String(goodPassword)})
		wantAPIErr[*types.InvalidParameterException](t, err, "Username should be either an email or a phone number.")

		out := e.signUp("jane@example.com")
		got := e.adminGet("jane@example.com")
		if aws.ToString(got.Username) != *out.UserSub {
			t.Errorf("Username = %s, want the sub %s", aws.ToString(got.Username), *out.UserSub)
		}
		if a := attrValues(got.UserAttributes); a["email"] != "jane@example.com" {
			t.Errorf("email = %q", a["email"])
		}
		_, err = e.ts.Client.SignUp(e.ctx, &cip.SignUpInput{ClientId: aws.String(e.clientID), Username: aws.String("Jane@Example.com"), Password: aws.String(goodPassword)})
		wantAPIErr[*types.UsernameExistsException](t, err, "An account with the given email already exists.")
	})
}

func TestSignUpCaseInsensitivePool(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts, func(in *cip.CreateUserPoolInput) {
			in.UsernameConfiguration = &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}
		})
		e.signUp("Jane")
		if got := e.adminGet("jane"); aws.ToString(got.Username) != "Jane" {
			t.Errorf("Username = %q, want the stored case Jane", aws.ToString(got.Username))
		}
		_, err := e.ts.Client.SignUp(e.ctx, &cip.SignUpInput{ClientId: aws.String(e.clientID), Username: aws.String("JANE"), Password: aws.String(goodPassword)})
		wantAPIErr[*types.UsernameExistsException](t, err, "User already exists")
	})
}

func TestConfirmSignUpErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, append(opts, withFixedCode()))
		e.signUp("jane", "email", "jane@example.com")
		confirm := func(username, code string) error {
			_, err := e.ts.Client.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{
				ClientId: aws.String(e.clientID), Username: aws.String(username), ConfirmationCode: aws.String(code),
			})
			return err
		}
		wantAPIErr[*types.UserNotFoundException](t, confirm("nobody", fixedCode), "User does not exist.")
		e.ts.Clock.Advance(25 * time.Hour)
		wantAPIErr[*types.ExpiredCodeException](t, confirm("jane", fixedCode), "Invalid code provided, please request a code again.")
		if _, err := e.ts.Client.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: aws.String(e.clientID), Username: aws.String("jane")}); err != nil {
			t.Fatalf("ResendConfirmationCode: %v", err)
		}
		if err := confirm("jane", fixedCode); err != nil {
			t.Fatalf("ConfirmSignUp with the new code: %v", err)
		}
	})
}

func TestConfirmSignUpSupersededCode(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.signUp("jane", "email", "jane@example.com")
		first := e.lastCode("jane", userpool.KindConfirmationCode)
		for {
			if _, err := e.ts.Client.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: aws.String(e.clientID), Username: aws.String("jane")}); err != nil {
				t.Fatalf("ResendConfirmationCode: %v", err)
			}
			// Random codes may repeat; a repeat is not superseded.
			if e.lastCode("jane", userpool.KindConfirmationCode) != first {
				break
			}
		}
		_, err := e.ts.Client.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(e.clientID), Username: aws.String("jane"), ConfirmationCode: aws.String(first)})
		wantAPIErr[*types.ExpiredCodeException](t, err, "Invalid code provided, please request a code again.")
	})
}

func TestConfirmSignUpQuota(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, append(opts, withFixedCode()))
		e.signUp("jane", "email", "jane@example.com")
		confirm := func(code string) error {
			_, err := e.ts.Client.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(e.clientID), Username: aws.String("jane"), ConfirmationCode: aws.String(code)})
			return err
		}
		for i := range 15 {
			wantAPIErr[*types.CodeMismatchException](t, confirm("999999"), "")
			_ = i
		}
		wantAPIErr[*types.LimitExceededException](t, confirm(fixedCode), "Attempt limit exceeded, please try after some time.")
		e.ts.Clock.Advance(time.Hour)
		if err := confirm(fixedCode); err != nil {
			t.Fatalf("ConfirmSignUp an hour later: %v", err)
		}
	})
}

func TestResendConfirmationCode(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.signUp("jane", "email", "jane@example.com")
		resend := func(username string) (*cip.ResendConfirmationCodeOutput, error) {
			return e.ts.Client.ResendConfirmationCode(e.ctx, &cip.ResendConfirmationCodeInput{ClientId: aws.String(e.clientID), Username: aws.String(username)})
		}
		for i := range 5 {
			out, err := resend("jane")
			if err != nil {
				t.Fatalf("resend %d: %v", i+1, err)
			}
			if d := out.CodeDeliveryDetails; d == nil || aws.ToString(d.Destination) != "j***@e***" {
				t.Fatalf("CodeDeliveryDetails = %+v", d)
			}
		}
		if n := len(e.messages("jane", userpool.KindConfirmationCode)); n != 6 {
			t.Errorf("outbox holds %d confirmation codes, want 6", n)
		}
		_, err := resend("jane")
		wantAPIErr[*types.LimitExceededException](t, err, "Attempt limit exceeded, please try after some time.")
		e.ts.Clock.Advance(time.Hour)
		if _, err := resend("jane"); err != nil {
			t.Fatalf("resend an hour later: %v", err)
		}
		_, err = resend("nobody")
		wantAPIErr[*types.UserNotFoundException](t, err, "Username/client id combination not found.")

		// Confirmed users get no code.
		if _, err := e.ts.Client.AdminConfirmSignUp(e.ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(e.poolID), Username: aws.String("jane")}); err != nil {
			t.Fatalf("AdminConfirmSignUp: %v", err)
		}
		_, err = resend("jane")
		wantAPIErr[*types.InvalidParameterException](t, err, "User is already confirmed.")

		// PreventUserExistenceErrors hides unknown users.
		e.clientID = e.newClient(func(in *cip.CreateUserPoolClientInput) {
			in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
		})
		out, err := resend("ghost@example.com")
		if err != nil || out.CodeDeliveryDetails == nil || aws.ToString(out.CodeDeliveryDetails.Destination) != "g***@e***" {
			t.Fatalf("resend for an unknown user with ENABLED: %+v, %v", out, err)
		}
	})
}

func TestAdminConfirmSignUp(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.signUp("jane", "email", "jane@example.com")
		confirm := func(username string) error {
			_, err := e.ts.Client.AdminConfirmSignUp(e.ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(e.poolID), Username: aws.String(username)})
			return err
		}
		if err := confirm("jane"); err != nil {
			t.Fatalf("AdminConfirmSignUp: %v", err)
		}
		got := e.adminGet("jane")
		if got.UserStatus != types.UserStatusTypeConfirmed {
			t.Errorf("status = %s", got.UserStatus)
		}
		if v, ok := attrValues(got.UserAttributes)["email_verified"]; ok && v == "true" {
			t.Errorf("email_verified = %q; AdminConfirmSignUp verifies nothing", v)
		}
		wantAPIErr[*types.NotAuthorizedException](t, confirm("jane"), "User cannot be confirmed. Current status is CONFIRMED")
		wantAPIErr[*types.UserNotFoundException](t, confirm("nobody"), "User does not exist.")
	})
}

func TestConfirmSignUpAliasExists(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, append(opts, withFixedCode()), func(in *cip.CreateUserPoolInput) {
			in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
		})
		e.confirmedUser("first", "shared@example.com")
		e.signUp("second", "email", "shared@example.com")
		confirm := func(force bool) error {
			_, err := e.ts.Client.ConfirmSignUp(e.ctx, &cip.ConfirmSignUpInput{
				ClientId: aws.String(e.clientID), Username: aws.String("second"), ConfirmationCode: aws.String(fixedCode), ForceAliasCreation: force,
			})
			return err
		}
		wantAPIErr[*types.AliasExistsException](t, confirm(false), "An account with the given email already exists.")
		if got := e.adminGet("second"); got.UserStatus != types.UserStatusTypeUnconfirmed {
			t.Errorf("status after AliasExists = %s, want UNCONFIRMED", got.UserStatus)
		}
		if err := confirm(true); err != nil {
			t.Fatalf("ConfirmSignUp with ForceAliasCreation: %v", err)
		}
		// The alias moved: it now names "second".
		if got := e.adminGet("shared@example.com"); aws.ToString(got.Username) != "second" {
			t.Errorf("alias resolves to %s, want second", aws.ToString(got.Username))
		}
		if v := attrValues(e.adminGet("first").UserAttributes)["email_verified"]; v != "false" {
			t.Errorf("first's email_verified = %q, want false", v)
		}
	})
}
