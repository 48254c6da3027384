package cognitoapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
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

// authEnv is a running server with one pool, for the sign-in tests.
type authEnv struct {
	ts   *servertest.TestServer
	pool storage.Pool
	ctx  context.Context
}

// testPassword is a password the default pool policy accepts.
const testPassword = "Passw0rd!"

// newAuthEnv starts a server and creates a pool through the SDK, with
// Cognito's defaults unless edit changes the request.
func newAuthEnv(t *testing.T, opts []servertest.Option, edit ...func(*cip.CreateUserPoolInput)) *authEnv {
	t.Helper()
	ts := servertest.Start(t, opts...)
	ctx := context.Background()
	in := &cip.CreateUserPoolInput{PoolName: aws.String("auth-test")}
	for _, f := range edit {
		f(in)
	}
	out, err := ts.Client.CreateUserPool(ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	p, err := ts.Store.GetPool(ctx, aws.ToString(out.UserPool.Id))
	if err != nil {
		t.Fatal(err)
	}
	return &authEnv{ts: ts, pool: p, ctx: ctx}
}

// Pool options.

func emailAsUsername(in *cip.CreateUserPoolInput) {
	in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
}

func withRequired(names ...string) func(*cip.CreateUserPoolInput) {
	return func(in *cip.CreateUserPoolInput) {
		for _, n := range names {
			in.Schema = append(in.Schema, types.SchemaAttributeType{
				Name: aws.String(n), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true),
			})
		}
	}
}

// allFlows turns on every flow this file tests.
var allFlows = []types.ExplicitAuthFlowsType{
	"ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
	"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
}

// client creates an app client through the SDK with every tested flow on;
// edit adjusts the request. The result carries the id and secret.
func (e *authEnv) client(t *testing.T, edit ...func(*cip.CreateUserPoolClientInput)) storage.Client {
	t.Helper()
	in := &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(e.pool.ID), ClientName: aws.String("app"), ExplicitAuthFlows: allFlows,
	}
	for _, f := range edit {
		f(in)
	}
	out, err := e.ts.Client.CreateUserPoolClient(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return storage.Client{
		ClientID: aws.ToString(out.UserPoolClient.ClientId), PoolID: e.pool.ID,
		Secret: aws.ToString(out.UserPoolClient.ClientSecret),
	}
}

// Client options.

func withSecret(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true }

func withHiddenUsers(in *cip.CreateUserPoolClientInput) {
	in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
}

func withoutRevocation(in *cip.CreateUserPoolClientInput) { in.EnableTokenRevocation = aws.Bool(false) }

// withFlows sets ExplicitAuthFlows; no flows leaves it unset (the defaults).
func withFlows(flows ...types.ExplicitAuthFlowsType) func(*cip.CreateUserPoolClientInput) {
	return func(in *cip.CreateUserPoolClientInput) { in.ExplicitAuthFlows = flows }
}

// userSpec describes a test user; userOpt edits it.
type userSpec struct {
	attrs                                         map[string]string
	temporary, unconfirmed, disabled, reset, bare bool
	drop                                          []string
}

type userOpt func(*userSpec)

func withAttr(name, value string) userOpt { return func(s *userSpec) { s.attrs[name] = value } }

// temporary leaves the user in FORCE_CHANGE_PASSWORD with password as the
// temporary password (AdminCreateUser).
func temporary(s *userSpec)     { s.temporary = true }
func unconfirmed(s *userSpec)   { s.unconfirmed = true }
func disabled(s *userSpec)      { s.disabled = true }
func resetRequired(s *userSpec) { s.reset = true }

// withoutAttr removes an attribute after creation, as for a user imported
// before the pool required it; AdminCreateUser insists on required ones.
func withoutAttr(name string) userOpt { return func(s *userSpec) { s.drop = append(s.drop, name) } }

// withoutVerifier drops the SRP verifier, as for a user imported with only
// a bcrypt hash (seeds); no API action produces such a user.
func withoutVerifier(s *userSpec) { s.bare = true }

