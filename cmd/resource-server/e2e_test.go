package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/oauth/oauthtest"
	"github.com/locognito/locognito/server/servertest"
)

// TestAPIEndToEnd drives locognito and the demo the way an app does: the
// AWS SDK signs users in, a worker gets client_credentials tokens, and the
// tokens go to the demo's routes, which answer by scope, group and token
// kind. Then the user signs out globally.
func TestAPIEndToEnd(t *testing.T) {
	oauthtest.Backends(t, func(t *testing.T, opts ...servertest.Option) {
		d := startDemo(t, opts...)
		jane := d.signIn(t, oauthtest.Username, oauthtest.Password)
		access := aws.ToString(jane.AccessToken)

		// A user's API sign-in token has only aws.cognito.signin.user.admin:
		// enough to read notes and see itself, not to write.
		wantStatus(t, "GET /notes (user)", d.call(t, "GET", "/notes", access, ""), http.StatusOK, "")
		me := d.call(t, "GET", "/me", access, "")
		wantStatus(t, "GET /me", me, http.StatusOK, "")
		claims := me.json(t)
		if claims["username"] != oauthtest.Username || claims["client_id"] != d.Web.ID || claims["token_use"] != "access" {
			t.Errorf("GET /me = %v, want jane's access token claims from client %s", claims, d.Web.ID)
		}
		r := d.call(t, "POST", "/notes", access, `{"text":"from jane"}`)
		wantStatus(t, "POST /notes (user, no notes/write)", r, http.StatusForbidden, `error="insufficient_scope"`)
		wantStatus(t, "POST /notes (user, no notes/write)", r, http.StatusForbidden, `scope="notes/write"`)
		wantStatus(t, "GET /admin/stats (jane, not admin)", d.call(t, "GET", "/admin/stats", access, ""),
			http.StatusForbidden, `error="insufficient_scope"`)

		// A worker with notes/write writes; with notes/read it reads.
		writer := d.machineToken(t, scopeWrite)
		r = d.call(t, "POST", "/notes", writer, `{"text":"hello from the worker"}`)
		wantStatus(t, "POST /notes (notes/write)", r, http.StatusCreated, "")
		if n := r.json(t); n["author"] != "client:"+d.Machine.ID || n["text"] != "hello from the worker" {
			t.Errorf("created note = %v", n)
		}
		reader := d.machineToken(t, scopeRead)
		r = d.call(t, "GET", "/notes", reader, "")
		wantStatus(t, "GET /notes (notes/read)", r, http.StatusOK, "")
		if !strings.Contains(r.Body, "hello from the worker") {
			t.Errorf("GET /notes does not list the note: %s", r.Body)
		}
		// notes/write alone is neither notes/read nor a user's token.
		wantStatus(t, "GET /notes (notes/write only)", d.call(t, "GET", "/notes", writer, ""),
			http.StatusForbidden, `scope="notes/read"`)
		wantStatus(t, "POST /notes (notes/read only)", d.call(t, "POST", "/notes", reader, `{"text":"x"}`),
			http.StatusForbidden, `scope="notes/write"`)
		wantStatus(t, "GET /admin/stats (machine: no groups)", d.call(t, "GET", "/admin/stats", writer, ""),
			http.StatusForbidden, `error="insufficient_scope"`)

		// Group admin opens /admin/.
		root := d.signIn(t, adminUser, adminPassword)
		r = d.call(t, "GET", "/admin/stats", aws.ToString(root.AccessToken), "")
		wantStatus(t, "GET /admin/stats (admin)", r, http.StatusOK, "")
		if s := r.json(t); s["notes"] != float64(1) {
			t.Errorf("admin stats = %v, want 1 note", s)
		}
		wantStatus(t, "GET /admin/nothing (admin)", d.call(t, "GET", "/admin/nothing", aws.ToString(root.AccessToken), ""),
			http.StatusNotFound, "")
		wantStatus(t, "GET /admin/stats (no token)", d.call(t, "GET", "/admin/stats", "", ""), http.StatusUnauthorized, "Bearer")

		// Tokens the API must refuse: none, garbage, an ID token, a token
		// of a client not in COGNITO_CLIENT_IDS.
		wantStatus(t, "no token", d.call(t, "GET", "/notes", "", ""), http.StatusUnauthorized, "Bearer")
		wantStatus(t, "garbage", d.call(t, "GET", "/notes", "not-a-jwt", ""), http.StatusUnauthorized, `error="invalid_token"`)
		wantStatus(t, "ID token", d.call(t, "GET", "/me", aws.ToString(jane.IdToken), ""), http.StatusUnauthorized, `error="invalid_token"`)
		wantStatus(t, "refresh token", d.call(t, "GET", "/me", aws.ToString(jane.RefreshToken), ""), http.StatusUnauthorized, `error="invalid_token"`)
		other, err := d.TS.Client.InitiateAuth(context.Background(), &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(d.Other.ID),
			AuthParameters: map[string]string{"USERNAME": oauthtest.Username, "PASSWORD": oauthtest.Password},
		})
		must(t, "InitiateAuth (other client)", err)
		wantStatus(t, "other client's token", d.call(t, "GET", "/me", aws.ToString(other.AuthenticationResult.AccessToken), ""),
			http.StatusUnauthorized, `error="invalid_token"`)

		// Global sign-out: Cognito refuses the refresh token from now on.
		_, err = d.TS.Client.GlobalSignOut(context.Background(), &cip.GlobalSignOutInput{AccessToken: jane.AccessToken})
		must(t, "GlobalSignOut", err)
		_, err = d.TS.Client.InitiateAuth(context.Background(), &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(d.Web.ID),
			AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(jane.RefreshToken)},
		})
		var nae *types.NotAuthorizedException
		if !errors.As(err, &nae) || nae.ErrorMessage() != "Refresh Token has been revoked" {
			t.Fatalf("refresh after GlobalSignOut: err = %v, want NotAuthorizedException \"Refresh Token has been revoked\"", err)
		}
		// The access token itself still verifies offline until it expires,
		// as with real Cognito and aws-jwt-verify (spec §5.6): a resource
		// server that must refuse it at once has to ask Cognito (GetUser).
		wantStatus(t, "GET /notes after GlobalSignOut (offline verification)", d.call(t, "GET", "/notes", access, ""), http.StatusOK, "")
		_, err = d.TS.Client.GetUser(context.Background(), &cip.GetUserInput{AccessToken: jane.AccessToken})
		if !errors.As(err, &nae) {
			t.Errorf("GetUser after GlobalSignOut: err = %v, want NotAuthorizedException", err)
		}
	})
}

