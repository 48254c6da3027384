package cognitoapi_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/storage"
)

const tempPassword = "Temp0rary!"

// forceChangeUser is AdminCreateUser with tempPassword: the user must
// choose a new password at the first sign-in.
func (e *authEnv) forceChangeUser(t *testing.T, username string, opts ...userOpt) storage.User {
	t.Helper()
	return e.user(t, username, tempPassword, append([]userOpt{temporary}, opts...)...)
}

// newPasswordChallenge signs in with the temporary password and returns
// the NEW_PASSWORD_REQUIRED challenge.
func (e *authEnv) newPasswordChallenge(t *testing.T, c storage.Client, username string) *cip.InitiateAuthOutput {
	t.Helper()
	out, err := e.passwordAuth(c, username, tempPassword)
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("challenge = %q, want NEW_PASSWORD_REQUIRED", out.ChallengeName)
	}
	return out
}

func (e *authEnv) respondNewPassword(c storage.Client, session *string, responses map[string]string) (*cip.RespondToAuthChallengeOutput, error) {
	return e.ts.Client.RespondToAuthChallenge(e.ctx, &cip.RespondToAuthChallengeInput{
		ClientId: aws.String(c.ClientID), ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		Session: session, ChallengeResponses: responses,
	})
}

func TestNewPasswordRequired(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t)
		u := e.forceChangeUser(t, "janedoe")

		ch := e.newPasswordChallenge(t, c, "janedoe")
		if len(aws.ToString(ch.Session)) < 20 || ch.AuthenticationResult != nil {
			t.Fatalf("want a session and no tokens, got %+v", ch)
		}
		p := ch.ChallengeParameters
		if p["USER_ID_FOR_SRP"] != "janedoe" || p["requiredAttributes"] != "[]" {
			t.Errorf("ChallengeParameters = %v", p)
		}
		var attrs map[string]string
		if err := json.Unmarshal([]byte(p["userAttributes"]), &attrs); err != nil {
			t.Fatalf("userAttributes is not a JSON string: %v", err)
		}
		if attrs["email"] != u.Attributes["email"] || attrs["email_verified"] != "true" {
			t.Errorf("userAttributes = %v", attrs)
		}
		if _, ok := attrs["sub"]; ok {
			t.Error("userAttributes includes sub")
		}

		// A policy failure leaves the session usable.
		_, err := e.respondNewPassword(c, ch.Session, map[string]string{"USERNAME": "janedoe", "NEW_PASSWORD": "short"})
		wantErr[*types.InvalidPasswordException](t, err, "Password did not conform with policy: Password not long enough")

		out, err := e.respondNewPassword(c, ch.Session, map[string]string{"USERNAME": "janedoe", "NEW_PASSWORD": "N3w-Passw0rd"})
		if err != nil {
			t.Fatal(err)
		}
		if out.AuthenticationResult == nil || aws.ToString(out.AuthenticationResult.RefreshToken) == "" || len(out.ChallengeParameters) != 0 {
			t.Fatalf("want tokens, got %+v", out)
		}
		if got := e.adminGetUser(t, "janedoe").UserStatus; got != types.UserStatusTypeConfirmed {
			t.Errorf("UserStatus = %s, want CONFIRMED", got)
		}

		// The session is single use.
		_, err = e.respondNewPassword(c, ch.Session, map[string]string{"USERNAME": "janedoe", "NEW_PASSWORD": "An0ther-Passw0rd"})
		wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")

		// The new password works, the temporary one no longer does.
		e.signIn(t, c, "janedoe", "N3w-Passw0rd")
		_, err = e.passwordAuth(c, "janedoe", tempPassword)
		wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	})
}

