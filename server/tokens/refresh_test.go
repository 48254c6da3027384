package tokens_test

import (
	"context"
	"testing"
	"time"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/storage"
)

func TestRefreshKeepsAuthTimeAndFamilyAndRereadsUser(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		first := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI, WithRefresh: true})
		if first.RefreshToken == "" {
			t.Fatal("no refresh token")
		}
		fx.clk.Advance(10 * time.Minute)
		must(t, fx.store.UpdateUser(ctx, poolID, "janedoe", func(u *storage.User) error {
			u.Attributes["given_name"] = "Janet"
			return nil
		}))
		must(t, fx.store.RemoveUserFromGroup(ctx, poolID, "zeta", "janedoe"))

		res, err := fx.iss.Refresh(ctx, fx.client, first.RefreshToken, tokens.FlowAPI)
		if err != nil {
			t.Fatalf("Refresh: %v", err)
		}
		if res.RefreshToken != "" {
			t.Error("Refresh returned a refresh token for a client without rotation")
		}
		if res.OriginJTI != first.OriginJTI || res.ExpiresIn != 3600 || res.TokenType != "Bearer" {
			t.Errorf("refresh result %+v", res)
		}
		id, at := decode(t, res.IDToken), decode(t, res.AccessToken)
		for what, d := range map[string]decoded{"ID": id, "access": at} {
			wantClaim(t, what, d, "auth_time", epoch.Unix())
			wantClaim(t, what, d, "iat", epoch.Add(10*time.Minute).Unix())
			wantClaim(t, what, d, "origin_jti", first.OriginJTI)
			wantClaim(t, what, d, "cognito:groups", []string{"admins", "readers"})
		}
		wantClaim(t, "ID", id, "given_name", "Janet")
		wantClaimNames(t, "refreshed API access token", at, apiATClaims)
	})
}

func TestRefreshErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, fx *fixture) // runs after issuance
		client  string
		token   string // "" = the issued token
		code    string
		message string
	}{
		{name: "other client", client: client2ID, code: exception.NotAuthorized, message: "Invalid Refresh Token"},
		{name: "unknown token", token: "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a.b.c.d", code: exception.NotAuthorized, message: "Invalid Refresh Token"},
		{name: "expired", prepare: func(t *testing.T, fx *fixture) { fx.clk.Advance(30 * 24 * time.Hour) }, code: exception.NotAuthorized, message: "Refresh Token has expired"},
		{name: "disabled user", prepare: func(t *testing.T, fx *fixture) {
			must(t, fx.store.UpdateUser(context.Background(), poolID, "janedoe", func(u *storage.User) error { u.Enabled = false; return nil }))
		}, code: exception.NotAuthorized, message: "User is disabled."},
		{name: "deleted user", prepare: func(t *testing.T, fx *fixture) {
			must(t, fx.store.DeleteUser(context.Background(), poolID, "janedoe"))
		}, code: exception.NotAuthorized, message: "Invalid Refresh Token"},
		{name: "global sign-out", prepare: func(t *testing.T, fx *fixture) {
			fx.clk.Advance(time.Minute)
			must(t, fx.store.UpdateUser(context.Background(), poolID, "janedoe", func(u *storage.User) error { u.SignedOutAt = fx.clk.Now(); return nil }))
		}, code: exception.NotAuthorized, message: "Refresh Token has been revoked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, fx *fixture) {
				ctx := context.Background()
				res := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI, WithRefresh: true})
				if tc.prepare != nil {
					tc.prepare(t, fx)
				}
				c, token := fx.client, res.RefreshToken
				if tc.client != "" {
					var err error
					c, err = fx.store.GetClient(ctx, tc.client)
					must(t, err)
				}
				if tc.token != "" {
					token = tc.token
				}
				_, err := fx.iss.Refresh(ctx, c, token, tokens.FlowAPI)
				wantException(t, err, tc.code, tc.message)
			})
		})
	}
}

func TestRefreshTokenExpiresAfterClientValidity(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		c := fx.client
		c.RefreshTokenValidity = 24 * time.Hour
		res := fx.issue(t, tokens.Request{Client: c, Flow: tokens.FlowAPI, WithRefresh: true})
		fx.clk.Advance(24*time.Hour - time.Second)
		if _, err := fx.iss.Refresh(ctx, c, res.RefreshToken, tokens.FlowAPI); err != nil {
			t.Fatalf("Refresh 1s before expiry: %v", err)
		}
		fx.clk.Advance(time.Second)
		_, err := fx.iss.Refresh(ctx, c, res.RefreshToken, tokens.FlowAPI)
		wantException(t, err, exception.NotAuthorized, "Refresh Token has expired")
	})
}

