package cognitoapi_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server"
	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/postgres"
	"github.com/locognito/locognito/storage/postgres/pgtest"
)

func (e *authEnv) getUser(accessToken string) (*cip.GetUserOutput, error) {
	return e.ts.Client.GetUser(e.ctx, &cip.GetUserInput{AccessToken: aws.String(accessToken)})
}

const revoked = "Access Token has been revoked"

func TestGlobalSignOut(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t)
		e.user(t, "janedoe", testPassword)
		e.user(t, "johndoe", testPassword)
		first := e.signIn(t, c, "janedoe", testPassword)
		second := e.signIn(t, c, "janedoe", testPassword)
		bystander := e.signIn(t, c, "johndoe", testPassword)
		if _, err := e.getUser(aws.ToString(first.AccessToken)); err != nil {
			t.Fatalf("GetUser before sign-out: %v", err)
		}

		e.ts.Clock.Advance(time.Minute)
		if _, err := e.ts.Client.GlobalSignOut(e.ctx, &cip.GlobalSignOutInput{AccessToken: first.AccessToken}); err != nil {
			t.Fatal(err)
		}
		// Every session of the user ends: both access tokens, both refresh tokens.
		for _, r := range []*types.AuthenticationResultType{first, second} {
			_, err := e.getUser(aws.ToString(r.AccessToken))
			wantErr[*types.NotAuthorizedException](t, err, revoked)
			_, err = e.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, aws.ToString(r.RefreshToken), "")
			wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
		}
		_, err := e.ts.Client.GlobalSignOut(e.ctx, &cip.GlobalSignOutInput{AccessToken: first.AccessToken})
		wantErr[*types.NotAuthorizedException](t, err, revoked)

		// Other users are untouched.
		if _, err := e.getUser(aws.ToString(bystander.AccessToken)); err != nil {
			t.Errorf("another user's token: %v", err)
		}
		// Signing in again works.
		e.ts.Clock.Advance(time.Second)
		again := e.signIn(t, c, "janedoe", testPassword)
		if _, err := e.getUser(aws.ToString(again.AccessToken)); err != nil {
			t.Errorf("GetUser after signing in again: %v", err)
		}
		if _, err := e.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, aws.ToString(again.RefreshToken), ""); err != nil {
			t.Errorf("refresh after signing in again: %v", err)
		}
	})
}

func TestAdminUserGlobalSignOut(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t)
		e.user(t, "janedoe", testPassword)
		r := e.signIn(t, c, "janedoe", testPassword)

		e.ts.Clock.Advance(time.Minute)
		if _, err := e.ts.Client.AdminUserGlobalSignOut(e.ctx, &cip.AdminUserGlobalSignOutInput{
			UserPoolId: aws.String(e.pool.ID), Username: aws.String("janedoe"),
		}); err != nil {
			t.Fatal(err)
		}
		_, err := e.getUser(aws.ToString(r.AccessToken))
		wantErr[*types.NotAuthorizedException](t, err, revoked)
		_, err = e.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, aws.ToString(r.RefreshToken), "")
		wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")

		_, err = e.ts.Client.AdminUserGlobalSignOut(e.ctx, &cip.AdminUserGlobalSignOutInput{
			UserPoolId: aws.String(e.pool.ID), Username: aws.String("nobody"),
		})
		wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	})
}

