package tokens_test

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/storage"
)

var b64 = base64.RawURLEncoding

func TestVerifyAccessReturnsClaims(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		res := fx.issue(t, tokens.Request{Flow: tokens.FlowOAuth, Scopes: []string{"openid", "email"}, AuthTime: epoch.Add(-time.Hour)})
		fx.clk.Advance(time.Hour) // exactly exp: still valid
		got, err := fx.iss.VerifyAccess(ctx, res.AccessToken)
		if err != nil {
			t.Fatalf("VerifyAccess at exp: %v", err)
		}
		at := decode(t, res.AccessToken)
		want := tokens.AccessClaims{
			PoolID: poolID, ClientID: clientID, Username: "janedoe", Sub: userSub,
			JTI: at.claims["jti"].(string), OriginJTI: res.OriginJTI, Scopes: []string{"openid", "email"},
			IssuedAt: epoch, ExpiresAt: epoch.Add(time.Hour), AuthTime: epoch.Add(-time.Hour),
		}
		if !got.IssuedAt.Equal(want.IssuedAt) || !got.ExpiresAt.Equal(want.ExpiresAt) || !got.AuthTime.Equal(want.AuthTime) ||
			got.PoolID != want.PoolID || got.ClientID != want.ClientID || got.Username != want.Username || got.Sub != want.Sub ||
			got.JTI != want.JTI || got.OriginJTI != want.OriginJTI || !slices.Equal(got.Scopes, want.Scopes) {
			t.Errorf("VerifyAccess =\n %+v\nwant\n %+v", got, want)
		}

		fx.clk.Advance(time.Second)
		_, err = fx.iss.VerifyAccess(ctx, res.AccessToken)
		wantException(t, err, exception.NotAuthorized, "Access Token has expired")
	})
}

func TestVerifyAccessClientCredentialsAndOtherPools(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		other := storage.Client{ClientID: "5k0ab6rnl2c1fkhq1sc4hpdcj0", PoolID: otherPool, EnableTokenRevocation: true}
		res, err := fx.iss.ClientCredentials(ctx, storage.Pool{ID: otherPool}, other, []string{"res/read"})
		must(t, err)
		got, err := fx.iss.VerifyAccess(ctx, res.AccessToken)
		if err != nil {
			t.Fatalf("VerifyAccess(client_credentials token): %v", err)
		}
		if got.PoolID != otherPool || got.ClientID != other.ClientID || got.Sub != other.ClientID || got.Username != "" || !slices.Equal(got.Scopes, []string{"res/read"}) {
			t.Errorf("VerifyAccess = %+v", got)
		}
	})
}

func TestVerifyAccessRevokedUser(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(ctx context.Context, fx *fixture) error
	}{
		{"disabled", func(ctx context.Context, fx *fixture) error {
			return fx.store.UpdateUser(ctx, poolID, "janedoe", func(u *storage.User) error { u.Enabled = false; return nil })
		}},
		{"deleted", func(ctx context.Context, fx *fixture) error { return fx.store.DeleteUser(ctx, poolID, "janedoe") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, fx *fixture) {
				ctx := context.Background()
				res := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI})
				must(t, tc.change(ctx, fx))
				_, err := fx.iss.VerifyAccess(ctx, res.AccessToken)
				wantException(t, err, exception.NotAuthorized, "Access Token has been revoked")
			})
		})
	}
}

// forge signs header and claims with key using alg ("RS256", "RS384",
// "HS256" with secret, or "none").
func forge(t *testing.T, header, payload string, key *rsa.PrivateKey, secret []byte, alg string) string {
	t.Helper()
	input := b64.EncodeToString([]byte(header)) + "." + b64.EncodeToString([]byte(payload))
	var sig []byte
	switch alg {
	case "RS256":
		d := sha256.Sum256([]byte(input))
		s, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, d[:])
		must(t, err)
		sig = s
	case "RS384":
		d := sha512.Sum384([]byte(input))
		s, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA384, d[:])
		must(t, err)
		sig = s
	case "HS256":
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(input))
		sig = m.Sum(nil)
	case "none":
	}
	return input + "." + b64.EncodeToString(sig)
}