// user creates a user through the SDK the way an application would:
// AdminCreateUser with a verified email (then AdminSetUserPassword
// permanent), or SignUp for an unconfirmed one. It returns the stored user
// (whose Username is the internal one, a UUID in email-as-username pools).
func (e *authEnv) user(t *testing.T, username, password string, opts ...userOpt) storage.User {
	t.Helper()
	spec := userSpec{attrs: map[string]string{"email_verified": "true"}}
	if !strings.Contains(username, "@") {
		spec.attrs["email"] = strings.ToLower(username) + "@example.com"
	}
	for _, f := range opts {
		f(&spec)
	}
	var attrs []types.AttributeType
	for k, v := range spec.attrs {
		attrs = append(attrs, types.AttributeType{Name: aws.String(k), Value: aws.String(v)})
	}
	pool := aws.String(e.pool.ID)
	var sub string
	if spec.unconfirmed {
		// Users cannot verify their own email at sign-up.
		attrs = slices.DeleteFunc(attrs, func(a types.AttributeType) bool { return aws.ToString(a.Name) == "email_verified" })
		c := e.client(t)
		out, err := e.ts.Client.SignUp(e.ctx, &cip.SignUpInput{
			ClientId: aws.String(c.ClientID), Username: aws.String(username), Password: aws.String(password),
			UserAttributes: attrs,
		})
		if err != nil {
			t.Fatalf("SignUp %s: %v", username, err)
		}
		sub = aws.ToString(out.UserSub)
	} else {
		out, err := e.ts.Client.AdminCreateUser(e.ctx, &cip.AdminCreateUserInput{
			UserPoolId: pool, Username: aws.String(username), UserAttributes: attrs,
			TemporaryPassword: aws.String(password), MessageAction: types.MessageActionTypeSuppress,
		})
		if err != nil {
			t.Fatalf("AdminCreateUser %s: %v", username, err)
		}
		for _, a := range out.User.Attributes {
			if aws.ToString(a.Name) == "sub" {
				sub = aws.ToString(a.Value)
			}
		}
		if !spec.temporary {
			if _, err := e.ts.Client.AdminSetUserPassword(e.ctx, &cip.AdminSetUserPasswordInput{
				UserPoolId: pool, Username: aws.String(username), Password: aws.String(password), Permanent: true,
			}); err != nil {
				t.Fatalf("AdminSetUserPassword %s: %v", username, err)
			}
		}
	}
	if spec.disabled {
		if _, err := e.ts.Client.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: pool, Username: aws.String(username)}); err != nil {
			t.Fatalf("AdminDisableUser: %v", err)
		}
	}
	if spec.reset {
		if _, err := e.ts.Client.AdminResetUserPassword(e.ctx, &cip.AdminResetUserPasswordInput{UserPoolId: pool, Username: aws.String(username)}); err != nil {
			t.Fatalf("AdminResetUserPassword: %v", err)
		}
	}
	u, err := e.ts.Store.GetUserBySub(e.ctx, e.pool.ID, sub)
	if err != nil {
		t.Fatalf("stored user %s: %v", username, err)
	}
	if spec.bare || len(spec.drop) > 0 {
		err := e.ts.Store.UpdateUser(e.ctx, e.pool.ID, u.UsernameKey, func(u *storage.User) error {
			if spec.bare {
				u.SRPSalt, u.SRPVerifier = "", ""
			}
			for _, name := range spec.drop {
				delete(u.Attributes, name)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return u
}

// adminGetUser reads a user as an administrator sees it.
func (e *authEnv) adminGetUser(t *testing.T, username string) *cip.AdminGetUserOutput {
	t.Helper()
	out, err := e.ts.Client.AdminGetUser(e.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(e.pool.ID), Username: aws.String(username)})
	if err != nil {
		t.Fatalf("AdminGetUser %s: %v", username, err)
	}
	return out
}

// attr returns an attribute of AdminGetUser's output.
func attr(out *cip.AdminGetUserOutput, name string) string {
	for _, a := range out.UserAttributes {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

// passwordAuth runs USER_PASSWORD_AUTH, adding SECRET_HASH for clients
// with a secret.
func (e *authEnv) passwordAuth(c storage.Client, username, password string) (*cip.InitiateAuthOutput, error) {
	params := map[string]string{"USERNAME": username, "PASSWORD": password}
	if c.Secret != "" {
		params["SECRET_HASH"] = userpool.SecretHash(c.Secret, username, c.ClientID)
	}
	return e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(c.ClientID), AuthParameters: params,
	})
}

// signIn is passwordAuth that must succeed with tokens.
func (e *authEnv) signIn(t *testing.T, c storage.Client, username, password string) *types.AuthenticationResultType {
	t.Helper()
	out, err := e.passwordAuth(c, username, password)
	if err != nil {
		t.Fatalf("sign in %s: %v", username, err)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("sign in %s: challenge %s instead of tokens", username, out.ChallengeName)
	}
	return out.AuthenticationResult
}

// wantErr asserts that err is the typed SDK exception E with message msg.
func wantErr[E interface {
	error
	ErrorMessage() string
}](t *testing.T, err error, msg string) {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want %T", err, e)
	}
	if e.ErrorMessage() != msg {
		t.Fatalf("%T message = %q, want %q", e, e.ErrorMessage(), msg)
	}
}

// claims decodes a JWT's payload without verifying it.
func claims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("payload: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("payload JSON: %v", err)
	}
	return m
}

