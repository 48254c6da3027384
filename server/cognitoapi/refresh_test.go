package cognitoapi_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// refreshAuth runs REFRESH_TOKEN_AUTH (flow may also be REFRESH_TOKEN).
func (e *authEnv) refreshAuth(c storage.Client, flow types.AuthFlowType, token, secretHash string) (*cip.InitiateAuthOutput, error) {
	params := map[string]string{"REFRESH_TOKEN": token}
	if secretHash != "" {
		params["SECRET_HASH"] = secretHash
	}
	return e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
		AuthFlow: flow, ClientId: aws.String(c.ClientID), AuthParameters: params,
	})
}

func TestRefreshTokenAuth(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t)
		e.user(t, "janedoe", testPassword)
		first := e.signIn(t, c, "janedoe", testPassword)
		firstID, firstAT := claims(t, aws.ToString(first.IdToken)), claims(t, aws.ToString(first.AccessToken))

		e.ts.Clock.Advance(10 * time.Minute)
		for _, flow := range []types.AuthFlowType{types.AuthFlowTypeRefreshTokenAuth, types.AuthFlowTypeRefreshToken} {
			t.Run(string(flow), func(t *testing.T) {
				out, err := e.refreshAuth(c, flow, aws.ToString(first.RefreshToken), "")
				if err != nil {
					t.Fatal(err)
				}
				r := out.AuthenticationResult
				if r == nil || r.RefreshToken != nil || len(out.ChallengeParameters) != 0 {
					t.Fatalf("want ID and access tokens only, got %+v", out)
				}
				id, at := claims(t, aws.ToString(r.IdToken)), claims(t, aws.ToString(r.AccessToken))
				// auth_time and origin_jti carry over; iat and jti are new.
				for name, pair := range map[string][2]map[string]any{"id": {firstID, id}, "access": {firstAT, at}} {
					before, after := pair[0], pair[1]
					if after["auth_time"] != before["auth_time"] || after["origin_jti"] != before["origin_jti"] {
						t.Errorf("%s token: auth_time %v→%v origin_jti %v→%v, want unchanged", name,
							before["auth_time"], after["auth_time"], before["origin_jti"], after["origin_jti"])
					}
					if after["jti"] == before["jti"] || after["iat"] == before["iat"] {
						t.Errorf("%s token: jti/iat not renewed", name)
					}
				}
			})
		}
		t.Run("unknown token", func(t *testing.T) {
			_, err := e.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, ids.RefreshToken(), "")
			wantErr[*types.NotAuthorizedException](t, err, "Invalid Refresh Token")
		})
		t.Run("another client's token", func(t *testing.T) {
			other := e.client(t)
			_, err := e.refreshAuth(other, types.AuthFlowTypeRefreshTokenAuth, aws.ToString(first.RefreshToken), "")
			wantErr[*types.NotAuthorizedException](t, err, "Invalid Refresh Token")
		})
		t.Run("missing token", func(t *testing.T) {
			_, err := e.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, "", "")
			wantErr[*types.InvalidParameterException](t, err, "Missing required parameter REFRESH_TOKEN")
		})
		t.Run("disabled user", func(t *testing.T) {
			e.user(t, "soon-disabled", testPassword)
			r := e.signIn(t, c, "soon-disabled", testPassword)
			if _, err := e.ts.Client.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{
				UserPoolId: aws.String(e.pool.ID), Username: aws.String("soon-disabled"),
			}); err != nil {
				t.Fatal(err)
			}
			// Disabling revokes the user's tokens (spec §5.6); the message is
			// the revocation's or the disabled user's, depending on which
			// check the token service meets first.
			_, err := e.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, aws.ToString(r.RefreshToken), "")
			var nae *types.NotAuthorizedException
			if !errors.As(err, &nae) || (nae.ErrorMessage() != "User is disabled." && nae.ErrorMessage() != "Refresh Token has been revoked") {
				t.Fatalf("err = %v, want NotAuthorizedException for the disabled user", err)
			}
		})
	})
}