// payloadWith returns the claims of tok with changes applied, as JSON.
func payloadWith(t *testing.T, tok string, changes map[string]any) string {
	t.Helper()
	p, err := b64.DecodeString(strings.Split(tok, ".")[1])
	must(t, err)
	var c map[string]any
	must(t, json.Unmarshal(p, &c))
	for k, v := range changes {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	out, err := json.Marshal(c)
	must(t, err)
	return string(out)
}

func TestVerifyAccessRejectsForgeries(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		must(t, fx.keys.Ensure(ctx, otherPool))
		res := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI, WithRefresh: true})
		accessKID, accessKey, err := fx.keys.Signer(ctx, poolID, keys.UseAccess)
		must(t, err)
		idKID, idKey, err := fx.keys.Signer(ctx, poolID, keys.UseID)
		must(t, err)
		otherKID, otherKey, err := fx.keys.Signer(ctx, otherPool, keys.UseAccess)
		must(t, err)
		header := func(alg, kid string) string { return `{"kid":"` + kid + `","alg":"` + alg + `"}` }
		valid := payloadWith(t, res.AccessToken, nil)
		pubDER, err := x509.MarshalPKIXPublicKey(&accessKey.PublicKey)
		must(t, err)
		parts := strings.Split(res.AccessToken, ".")

		// Sanity: the forging helper makes tokens VerifyAccess accepts.
		if _, err := fx.iss.VerifyAccess(ctx, forge(t, header("RS256", accessKID), valid, accessKey, nil, "RS256")); err != nil {
			t.Fatalf("re-signed valid token rejected: %v", err)
		}

		for name, tok := range map[string]string{
			"empty":                               "",
			"garbage":                             "not-a-token",
			"two parts":                           parts[0] + "." + parts[1],
			"ID token":                            res.IDToken,
			"refresh token":                       res.RefreshToken,
			"tampered scope":                      parts[0] + "." + b64.EncodeToString([]byte(payloadWith(t, res.AccessToken, map[string]any{"scope": "openid"}))) + "." + parts[2],
			"alg none":                            forge(t, header("none", accessKID), valid, nil, nil, "none"),
			"HS256 with the public key as secret": forge(t, header("HS256", accessKID), valid, nil, pubDER, "HS256"),
			"HS256 with n as secret":              forge(t, header("HS256", accessKID), valid, nil, accessKey.N.Bytes(), "HS256"),
			"RS384 with the right key":            forge(t, header("RS384", accessKID), valid, accessKey, nil, "RS384"),
			"no kid":                              forge(t, `{"alg":"RS256"}`, valid, accessKey, nil, "RS256"),
			"unknown kid":                         forge(t, header("RS256", "dW5rbm93bg=="), valid, accessKey, nil, "RS256"),
			"signed by the ID key":                forge(t, header("RS256", idKID), valid, idKey, nil, "RS256"),
			"token_use id":                        forge(t, header("RS256", accessKID), payloadWith(t, res.AccessToken, map[string]any{"token_use": "id"}), accessKey, nil, "RS256"),
			"iss of another pool, our key":        forge(t, header("RS256", accessKID), payloadWith(t, res.AccessToken, map[string]any{"iss": issuerRoot + otherPool}), accessKey, nil, "RS256"),
			"our iss, other pool's key":           forge(t, header("RS256", otherKID), valid, otherKey, nil, "RS256"),
			"foreign issuer host":                 forge(t, header("RS256", accessKID), payloadWith(t, res.AccessToken, map[string]any{"iss": "https://evil.example/" + poolID}), accessKey, nil, "RS256"),
			"no exp":                              forge(t, header("RS256", accessKID), payloadWith(t, res.AccessToken, map[string]any{"exp": nil}), accessKey, nil, "RS256"),
			"exp as string":                       forge(t, header("RS256", accessKID), payloadWith(t, res.AccessToken, map[string]any{"exp": "9999999999"}), accessKey, nil, "RS256"),
			"crit header":                         forge(t, `{"kid":"`+accessKID+`","alg":"RS256","crit":["exp"]}`, valid, accessKey, nil, "RS256"),
			"padded segments":                     strings.Join([]string{parts[0] + "=", parts[1], parts[2]}, "."),
		} {
			_, err := fx.iss.VerifyAccess(ctx, tok)
			if exception.Code(err) != exception.NotAuthorized || exception.Message(err) != "Invalid Access Token" {
				t.Errorf("%s: VerifyAccess = %v, want NotAuthorizedException: Invalid Access Token", name, err)
			}
		}
	})
}
