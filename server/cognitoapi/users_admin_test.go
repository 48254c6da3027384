package cognitoapi_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/server/userpool"
)

func (e *userEnv) adminCreate(in *cip.AdminCreateUserInput) (*cip.AdminCreateUserOutput, error) {
	in.UserPoolId = aws.String(e.poolID)
	return e.ts.Client.AdminCreateUser(e.ctx, in)
}

func TestAdminCreateUser(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		out, err := e.adminCreate(&cip.AdminCreateUserInput{
			Username:               aws.String("ann"),
			UserAttributes:         attrList("email", "ann@example.com", "email_verified", "true", "custom:mode", "light"),
			DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
		})
		if err != nil {
			t.Fatalf("AdminCreateUser: %v", err)
		}
		u := out.User
		if aws.ToString(u.Username) != "ann" || !u.Enabled || u.UserStatus != types.UserStatusTypeForceChangePassword || len(u.MFAOptions) != 0 {
			t.Errorf("User = %+v", u)
		}
		if u.UserCreateDate == nil || !u.UserCreateDate.Equal(servertest.Epoch) {
			t.Errorf("UserCreateDate = %v, want %v", u.UserCreateDate, servertest.Epoch)
		}
		a := attrValues(u.Attributes)
		if a["sub"] == "" || a["email_verified"] != "true" || a["custom:mode"] != "light" {
			t.Errorf("Attributes = %v", a)
		}
		// The generated temporary password is in the outbox and satisfies
		// the policy: it starts the NEW_PASSWORD_REQUIRED challenge.
		msgs := e.messages("ann", userpool.KindTemporaryPassword)
		if len(msgs) != 1 || msgs[0].Destination != "ann@example.com" || msgs[0].Medium != "EMAIL" {
			t.Fatalf("outbox = %+v", msgs)
		}
		if err := userpool.CheckPasswordPolicy(userpool.DefaultPasswordPolicy(), msgs[0].Code); err != nil {
			t.Errorf("generated password breaks the policy: %v", err)
		}
		auth, err := e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
			ClientId: aws.String(e.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "ann", "PASSWORD": msgs[0].Code},
		})
		if err != nil || auth.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
			t.Fatalf("sign-in with the temporary password: %v, %v", auth, err)
		}

		_, err = e.adminCreate(&cip.AdminCreateUserInput{Username: aws.String("ann")})
		wantAPIErr[*types.UsernameExistsException](t, err, "User account already exists")
		_, err = e.adminCreate(&cip.AdminCreateUserInput{Username: aws.String("bob"), TemporaryPassword: aws.String("password1!")})
		wantAPIErr[*types.InvalidPasswordException](t, err, "Password did not conform with policy: Password must have uppercase characters")
		_, err = e.adminCreate(&cip.AdminCreateUserInput{Username: aws.String("bob"), UserAttributes: attrList("custom:nope", "x")})
		wantAPIErr[*types.InvalidParameterException](t, err, "Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined")
		_, err = e.adminCreate(&cip.AdminCreateUserInput{Username: aws.String("bob"), UserAttributes: attrList("sub", "mine")})
		wantAPIErr[*types.InvalidParameterException](t, err, "Cannot modify the non-mutable attribute sub")
	})
}

func TestAdminCreateUserMessageActions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		if _, err := e.adminCreate(&cip.AdminCreateUserInput{
			Username: aws.String("quiet"), TemporaryPassword: aws.String("Temp0rary!"),
			MessageAction: types.MessageActionTypeSuppress, UserAttributes: attrList("email", "q@example.com"),
		}); err != nil {
			t.Fatalf("AdminCreateUser SUPPRESS: %v", err)
		}
		if msgs := e.messages("quiet", userpool.KindTemporaryPassword); len(msgs) != 0 {
			t.Errorf("SUPPRESS sent %+v", msgs)
		}
		if _, err := e.adminCreate(&cip.AdminCreateUserInput{
			Username: aws.String("quiet"), MessageAction: types.MessageActionTypeResend, TemporaryPassword: aws.String("Again0rary!"),
		}); err != nil {
			t.Fatalf("AdminCreateUser RESEND: %v", err)
		}
		msgs := e.messages("quiet", userpool.KindTemporaryPassword)
		if len(msgs) != 1 || msgs[0].Code != "Again0rary!" {
			t.Fatalf("outbox after RESEND = %+v", msgs)
		}
		_, err := e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
			ClientId: aws.String(e.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "quiet", "PASSWORD": "Temp0rary!"},
		})
		wantAPIErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")

		e.confirmedUser("done", "done@example.com")
		_, err = e.adminCreate(&cip.AdminCreateUserInput{Username: aws.String("done"), MessageAction: types.MessageActionTypeResend})
		wantAPIErr[*types.UnsupportedUserStateException](t, err, "")
		_, err = e.adminCreate(&cip.AdminCreateUserInput{Username: aws.String("ghost"), MessageAction: types.MessageActionTypeResend})
		wantAPIErr[*types.UserNotFoundException](t, err, "User does not exist.")
	})
}