// rawCall posts a JSON API request as an unsigned public call and returns
// the status and body, for checks the SDK hides (exact member layout).
func rawCall(t *testing.T, ts *servertest.TestServer, action string, body any) (int, []byte) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+action)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

func TestInitiateAuthPassword(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t)
		e.user(t, "janedoe", testPassword)

		out, err := e.passwordAuth(c, "janedoe", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		r := out.AuthenticationResult
		if r == nil || out.ChallengeName != "" || out.Session != nil {
			t.Fatalf("want tokens only, got challenge %q session %v", out.ChallengeName, out.Session)
		}
		if aws.ToString(r.AccessToken) == "" || aws.ToString(r.IdToken) == "" || aws.ToString(r.RefreshToken) == "" {
			t.Fatalf("missing a token: %+v", r)
		}
		if r.ExpiresIn != 3600 || aws.ToString(r.TokenType) != "Bearer" {
			t.Errorf("ExpiresIn %d TokenType %q, want 3600 Bearer", r.ExpiresIn, aws.ToString(r.TokenType))
		}
		if len(out.ChallengeParameters) != 0 {
			t.Errorf("ChallengeParameters = %v, want empty", out.ChallengeParameters)
		}
		if got := claims(t, aws.ToString(r.AccessToken))["username"]; got != "janedoe" {
			t.Errorf("access token username = %v", got)
		}

		// The exact JSON layout (spec §7.1), which the SDK would hide.
		status, body := rawCall(t, e.ts, "InitiateAuth", map[string]any{
			"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": c.ClientID,
			"AuthParameters": map[string]string{"USERNAME": "janedoe", "PASSWORD": testPassword},
		})
		if status != http.StatusOK {
			t.Fatalf("status %d: %s", status, body)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(body, &raw); err != nil {
			t.Fatal(err)
		}
		if len(raw) != 2 || string(raw["ChallengeParameters"]) != "{}" || raw["AuthenticationResult"] == nil {
			t.Fatalf("body = %s, want exactly AuthenticationResult and ChallengeParameters {}", body)
		}
		var ar map[string]any
		if err := json.Unmarshal(raw["AuthenticationResult"], &ar); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"AccessToken", "ExpiresIn", "IdToken", "RefreshToken", "TokenType"} {
			if _, ok := ar[k]; !ok {
				t.Errorf("AuthenticationResult lacks %s", k)
			}
		}
		if len(ar) != 5 || ar["ExpiresIn"] != float64(3600) || ar["TokenType"] != "Bearer" {
			t.Errorf("AuthenticationResult = %v", ar)
		}
	})
}