func TestRevokeToken(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t)
		secret := e.client(t, withSecret)
		noRevocation := e.client(t, withoutRevocation)
		e.user(t, "janedoe", testPassword)
		revoke := func(c storage.Client, token, clientSecret string) error {
			in := &cip.RevokeTokenInput{ClientId: aws.String(c.ClientID), Token: aws.String(token)}
			if clientSecret != "" {
				in.ClientSecret = aws.String(clientSecret)
			}
			_, err := e.ts.Client.RevokeToken(e.ctx, in)
			return err
		}

		t.Run("refresh token family", func(t *testing.T) {
			gone := e.signIn(t, c, "janedoe", testPassword)
			kept := e.signIn(t, c, "janedoe", testPassword)
			if err := revoke(c, aws.ToString(gone.RefreshToken), ""); err != nil {
				t.Fatal(err)
			}
			_, err := e.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, aws.ToString(gone.RefreshToken), "")
			wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
			_, err = e.getUser(aws.ToString(gone.AccessToken))
			wantErr[*types.NotAuthorizedException](t, err, revoked)
			// Only that family: the user's other sign-in lives on.
			if _, err := e.getUser(aws.ToString(kept.AccessToken)); err != nil {
				t.Errorf("other family's access token: %v", err)
			}
			if _, err := e.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, aws.ToString(kept.RefreshToken), ""); err != nil {
				t.Errorf("other family's refresh token: %v", err)
			}
			// Revoking again, or an unknown token, is not an error.
			if err := revoke(c, aws.ToString(gone.RefreshToken), ""); err != nil {
				t.Errorf("second revocation: %v", err)
			}
			if err := revoke(c, ids.RefreshToken(), ""); err != nil {
				t.Errorf("unknown token: %v", err)
			}
		})
		t.Run("access token", func(t *testing.T) {
			r := e.signIn(t, c, "janedoe", testPassword)
			err := revoke(c, aws.ToString(r.AccessToken), "")
			var want *types.UnsupportedTokenTypeException
			if !errors.As(err, &want) {
				t.Fatalf("err = %v, want UnsupportedTokenTypeException", err)
			}
		})
		t.Run("revocation disabled", func(t *testing.T) {
			r := e.signIn(t, noRevocation, "janedoe", testPassword)
			err := revoke(noRevocation, aws.ToString(r.RefreshToken), "")
			var want *types.UnsupportedOperationException
			if !errors.As(err, &want) {
				t.Fatalf("err = %v, want UnsupportedOperationException", err)
			}
		})
		t.Run("client secret", func(t *testing.T) {
			r := e.signIn(t, secret, "janedoe", testPassword)
			err := revoke(secret, aws.ToString(r.RefreshToken), "")
			wantErr[*types.UnauthorizedException](t, err, "Client authentication failed.")
			err = revoke(secret, aws.ToString(r.RefreshToken), ids.ClientSecret())
			wantErr[*types.UnauthorizedException](t, err, "Client authentication failed.")
			if err := revoke(secret, aws.ToString(r.RefreshToken), secret.Secret); err != nil {
				t.Fatal(err)
			}
			_, err = e.refreshAuth(secret, types.AuthFlowTypeRefreshTokenAuth, aws.ToString(r.RefreshToken),
				userpool.SecretHash(secret.Secret, "janedoe", secret.ClientID))
			wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
		})
	})
}

// TestRestartOnPostgres stops a server and starts another on the same
// database: refresh tokens, access tokens (keys persisted) and a global
// sign-out all survive.
func TestRestartOnPostgres(t *testing.T) {
	url, schema := pgtest.URL(t)
	ctx := context.Background()
	open := func() storage.Storage {
		s, err := postgres.Open(ctx, url, postgres.WithSchema(schema))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// One clock for both servers, and the AWS-form issuer: the two test
	// servers listen on different ports, while a real restart keeps its
	// public URL (and so its issuer).
	clk := clock.NewFake(servertest.Epoch)
	withClock := servertest.WithConfig(func(c *server.Config) {
		c.Clock, c.IssuerMode = clk, server.IssuerAWS
	})

	storeA := open()
	a := newAuthEnv(t, []servertest.Option{servertest.WithStore(storeA), withClock})
	c := a.client(t)
	a.user(t, "janedoe", testPassword)
	a.user(t, "johndoe", testPassword)
	jane := a.signIn(t, c, "janedoe", testPassword)
	john := a.signIn(t, c, "johndoe", testPassword)
	clk.Advance(time.Minute)
	if _, err := a.ts.Client.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: john.AccessToken}); err != nil {
		t.Fatal(err)
	}
	a.ts.HTTP.Close()
	if err := storeA.Close(); err != nil {
		t.Fatal(err)
	}

	clk.Advance(time.Minute)
	storeB := open()
	t.Cleanup(func() { _ = storeB.Close() })
	b := &authEnv{ts: servertest.Start(t, servertest.WithStore(storeB), withClock), pool: a.pool, ctx: ctx}

	if _, err := b.getUser(aws.ToString(jane.AccessToken)); err != nil {
		t.Errorf("old access token on the new server: %v", err)
	}
	out, err := b.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, aws.ToString(jane.RefreshToken), "")
	if err != nil {
		t.Fatalf("old refresh token on the new server: %v", err)
	}
	if _, err := b.getUser(aws.ToString(out.AuthenticationResult.AccessToken)); err != nil {
		t.Errorf("refreshed access token: %v", err)
	}
	_, err = b.getUser(aws.ToString(john.AccessToken))
	wantErr[*types.NotAuthorizedException](t, err, revoked)
	_, err = b.refreshAuth(c, types.AuthFlowTypeRefreshTokenAuth, aws.ToString(john.RefreshToken), "")
	wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
}