func TestAdminCreateUserTemporaryPasswordExpires(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts, func(in *cip.CreateUserPoolInput) {
			in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
				MinimumLength: aws.Int32(8), RequireLowercase: true, RequireNumbers: true, TemporaryPasswordValidityDays: 2,
			}}
		})
		if _, err := e.adminCreate(&cip.AdminCreateUserInput{
			Username: aws.String("late"), TemporaryPassword: aws.String("temp1234"), MessageAction: types.MessageActionTypeSuppress,
		}); err != nil {
			t.Fatalf("AdminCreateUser: %v", err)
		}
		e.ts.Clock.Advance(49 * time.Hour)
		_, err := e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
			ClientId: aws.String(e.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "late", "PASSWORD": "temp1234"},
		})
		wantAPIErr[*types.NotAuthorizedException](t, err, "Temporary password has expired and must be reset by an administrator.")
	})
}

func TestAdminSetUserPassword(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.signUp("jane", "email", "jane@example.com")
		set := func(password string, permanent bool) error {
			_, err := e.ts.Client.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{
				UserPoolId: aws.String(e.poolID), Username: aws.String("jane"), Password: aws.String(password), Permanent: permanent,
			})
			return err
		}
		wantAPIErr[*types.InvalidPasswordException](t, set("NoDigits!", true), "Password did not conform with policy: Password must have numeric characters")
		if err := set("Perm4nent!", true); err != nil {
			t.Fatalf("AdminSetUserPassword permanent: %v", err)
		}
		if s := e.adminGet("jane").UserStatus; s != types.UserStatusTypeConfirmed {
			t.Errorf("status = %s, want CONFIRMED", s)
		}
		e.signIn("jane", "Perm4nent!")
		if err := set("Tempor4ry!", false); err != nil {
			t.Fatalf("AdminSetUserPassword temporary: %v", err)
		}
		if s := e.adminGet("jane").UserStatus; s != types.UserStatusTypeForceChangePassword {
			t.Errorf("status = %s, want FORCE_CHANGE_PASSWORD", s)
		}
	})
}

func TestAdminGetUser(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts, func(in *cip.CreateUserPoolInput) {
			in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePreferredUsername}
		})
		e.confirmedUser("jane", "jane@example.com")
		e.ts.Clock.Advance(time.Minute)
		e.adminUpdate("jane", "preferred_username", "jd", "custom:username", "janedoe")
		for _, name := range []string{"jane", "jane@example.com", "jd"} {
			got := e.adminGet(name)
			if aws.ToString(got.Username) != "jane" || !got.Enabled || got.UserStatus != types.UserStatusTypeConfirmed || got.MFAOptions != nil {
				t.Errorf("AdminGetUser(%s) = %+v", name, got)
			}
			if got.UserAttributes[0].Name == nil || *got.UserAttributes[0].Name != "sub" {
				t.Errorf("first attribute = %v, want sub", got.UserAttributes[0].Name)
			}
			if !got.UserCreateDate.Equal(servertest.Epoch) || !got.UserLastModifiedDate.Equal(servertest.Epoch.Add(time.Minute)) {
				t.Errorf("dates = %v, %v", got.UserCreateDate, got.UserLastModifiedDate)
			}
			if a := attrValues(got.UserAttributes); a["custom:username"] != "janedoe" || a["email_verified"] != "true" {
				t.Errorf("attributes = %v", a)
			}
		}
		_, err := e.ts.Client.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("nobody")})
		wantAPIErr[*types.UserNotFoundException](t, err, "User does not exist.")
		_, err = e.ts.Client.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String("us-east-1_nopool123"), Username: aws.String("jane")})
		wantAPIErr[*types.ResourceNotFoundException](t, err, "User pool us-east-1_nopool123 does not exist.")
		// The SDK checks required members itself; a raw request shows the
		// server's own validation.
		typ, msg := e.raw("AdminGetUser", map[string]any{"UserPoolId": e.poolID})
		if typ != "InvalidParameterException" || msg != "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null" {
			t.Errorf("missing Username: %s %q", typ, msg)
		}
		typ, msg = e.raw("AdminGetUser", map[string]any{"UserPoolId": e.poolID, "Username": ""})
		if typ != "InvalidParameterException" || msg != "1 validation error detected: Value '' at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1" {
			t.Errorf("empty Username: %s %q", typ, msg)
		}
	})
}