func TestAdminInitiateAuth(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		modern := e.client(t)
		legacy := e.client(t, withFlows("ADMIN_NO_SRP_AUTH"))
		e.user(t, "janedoe", testPassword)
		params := map[string]string{"USERNAME": "janedoe", "PASSWORD": testPassword}

		for _, tt := range []struct {
			name   string
			client storage.Client
			flow   types.AuthFlowType
		}{
			{"ADMIN_USER_PASSWORD_AUTH", modern, types.AuthFlowTypeAdminUserPasswordAuth},
			{"legacy ADMIN_NO_SRP_AUTH flow", legacy, types.AuthFlowTypeAdminNoSrpAuth},
			{"legacy client, new flow name", legacy, types.AuthFlowTypeAdminUserPasswordAuth},
		} {
			t.Run(tt.name, func(t *testing.T) {
				out, err := e.ts.Client.AdminInitiateAuth(e.ctx, &cip.AdminInitiateAuthInput{
					UserPoolId: aws.String(e.pool.ID), ClientId: aws.String(tt.client.ClientID),
					AuthFlow: tt.flow, AuthParameters: params,
				})
				if err != nil {
					t.Fatal(err)
				}
				if out.AuthenticationResult == nil || aws.ToString(out.AuthenticationResult.RefreshToken) == "" {
					t.Fatalf("want tokens, got %+v", out)
				}
			})
		}

		t.Run("client of another pool", func(t *testing.T) {
			other := newAuthEnvPool(t, e)
			_, err := e.ts.Client.AdminInitiateAuth(e.ctx, &cip.AdminInitiateAuthInput{
				UserPoolId: aws.String(other.ID), ClientId: aws.String(modern.ClientID),
				AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: params,
			})
			wantErr[*types.ResourceNotFoundException](t, err, "User pool client "+modern.ClientID+" does not exist.")
		})
		t.Run("unknown pool", func(t *testing.T) {
			_, err := e.ts.Client.AdminInitiateAuth(e.ctx, &cip.AdminInitiateAuthInput{
				UserPoolId: aws.String("us-east-1_Nope12345"), ClientId: aws.String(modern.ClientID),
				AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: params,
			})
			wantErr[*types.ResourceNotFoundException](t, err, "User pool us-east-1_Nope12345 does not exist.")
		})
	})
}

// newAuthEnvPool adds a second pool to e's server.
func newAuthEnvPool(t *testing.T, e *authEnv) storage.Pool {
	t.Helper()
	out, err := e.ts.Client.CreateUserPool(e.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("other")})
	if err != nil {
		t.Fatal(err)
	}
	return storage.Pool{ID: aws.ToString(out.UserPool.Id)}
}

func TestInitiateAuthErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t)
		// The temporary password expires after 7 days (the default policy).
		e.user(t, "expired", testPassword, temporary)
		e.ts.Clock.Advance(7*24*time.Hour + time.Second)
		hidden := e.client(t, withHiddenUsers)
		secret := e.client(t, withSecret)
		defaults := e.client(t, withFlows())
		e.user(t, "janedoe", testPassword)
		e.user(t, "unconfirmed", testPassword, unconfirmed)
		e.user(t, "disabled", testPassword, disabled)
		e.user(t, "reset", testPassword, resetRequired)

		call := func(c storage.Client, flow types.AuthFlowType, params map[string]string) error {
			_, err := e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
				AuthFlow: flow, ClientId: aws.String(c.ClientID), AuthParameters: params,
			})
			return err
		}
		pw := func(username, password string) map[string]string {
			return map[string]string{"USERNAME": username, "PASSWORD": password}
		}
		const incorrect = "Incorrect username or password."

		tests := []struct {
			name  string
			err   error
			check func(t *testing.T, err error)
		}{
			{"wrong password", call(c, types.AuthFlowTypeUserPasswordAuth, pw("janedoe", "Wrong0ne!")),
				func(t *testing.T, err error) { wantErr[*types.NotAuthorizedException](t, err, incorrect) }},
			{"unknown user, LEGACY", call(c, types.AuthFlowTypeUserPasswordAuth, pw("nobody", testPassword)),
				func(t *testing.T, err error) { wantErr[*types.UserNotFoundException](t, err, "User does not exist.") }},
			{"unknown user, ENABLED", call(hidden, types.AuthFlowTypeUserPasswordAuth, pw("nobody", testPassword)),
				func(t *testing.T, err error) { wantErr[*types.NotAuthorizedException](t, err, incorrect) }},
			// UNCONFIRMED is reported before the password is checked.
			{"unconfirmed, wrong password", call(c, types.AuthFlowTypeUserPasswordAuth, pw("unconfirmed", "Wrong0ne!")),
				func(t *testing.T, err error) {
					wantErr[*types.UserNotConfirmedException](t, err, "User is not confirmed.")
				}},
			{"disabled", call(c, types.AuthFlowTypeUserPasswordAuth, pw("disabled", testPassword)),
				func(t *testing.T, err error) { wantErr[*types.NotAuthorizedException](t, err, "User is disabled.") }},
			// ...but a disabled user with a wrong password only learns the password is wrong.
			{"disabled, wrong password", call(c, types.AuthFlowTypeUserPasswordAuth, pw("disabled", "Wrong0ne!")),
				func(t *testing.T, err error) { wantErr[*types.NotAuthorizedException](t, err, incorrect) }},
			{"reset required", call(c, types.AuthFlowTypeUserPasswordAuth, pw("reset", testPassword)),
				func(t *testing.T, err error) {
					wantErr[*types.PasswordResetRequiredException](t, err, "Password reset required for the user")
				}},
			{"temporary password expired", call(c, types.AuthFlowTypeUserPasswordAuth, pw("expired", testPassword)),
				func(t *testing.T, err error) {
					wantErr[*types.NotAuthorizedException](t, err, "Temporary password has expired and must be reset by an administrator.")
				}},
			{"missing SECRET_HASH", call(secret, types.AuthFlowTypeUserPasswordAuth, pw("janedoe", testPassword)),
				func(t *testing.T, err error) {
					wantErr[*types.NotAuthorizedException](t, err, "Client "+secret.ClientID+" is configured for secret but secret was not received")
				}},
			{"bad SECRET_HASH", call(secret, types.AuthFlowTypeUserPasswordAuth, map[string]string{
				"USERNAME": "janedoe", "PASSWORD": testPassword,
				"SECRET_HASH": userpool.SecretHash(secret.Secret, "someoneelse", secret.ClientID)}),
				func(t *testing.T, err error) {
					wantErr[*types.NotAuthorizedException](t, err, "Unable to verify secret hash for client "+secret.ClientID)
				}},
			{"password flow off by default", call(defaults, types.AuthFlowTypeUserPasswordAuth, pw("janedoe", testPassword)),
				func(t *testing.T, err error) {
					wantErr[*types.InvalidParameterException](t, err, "USER_PASSWORD_AUTH flow not enabled for this client")
				}},
			{"admin flow on the public action", call(c, types.AuthFlowTypeAdminUserPasswordAuth, pw("janedoe", testPassword)),
				func(t *testing.T, err error) {
					wantErr[*types.InvalidParameterException](t, err, "Initiate Auth method not supported.")
				}},
			{"legacy admin flow on the public action", call(c, types.AuthFlowTypeAdminNoSrpAuth, pw("janedoe", testPassword)),
				func(t *testing.T, err error) {
					wantErr[*types.InvalidParameterException](t, err, "Initiate Auth method not supported.")
				}},
			{"missing USERNAME", call(c, types.AuthFlowTypeUserPasswordAuth, map[string]string{"PASSWORD": testPassword}),
				func(t *testing.T, err error) {
					wantErr[*types.InvalidParameterException](t, err, "Missing required parameter USERNAME")
				}},
			{"unknown client", call(storage.Client{ClientID: "5nknownclient0000000000000"}, types.AuthFlowTypeUserPasswordAuth, pw("janedoe", testPassword)),
				func(t *testing.T, err error) {
					wantErr[*types.ResourceNotFoundException](t, err, "User pool client 5nknownclient0000000000000 does not exist.")
				}},
			{"unknown flow", call(c, types.AuthFlowType("MAGIC_AUTH"), pw("janedoe", testPassword)),
				func(t *testing.T, err error) {
					var ipe *types.InvalidParameterException
					if !errors.As(err, &ipe) || !strings.Contains(ipe.ErrorMessage(), "Value 'MAGIC_AUTH' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set") {
						t.Fatalf("err = %v", err)
					}
				}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { tt.check(t, tt.err) })
		}

		t.Run("SECRET_HASH accepted", func(t *testing.T) {
			e.signIn(t, secret, "janedoe", testPassword)
		})
		t.Run("admin flow not enabled", func(t *testing.T) {
			_, err := e.ts.Client.AdminInitiateAuth(e.ctx, &cip.AdminInitiateAuthInput{
				UserPoolId: aws.String(e.pool.ID), ClientId: aws.String(defaults.ClientID),
				AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: pw("janedoe", testPassword),
			})
			wantErr[*types.InvalidParameterException](t, err, "Auth flow not enabled for this client")
		})
		t.Run("refresh flow not enabled", func(t *testing.T) {
			pwOnly := e.client(t, withFlows("ALLOW_USER_PASSWORD_AUTH"))
			err := call(pwOnly, types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": "x"})
			wantErr[*types.InvalidParameterException](t, err, "Refresh Token flow not enabled for this client")
			err = call(pwOnly, types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "janedoe", "SRP_A": "abc"})
			wantErr[*types.InvalidParameterException](t, err, "USER_SRP_AUTH is not enabled for the client.")
		})
	})
}