// SECRET_HASH on refresh is computed over the internal username, which in an
// email-as-username pool is a UUID, not the email the user typed (spec §8).
func TestRefreshTokenAuthSecretHash(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts, emailAsUsername)
		c := e.client(t, withSecret)
		internal := e.user(t, "jane@example.com", testPassword).Username
		rt := aws.ToString(e.signIn(t, c, "jane@example.com", testPassword).RefreshToken)

		_, err := e.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, rt, "")
		wantErr[*types.NotAuthorizedException](t, err, "Client "+c.ClientID+" is configured for secret but secret was not received")
		_, err = e.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, rt, userpool.SecretHash(c.Secret, "jane@example.com", c.ClientID))
		wantErr[*types.NotAuthorizedException](t, err, "Unable to verify secret hash for client "+c.ClientID)
		out, err := e.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, rt, userpool.SecretHash(c.Secret, internal, c.ClientID))
		if err != nil {
			t.Fatal(err)
		}
		if out.AuthenticationResult == nil {
			t.Fatal("no tokens")
		}
	})
}

func TestGetTokensFromRefreshToken(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		plain := e.client(t)
		secret := e.client(t, withSecret)
		rotating := e.client(t, withFlows("ALLOW_USER_PASSWORD_AUTH"), // rotation needs REFRESH_TOKEN_AUTH off
			func(in *cip.CreateUserPoolClientInput) {
				in.RefreshTokenRotation = &types.RefreshTokenRotationType{
					Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(10),
				}
			})
		e.user(t, "janedoe", testPassword)
		get := func(c storage.Client, token, clientSecret string) (*cip.GetTokensFromRefreshTokenOutput, error) {
			in := &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String(c.ClientID), RefreshToken: aws.String(token)}
			if clientSecret != "" {
				in.ClientSecret = aws.String(clientSecret)
			}
			return e.ts.Client.GetTokensFromRefreshToken(e.ctx, in)
		}

		t.Run("no rotation", func(t *testing.T) {
			rt := aws.ToString(e.signIn(t, plain, "janedoe", testPassword).RefreshToken)
			out, err := get(plain, rt, "")
			if err != nil {
				t.Fatal(err)
			}
			if out.AuthenticationResult == nil || out.AuthenticationResult.RefreshToken != nil || aws.ToString(out.AuthenticationResult.AccessToken) == "" {
				t.Fatalf("want ID and access tokens only, got %+v", out.AuthenticationResult)
			}
		})
		t.Run("client secret", func(t *testing.T) {
			rt := aws.ToString(e.signIn(t, secret, "janedoe", testPassword).RefreshToken)
			_, err := get(secret, rt, "")
			wantErr[*types.NotAuthorizedException](t, err, "Client "+secret.ClientID+" is configured for secret but secret was not received")
			_, err = get(secret, rt, ids.ClientSecret())
			wantErr[*types.NotAuthorizedException](t, err, "Unable to verify secret hash for client "+secret.ClientID)
			if _, err := get(secret, rt, secret.Secret); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("rotation", func(t *testing.T) {
			old := aws.ToString(e.signIn(t, rotating, "janedoe", testPassword).RefreshToken)
			_, err := e.refreshAuth(rotating, types.AuthFlowTypeRefreshTokenAuth, old, "")
			wantErr[*types.InvalidParameterException](t, err, "Refresh Token flow not enabled for this client")

			out, err := get(rotating, old, "")
			if err != nil {
				t.Fatal(err)
			}
			fresh := aws.ToString(out.AuthenticationResult.RefreshToken)
			if fresh == "" || fresh == old {
				t.Fatalf("rotation returned refresh token %q", fresh)
			}
			// The old token works within the grace period, then is refused.
			e.ts.Clock.Advance(5 * time.Second)
			if _, err := get(rotating, old, ""); err != nil {
				t.Fatalf("old token within grace: %v", err)
			}
			e.ts.Clock.Advance(10 * time.Second)
			_, err = get(rotating, old, "")
			var reuse *types.RefreshTokenReuseException
			if !errors.As(err, &reuse) {
				t.Fatalf("old token after grace: err = %v, want RefreshTokenReuseException", err)
			}
			if _, err := get(rotating, fresh, ""); err != nil {
				t.Fatalf("new token: %v", err)
			}
		})
		t.Run("unknown token", func(t *testing.T) {
			_, err := get(plain, ids.RefreshToken(), "")
			wantErr[*types.NotAuthorizedException](t, err, "Invalid Refresh Token")
		})
	})
}