func TestGetUserAndDeleteUser(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.confirmedUser("jane", "jane@example.com")
		e.adminUpdate("jane", "custom:mode", "dark")
		token := e.signIn("jane", goodPassword)
		got, err := e.ts.Client.GetUser(e.ctx, &cip.GetUserInput{AccessToken: aws.String(token)})
		if err != nil {
			t.Fatalf("GetUser: %v", err)
		}
		if a := attrValues(got.UserAttributes); aws.ToString(got.Username) != "jane" || a["custom:mode"] != "dark" || a["email"] != "jane@example.com" {
			t.Errorf("GetUser = %s %v", aws.ToString(got.Username), a)
		}
		_, err = e.ts.Client.GetUser(e.ctx, &cip.GetUserInput{AccessToken: aws.String("not.a.token")})
		wantAPIErr[*types.NotAuthorizedException](t, err, "")

		if _, err := e.ts.Client.DeleteUser(e.ctx, &cip.DeleteUserInput{AccessToken: aws.String(token)}); err != nil {
			t.Fatalf("DeleteUser: %v", err)
		}
		_, err = e.ts.Client.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("jane")})
		wantAPIErr[*types.UserNotFoundException](t, err, "User does not exist.")
		_, err = e.ts.Client.GetUser(e.ctx, &cip.GetUserInput{AccessToken: aws.String(token)})
		wantAPIErr[*types.NotAuthorizedException](t, err, "")
	})
}

func TestGetUserReadAttributes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.confirmedUser("jane", "jane@example.com")
		e.adminUpdate("jane", "custom:mode", "dark")
		e.clientID = e.newClient(func(in *cip.CreateUserPoolClientInput) { in.ReadAttributes = []string{"email"} })
		got, err := e.ts.Client.GetUser(e.ctx, &cip.GetUserInput{AccessToken: aws.String(e.signIn("jane", goodPassword))})
		if err != nil {
			t.Fatalf("GetUser: %v", err)
		}
		a := attrValues(got.UserAttributes)
		if _, ok := a["custom:mode"]; ok || a["email"] != "jane@example.com" || a["sub"] == "" {
			t.Errorf("GetUser with ReadAttributes [email] = %v, want email and sub only", a)
		}
	})
}

func TestAdminDeleteUser(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.confirmedUser("jane", "jane@example.com")
		token := e.signIn("jane", goodPassword)
		del := func(name string) error {
			_, err := e.ts.Client.AdminDeleteUser(e.ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String(name)})
			return err
		}
		if err := del("jane"); err != nil {
			t.Fatalf("AdminDeleteUser: %v", err)
		}
		wantAPIErr[*types.UserNotFoundException](t, del("jane"), "User does not exist.")
		_, err := e.ts.Client.GetUser(e.ctx, &cip.GetUserInput{AccessToken: aws.String(token)})
		wantAPIErr[*types.NotAuthorizedException](t, err, "")
		// The name is free again, for someone else.
		e.signUp("jane")
	})
}

func TestAdminDisableEnableUser(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.confirmedUser("jane", "jane@example.com")
		token := e.signIn("jane", goodPassword)
		call := func(disable bool) {
			t.Helper()
			var err error
			if disable {
				_, err = e.ts.Client.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("jane")})
			} else {
				_, err = e.ts.Client.AdminEnableUser(e.ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("jane")})
			}
			if err != nil {
				t.Fatalf("disable=%v: %v", disable, err)
			}
		}
		e.ts.Clock.Advance(time.Second)
		call(true)
		if got := e.adminGet("jane"); got.Enabled {
			t.Error("Enabled = true after AdminDisableUser")
		}
		_, err := e.ts.Client.GetUser(e.ctx, &cip.GetUserInput{AccessToken: aws.String(token)})
		wantAPIErr[*types.NotAuthorizedException](t, err, "")
		_, err = e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
			ClientId: aws.String(e.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "jane", "PASSWORD": goodPassword},
		})
		wantAPIErr[*types.NotAuthorizedException](t, err, "User is disabled.")
		// Disabled users stay listed.
		list, err := e.ts.Client.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(e.poolID), Filter: aws.String(`status = "Disabled"`)})
		if err != nil || len(list.Users) != 1 {
			t.Fatalf("ListUsers status=Disabled: %+v, %v", list, err)
		}
		e.ts.Clock.Advance(time.Second)
		call(false)
		fresh := e.signIn("jane", goodPassword)
		if _, err := e.ts.Client.GetUser(e.ctx, &cip.GetUserInput{AccessToken: aws.String(fresh)}); err != nil {
			t.Fatalf("GetUser with a token issued after AdminEnableUser: %v", err)
		}
		_, err = e.ts.Client.GetUser(e.ctx, &cip.GetUserInput{AccessToken: aws.String(token)})
		wantAPIErr[*types.NotAuthorizedException](t, err, "")
	})
}