func TestNewPasswordRequiredAttributes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts, withRequired("given_name", "email"))
		c := e.client(t)
		e.forceChangeUser(t, "janedoe", withAttr("given_name", "Jane"), withoutAttr("given_name"))
		ch := e.newPasswordChallenge(t, c, "janedoe")
		if got := ch.ChallengeParameters["requiredAttributes"]; got != `["userAttributes.given_name"]` {
			t.Errorf("requiredAttributes = %s", got)
		}

		_, err := e.respondNewPassword(c, ch.Session, map[string]string{"USERNAME": "janedoe", "NEW_PASSWORD": "N3w-Passw0rd"})
		wantErr[*types.InvalidParameterException](t, err, "Invalid attributes given, given_name is missing")
		_, err = e.respondNewPassword(c, ch.Session, map[string]string{
			"USERNAME": "janedoe", "NEW_PASSWORD": "N3w-Passw0rd",
			"userAttributes.given_name": "Jane", "userAttributes.email": "other@example.com",
		})
		wantErr[*types.NotAuthorizedException](t, err, "Cannot modify an already provided email")

		_, err = e.respondNewPassword(c, ch.Session, map[string]string{
			"USERNAME": "janedoe", "NEW_PASSWORD": "N3w-Passw0rd", "userAttributes.given_name": "Jane",
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := attr(e.adminGetUser(t, "janedoe"), "given_name"); got != "Jane" {
			t.Errorf("given_name = %q, want Jane", got)
		}
	})
}

func TestNewPasswordSessionErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t)
		other := e.client(t)
		e.forceChangeUser(t, "janedoe")
		e.forceChangeUser(t, "johndoe")
		good := map[string]string{"USERNAME": "janedoe", "NEW_PASSWORD": "N3w-Passw0rd"}

		t.Run("another client", func(t *testing.T) {
			ch := e.newPasswordChallenge(t, c, "janedoe")
			_, err := e.respondNewPassword(other, ch.Session, good)
			wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
		})
		t.Run("another user", func(t *testing.T) {
			ch := e.newPasswordChallenge(t, c, "janedoe")
			_, err := e.respondNewPassword(c, ch.Session, map[string]string{"USERNAME": "johndoe", "NEW_PASSWORD": "N3w-Passw0rd"})
			wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
		})
		t.Run("made-up session", func(t *testing.T) {
			_, err := e.respondNewPassword(c, aws.String("AYABeC0ffeeC0ffeeC0ffeeC0ffee"), good)
			wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
		})
		t.Run("expired", func(t *testing.T) {
			ch := e.newPasswordChallenge(t, c, "janedoe")
			e.ts.Clock.Advance(3 * time.Minute)
			_, err := e.respondNewPassword(c, ch.Session, good)
			wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session is expired.")
		})
		t.Run("missing NEW_PASSWORD", func(t *testing.T) {
			ch := e.newPasswordChallenge(t, c, "janedoe")
			_, err := e.respondNewPassword(c, ch.Session, map[string]string{"USERNAME": "janedoe"})
			wantErr[*types.InvalidParameterException](t, err, "Missing required parameter NEW_PASSWORD")
		})
		t.Run("still valid just before expiry", func(t *testing.T) {
			ch := e.newPasswordChallenge(t, c, "janedoe")
			e.ts.Clock.Advance(3*time.Minute - time.Second)
			if _, err := e.respondNewPassword(c, ch.Session, good); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestAdminRespondToAuthChallenge(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t, func(in *cip.CreateUserPoolClientInput) { in.AuthSessionValidity = aws.Int32(10) })
		e.forceChangeUser(t, "janedoe")

		ch, err := e.ts.Client.AdminInitiateAuth(e.ctx, &cip.AdminInitiateAuthInput{
			UserPoolId: aws.String(e.pool.ID), ClientId: aws.String(c.ClientID),
			AuthFlow:       types.AuthFlowTypeAdminUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "janedoe", "PASSWORD": tempPassword},
		})
		if err != nil {
			t.Fatal(err)
		}
		if ch.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
			t.Fatalf("challenge = %q", ch.ChallengeName)
		}
		// AuthSessionValidity of 10 minutes outlives the 3-minute default.
		e.ts.Clock.Advance(5 * time.Minute)
		out, err := e.ts.Client.AdminRespondToAuthChallenge(e.ctx, &cip.AdminRespondToAuthChallengeInput{
			UserPoolId: aws.String(e.pool.ID), ClientId: aws.String(c.ClientID),
			ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: ch.Session,
			ChallengeResponses: map[string]string{"USERNAME": "janedoe", "NEW_PASSWORD": "N3w-Passw0rd"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if out.AuthenticationResult == nil {
			t.Fatalf("want tokens, got %+v", out)
		}
	})
}