func TestRefreshRotationGraceAndReuse(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		c := fx.client
		c.RefreshTokenRotation, c.RotationGracePeriod, c.RefreshTokenValidity = true, 30*time.Second, time.Hour
		first := fx.issue(t, tokens.Request{Client: c, Flow: tokens.FlowAPI, WithRefresh: true})

		fx.clk.Advance(50 * time.Minute)
		second, err := fx.iss.Refresh(ctx, c, first.RefreshToken, tokens.FlowAPI)
		if err != nil {
			t.Fatalf("Refresh: %v", err)
		}
		if second.RefreshToken == "" || second.RefreshToken == first.RefreshToken {
			t.Fatalf("rotation returned refresh token %q", second.RefreshToken)
		}
		if second.OriginJTI != first.OriginJTI {
			t.Errorf("rotation started a new family %s (was %s)", second.OriginJTI, first.OriginJTI)
		}

		// The replaced token works within the grace period (a client retry)...
		fx.clk.Advance(29 * time.Second)
		if _, err := fx.iss.Refresh(ctx, c, first.RefreshToken, tokens.FlowAPI); err != nil {
			t.Fatalf("replaced token within the grace period: %v", err)
		}
		// ...and not after it.
		fx.clk.Advance(time.Second)
		_, err = fx.iss.Refresh(ctx, c, first.RefreshToken, tokens.FlowAPI)
		if exception.Code(err) != exception.RefreshTokenReuse {
			t.Fatalf("replaced token after the grace period: %v, want RefreshTokenReuseException", err)
		}
		third, err := fx.iss.Refresh(ctx, c, second.RefreshToken, tokens.FlowAPI)
		if err != nil {
			t.Fatalf("Refresh with the new token: %v", err)
		}
		// The family keeps its expiry: rotating does not extend the session.
		fx.clk.Set(epoch.Add(time.Hour))
		_, err = fx.iss.Refresh(ctx, c, third.RefreshToken, tokens.FlowAPI)
		wantException(t, err, exception.NotAuthorized, "Refresh Token has expired")
	})
}

func TestRefreshRotationWithoutGrace(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		c := fx.client
		c.RefreshTokenRotation = true
		first := fx.issue(t, tokens.Request{Client: c, Flow: tokens.FlowAPI, WithRefresh: true})
		if _, err := fx.iss.Refresh(ctx, c, first.RefreshToken, tokens.FlowAPI); err != nil {
			t.Fatal(err)
		}
		_, err := fx.iss.Refresh(ctx, c, first.RefreshToken, tokens.FlowAPI)
		if exception.Code(err) != exception.RefreshTokenReuse {
			t.Fatalf("second use with no grace period: %v, want RefreshTokenReuseException", err)
		}
	})
}

func TestRevokeFamily(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		a := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI, WithRefresh: true})
		b := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI, WithRefresh: true}) // another sign-in
		fx.clk.Advance(time.Minute)
		a2, err := fx.iss.Refresh(ctx, fx.client, a.RefreshToken, tokens.FlowAPI)
		must(t, err)

		if err := fx.iss.Revoke(ctx, fx.client, a.RefreshToken); err != nil {
			t.Fatalf("Revoke: %v", err)
		}
		for name, tok := range map[string]string{"original": a.AccessToken, "refreshed": a2.AccessToken} {
			_, err := fx.iss.VerifyAccess(ctx, tok)
			wantException(t, err, exception.NotAuthorized, "Access Token has been revoked")
			_ = name
		}
		_, err = fx.iss.Refresh(ctx, fx.client, a.RefreshToken, tokens.FlowAPI)
		wantException(t, err, exception.NotAuthorized, "Refresh Token has been revoked")
		if err := fx.iss.Revoke(ctx, fx.client, a.RefreshToken); err != nil {
			t.Errorf("revoking twice: %v", err)
		}

		// The other sign-in is untouched.
		if _, err := fx.iss.VerifyAccess(ctx, b.AccessToken); err != nil {
			t.Errorf("other family's access token: %v", err)
		}
		if _, err := fx.iss.Refresh(ctx, fx.client, b.RefreshToken, tokens.FlowAPI); err != nil {
			t.Errorf("other family's refresh token: %v", err)
		}
	})
}

func TestRevokeErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		res := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI, WithRefresh: true})

		err := fx.iss.Revoke(ctx, fx.client, res.AccessToken)
		if exception.Code(err) != exception.UnsupportedTokenType {
			t.Errorf("revoking an access token: %v, want UnsupportedTokenTypeException", err)
		}
		err = fx.iss.Revoke(ctx, fx.client, res.IDToken)
		if exception.Code(err) != exception.UnsupportedTokenType {
			t.Errorf("revoking an ID token: %v, want UnsupportedTokenTypeException", err)
		}
		noRevocation := fx.client
		noRevocation.EnableTokenRevocation = false
		err = fx.iss.Revoke(ctx, noRevocation, res.RefreshToken)
		if exception.Code(err) != exception.UnsupportedOperation {
			t.Errorf("revoking with revocation off: %v, want UnsupportedOperationException", err)
		}
		if err := fx.iss.Revoke(ctx, fx.client, "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.x.y.z.w"); err != nil {
			t.Errorf("revoking an unknown token: %v, want success", err)
		}
		other, err := fx.store.GetClient(ctx, client2ID)
		must(t, err)
		err = fx.iss.Revoke(ctx, other, res.RefreshToken)
		if exception.Code(err) != exception.Unauthorized {
			t.Errorf("revoking another client's token: %v, want UnauthorizedException", err)
		}
		// None of the refused calls revoked anything.
		if _, err := fx.iss.VerifyAccess(ctx, res.AccessToken); err != nil {
			t.Errorf("access token after refused revocations: %v", err)
		}
	})
}

func TestGlobalSignOutWatermark(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		before := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI, WithRefresh: true})
		must(t, fx.store.UpdateUser(ctx, poolID, "janedoe", func(u *storage.User) error { u.SignedOutAt = fx.clk.Now(); return nil }))
		_, err := fx.iss.VerifyAccess(ctx, before.AccessToken)
		wantException(t, err, exception.NotAuthorized, "Access Token has been revoked")
		_, err = fx.iss.Refresh(ctx, fx.client, before.RefreshToken, tokens.FlowAPI)
		wantException(t, err, exception.NotAuthorized, "Refresh Token has been revoked")

		// A sign-in after the watermark works.
		fx.clk.Advance(time.Second)
		user, err := fx.store.GetUser(ctx, poolID, "janedoe")
		must(t, err)
		after := fx.issue(t, tokens.Request{User: user, Flow: tokens.FlowAPI, WithRefresh: true})
		if _, err := fx.iss.VerifyAccess(ctx, after.AccessToken); err != nil {
			t.Errorf("access token issued after the sign-out: %v", err)
		}
		if _, err := fx.iss.Refresh(ctx, fx.client, after.RefreshToken, tokens.FlowAPI); err != nil {
			t.Errorf("refresh token issued after the sign-out: %v", err)
		}
	})
}

func TestLookupRefresh(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		res := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI, WithRefresh: true})
		rec, err := fx.iss.LookupRefresh(ctx, res.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if rec.UsernameKey != "janedoe" || rec.ClientID != clientID || rec.OriginJTI != res.OriginJTI || rec.Hash != tokens.HashRefreshToken(res.RefreshToken) {
			t.Errorf("LookupRefresh = %+v", rec)
		}
		if rec.Hash == res.RefreshToken || len(rec.Hash) != 64 {
			t.Errorf("stored hash %q is not a hex SHA-256", rec.Hash)
		}
		_, err = fx.iss.LookupRefresh(ctx, "nope")
		wantException(t, err, exception.NotAuthorized, "Invalid Refresh Token")
	})
}

// iat has whole seconds: a sign-in in the same second as a global sign-out,
// but after it, must work, while a token from just before it is revoked.
func TestGlobalSignOutSameSecond(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		fx.clk.Set(fx.clk.Now().Truncate(time.Second).Add(100 * time.Millisecond))
		before := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI, WithRefresh: true})
		fx.clk.Advance(200 * time.Millisecond)
		must(t, fx.store.UpdateUser(ctx, poolID, "janedoe", func(u *storage.User) error { u.SignedOutAt = fx.clk.Now(); return nil }))
		fx.clk.Advance(200 * time.Millisecond)
		user, err := fx.store.GetUser(ctx, poolID, "janedoe")
		must(t, err)
		after := fx.issue(t, tokens.Request{User: user, Flow: tokens.FlowAPI, WithRefresh: true})

		_, err = fx.iss.VerifyAccess(ctx, before.AccessToken)
		wantException(t, err, exception.NotAuthorized, "Access Token has been revoked")
		if _, err := fx.iss.VerifyAccess(ctx, after.AccessToken); err != nil {
			t.Errorf("access token from a sign-in after the sign-out, same second: %v", err)
		}
		if _, err := fx.iss.Refresh(ctx, fx.client, after.RefreshToken, tokens.FlowAPI); err != nil {
			t.Errorf("refresh token from a sign-in after the sign-out, same second: %v", err)
		}
		_, err = fx.iss.Refresh(ctx, fx.client, before.RefreshToken, tokens.FlowAPI)
		wantException(t, err, exception.NotAuthorized, "Refresh Token has been revoked")
	})
}
