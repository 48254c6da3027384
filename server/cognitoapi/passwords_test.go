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

func TestPasswordPolicyMessages(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		tests := []struct{ password, rule string }{
			{"Sh0rt!", "Password not long enough"},
			{"lowercase1!", "Password must have uppercase characters"},
			{"UPPERCASE1!", "Password must have lowercase characters"},
			{"NoDigitsHere!", "Password must have numeric characters"},
			{"NoSymbols123", "Password must have symbol characters"},
		}
		for _, tt := range tests {
			t.Run(tt.rule, func(t *testing.T) {
				_, err := e.ts.Client.SignUp(e.ctx, &cip.SignUpInput{
					ClientId: aws.String(e.clientID), Username: aws.String("u"), Password: aws.String(tt.password),
				})
				wantAPIErr[*types.InvalidPasswordException](t, err, "Password did not conform with policy: "+tt.rule)
			})
		}
	})
}

func (e *userEnv) forgot(username string) (*cip.ForgotPasswordOutput, error) {
	return e.ts.Client.ForgotPassword(e.ctx, &cip.ForgotPasswordInput{ClientId: aws.String(e.clientID), Username: aws.String(username)})
}

func (e *userEnv) confirmForgot(username, code, password string) error {
	_, err := e.ts.Client.ConfirmForgotPassword(e.ctx, &cip.ConfirmForgotPasswordInput{
		ClientId: aws.String(e.clientID), Username: aws.String(username), ConfirmationCode: aws.String(code), Password: aws.String(password),
	})
	return err
}

func TestForgotPassword(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts, func(in *cip.CreateUserPoolInput) {
			in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
		})
		e.confirmedUser("jane", "jane@example.com")
		out, err := e.forgot("jane@example.com") // by alias
		if err != nil {
			t.Fatalf("ForgotPassword: %v", err)
		}
		if d := out.CodeDeliveryDetails; aws.ToString(d.Destination) != "j***@e***" || d.DeliveryMedium != types.DeliveryMediumTypeEmail {
			t.Errorf("CodeDeliveryDetails = %+v", d)
		}
		code := e.lastCode("jane", userpool.KindResetCode)
		// The old password works until the reset is confirmed.
		e.signIn("jane", goodPassword)
		wantAPIErr[*types.InvalidPasswordException](t, e.confirmForgot("jane", code, "weak"), "Password did not conform with policy: Password not long enough")
		if err := e.confirmForgot("jane", code, "N3w-Passw0rd"); err != nil {
			t.Fatalf("ConfirmForgotPassword: %v", err)
		}
		e.signIn("jane", "N3w-Passw0rd")
		_, err = e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
			ClientId: aws.String(e.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "jane", "PASSWORD": goodPassword},
		})
		wantAPIErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
		// The code is spent: no code outstanding is ExpiredCode.
		wantAPIErr[*types.ExpiredCodeException](t, e.confirmForgot("jane", code, "An0ther-Pass"), "Invalid code provided, please request a code again.")

		_, err = e.forgot("nobody")
		wantAPIErr[*types.UserNotFoundException](t, err, "Username/client id combination not found.")
		e.signUp("unverified", "email", "u@example.com")
		_, err = e.forgot("unverified")
		wantAPIErr[*types.InvalidParameterException](t, err, "Cannot reset password for the user as there is no registered/verified email or phone_number")
	})
}

func TestForgotPasswordHidesUnknownUsers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.clientID = e.newClient(func(in *cip.CreateUserPoolClientInput) {
			in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
		})
		out, err := e.forgot("ghost@example.com")
		if err != nil || aws.ToString(out.CodeDeliveryDetails.Destination) != "g***@e***" {
			t.Fatalf("ForgotPassword for an unknown user: %+v, %v", out, err)
		}
		wantAPIErr[*types.CodeMismatchException](t, e.confirmForgot("ghost@example.com", "123456", goodPassword), "")
		msgs, err := e.ts.Store.ListMessages(e.ctx, e.poolID, "")
		if err != nil || len(msgs) != 0 {
			t.Errorf("outbox = %+v, %v; nothing is sent for an unknown user", msgs, err)
		}
	})
}

func TestConfirmForgotPasswordErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, append(opts, withFixedCode()))
		e.confirmedUser("jane", "jane@example.com")
		if _, err := e.forgot("jane"); err != nil {
			t.Fatal(err)
		}
		wantAPIErr[*types.CodeMismatchException](t, e.confirmForgot("jane", "999999", "N3w-Passw0rd"), "Invalid verification code provided, please try again.")
		e.ts.Clock.Advance(time.Hour + time.Second)
		// The expired code answers ExpiredCode; the mismatch has left the
		// hour's window, so five such calls fit before the quota.
		for range 5 {
			wantAPIErr[*types.ExpiredCodeException](t, e.confirmForgot("jane", fixedCode, "N3w-Passw0rd"), "Invalid code provided, please request a code again.")
		}
		wantAPIErr[*types.LimitExceededException](t, e.confirmForgot("jane", fixedCode, "N3w-Passw0rd"), "Attempt limit exceeded, please try after some time.")
		wantAPIErr[*types.UserNotFoundException](t, e.confirmForgot("nobody", fixedCode, "N3w-Passw0rd"), "User does not exist.")
	})
}

func TestAdminResetUserPassword(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, append(opts, withFixedCode()))
		e.confirmedUser("jane", "jane@example.com")
		reset := func(username string) error {
			_, err := e.ts.Client.AdminResetUserPassword(e.ctx, &cip.AdminResetUserPasswordInput{UserPoolId: aws.String(e.poolID), Username: aws.String(username)})
			return err
		}
		if err := reset("jane"); err != nil {
			t.Fatalf("AdminResetUserPassword: %v", err)
		}
		if s := e.adminGet("jane").UserStatus; s != types.UserStatusTypeResetRequired {
			t.Errorf("status = %s, want RESET_REQUIRED", s)
		}
		_, err := e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
			ClientId: aws.String(e.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "jane", "PASSWORD": goodPassword},
		})
		wantAPIErr[*types.PasswordResetRequiredException](t, err, "Password reset required for the user")
		if ms := e.messages("jane", userpool.KindResetCode); len(ms) != 1 || ms[0].Code != fixedCode {
			t.Fatalf("reset messages = %+v", ms)
		}
		if err := e.confirmForgot("jane", fixedCode, "N3w-Passw0rd"); err != nil {
			t.Fatalf("ConfirmForgotPassword: %v", err)
		}
		if s := e.adminGet("jane").UserStatus; s != types.UserStatusTypeConfirmed {
			t.Errorf("status = %s, want CONFIRMED", s)
		}
		e.signIn("jane", "N3w-Passw0rd")

		e.signUp("nocontact")
		wantAPIErr[*types.InvalidParameterException](t, reset("nocontact"), "Cannot reset password for the user as there is no registered/verified email or phone_number")
	})
}

func TestChangePassword(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.confirmedUser("jane", "jane@example.com")
		token := e.signIn("jane", goodPassword)
		change := func(prev, next string) error {
			_, err := e.ts.Client.ChangePassword(e.ctx, &cip.ChangePasswordInput{
				AccessToken: aws.String(token), PreviousPassword: aws.String(prev), ProposedPassword: aws.String(next),
			})
			return err
		}
		wantAPIErr[*types.NotAuthorizedException](t, change("wrong-Passw0rd", "N3w-Passw0rd"), "Incorrect username or password.")
		wantAPIErr[*types.InvalidPasswordException](t, change(goodPassword, "weak"), "Password did not conform with policy: Password not long enough")
		if err := change(goodPassword, "N3w-Passw0rd"); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		e.signIn("jane", "N3w-Passw0rd")
		// Three calls so far; two more fit in the hour, the sixth does not.
		if err := change("N3w-Passw0rd", "Th1rd-Passw0rd"); err != nil {
			t.Fatal(err)
		}
		wantAPIErr[*types.NotAuthorizedException](t, change("wrong-Passw0rd", "x"), "")
		wantAPIErr[*types.LimitExceededException](t, change("Th1rd-Passw0rd", "F0urth-Passw0rd"), "Attempt limit exceeded, please try after some time.")
		e.ts.Clock.Advance(time.Hour)
		if err := change("Th1rd-Passw0rd", "F0urth-Passw0rd"); err != nil {
			t.Fatalf("ChangePassword an hour later: %v", err)
		}
		_, err := e.ts.Client.ChangePassword(e.ctx, &cip.ChangePasswordInput{
			AccessToken: aws.String("x.y.z"), PreviousPassword: aws.String("a"), ProposedPassword: aws.String("b"),
		})
		wantAPIErr[*types.NotAuthorizedException](t, err, "")
	})
}