// TestKeyRotationEndToEnd: rotating locognito's keys while the demo runs
// breaks nothing. A token signed with the new key names a kid the demo has
// not seen, so jwtverify fetches the JWKS once more and accepts it; tokens
// signed with the old key keep verifying, as the old key stays published.
func TestKeyRotationEndToEnd(t *testing.T) {
	oauthtest.Backends(t, func(t *testing.T, opts ...servertest.Option) {
		d := startDemo(t, opts...)
		before := aws.ToString(d.signIn(t, oauthtest.Username, oauthtest.Password).AccessToken)
		oldWorker := d.machineToken(t, scopeWrite)
		wantStatus(t, "GET /notes before rotation", d.call(t, "GET", "/notes", before, ""), http.StatusOK, "")
		if n := d.JWKSFetches.Load(); n != 1 {
			t.Fatalf("JWKS fetched %d times for the first token, want 1", n)
		}

		resp, err := http.Post(d.TS.URL+"/_locognito/keys/rotate?pool="+d.PoolID+"&delay=0s", "", nil)
		must(t, "rotate", err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("rotate: status %d", resp.StatusCode)
		}

		after := aws.ToString(d.signIn(t, oauthtest.Username, oauthtest.Password).AccessToken)
		if kid(t, after) == kid(t, before) {
			t.Fatalf("the token after rotation has the old kid %s", kid(t, before))
		}
		wantStatus(t, "GET /notes with the new key", d.call(t, "GET", "/notes", after, ""), http.StatusOK, "")
		if n := d.JWKSFetches.Load(); n != 2 {
			t.Errorf("JWKS fetched %d times after the new kid, want 2 (one refetch)", n)
		}
		wantStatus(t, "GET /notes with the old key", d.call(t, "GET", "/notes", before, ""), http.StatusOK, "")
		wantStatus(t, "POST /notes with the old key", d.call(t, "POST", "/notes", oldWorker, `{"text":"old key"}`), http.StatusCreated, "")
		newWorker := d.machineToken(t, scopeWrite)
		if kid(t, newWorker) == kid(t, oldWorker) {
			t.Fatalf("client_credentials token after rotation has the old kid")
		}
		wantStatus(t, "POST /notes with the new key", d.call(t, "POST", "/notes", newWorker, `{"text":"new key"}`), http.StatusCreated, "")
		if n := d.JWKSFetches.Load(); n != 2 {
			t.Errorf("JWKS fetched %d times in all, want 2: the refetched set has both keys", n)
		}
	})
}

// kid is the token's header kid.
func kid(t *testing.T, token string) string {
	t.Helper()
	h, _, _ := strings.Cut(token, ".")
	b, err := base64.RawURLEncoding.DecodeString(h)
	must(t, "decode header", err)
	var hdr struct {
		KID string `json:"kid"`
	}
	must(t, "parse header", json.Unmarshal(b, &hdr))
	return hdr.KID
}