func TestLockout(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t)
		e.user(t, "janedoe", testPassword)

		for i := 1; i <= 5; i++ {
			_, err := e.passwordAuth(c, "janedoe", "Wrong0ne!")
			wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
		}
		// Locked for 1 s: even the right password is refused, and the
		// refusal does not extend the lock.
		_, err := e.passwordAuth(c, "janedoe", testPassword)
		wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")
		_, err = e.passwordAuth(c, "janedoe", testPassword)
		wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")

		e.ts.Clock.Advance(time.Second)
		e.signIn(t, c, "janedoe", testPassword)

		// The success reset the count: six new failures lock for 2 s, not longer.
		for i := 1; i <= 6; i++ {
			if i == 6 {
				e.ts.Clock.Advance(time.Second) // past the 1 s lock of the 5th
			}
			_, err := e.passwordAuth(c, "janedoe", "Wrong0ne!")
			wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
		}
		e.ts.Clock.Advance(time.Second)
		_, err = e.passwordAuth(c, "janedoe", testPassword)
		wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")
		e.ts.Clock.Advance(time.Second)
		e.signIn(t, c, "janedoe", testPassword)

		// 15 quiet minutes forget earlier failures.
		for i := 1; i <= 4; i++ {
			_, _ = e.passwordAuth(c, "janedoe", "Wrong0ne!")
		}
		e.ts.Clock.Advance(15 * time.Minute)
		_, _ = e.passwordAuth(c, "janedoe", "Wrong0ne!")
		e.signIn(t, c, "janedoe", testPassword) // 1 live failure: no lock
	})
}

func TestLockoutDisabled(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		opts = append(opts, servertest.WithConfig(func(c *server.Config) { c.DisableLockout = true }))
		e := newAuthEnv(t, opts)
		c := e.client(t)
		e.user(t, "janedoe", testPassword)
		for i := 0; i < 8; i++ {
			_, err := e.passwordAuth(c, "janedoe", "Wrong0ne!")
			wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
		}
		e.signIn(t, c, "janedoe", testPassword)
	})
}

// A sign-in name may be a verified email alias; tokens still carry the
// internal username.
func TestInitiateAuthEmailAsUsername(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts, emailAsUsername)
		c := e.client(t, withSecret)
		internal := e.user(t, "jane@example.com", testPassword).Username
		if !uuidPattern.MatchString(internal) {
			t.Fatalf("internal username %q, want a UUID", internal)
		}

		r := e.signIn(t, c, "jane@example.com", testPassword)
		if got := claims(t, aws.ToString(r.IdToken))["cognito:username"]; got != internal {
			t.Errorf("cognito:username = %v, want the internal %s", got, internal)
		}
	})
}

// Model validation: sensitive members (ClientId, Session, Token) are not
// echoed in the message.
func TestAuthValidation(t *testing.T) {
	e := newAuthEnv(t, nil)
	c := e.client(t)
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"client id pattern", func() error {
			_, err := e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
				AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String("not-a-client!"),
			})
			return err
		}, `1 validation error detected: Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+]+`},
		{"short session", func() error {
			_, err := e.ts.Client.RespondToAuthChallenge(e.ctx, &cip.RespondToAuthChallengeInput{
				ClientId: aws.String(c.ClientID), ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: aws.String("short"),
			})
			return err
		}, "1 validation error detected: Value at 'session' failed to satisfy constraint: Member must have length between 20 and 2048"},
		{"token pattern", func() error {
			_, err := e.ts.Client.RevokeToken(e.ctx, &cip.RevokeTokenInput{ClientId: aws.String(c.ClientID), Token: aws.String("a b")})
			return err
		}, "1 validation error detected: Value at 'token' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+"},
		{"unknown challenge", func() error {
			_, err := e.ts.Client.RespondToAuthChallenge(e.ctx, &cip.RespondToAuthChallengeInput{
				ClientId: aws.String(c.ClientID), ChallengeName: "MAGIC",
			})
			return err
		}, "1 validation error detected: Value 'MAGIC' at 'challengeName' failed to satisfy constraint: Member must satisfy enum value set: [SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP, PASSWORD_VERIFIER, CUSTOM_CHALLENGE, SELECT_CHALLENGE, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER, ADMIN_NO_SRP_AUTH, NEW_PASSWORD_REQUIRED, SMS_OTP, PASSWORD, WEB_AUTHN, PASSWORD_SRP]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantErr[*types.InvalidParameterException](t, tt.call(), tt.want) })
	}
}
