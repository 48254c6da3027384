package tokens_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/storage"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

var (
	allAttributes = []string{"address", "custom:tier", "email", "email_verified", "given_name", "name", "phone_number", "phone_number_verified", "updated_at"}
	groupClaims   = []string{"cognito:groups", "cognito:preferred_role", "cognito:roles"}
	apiIDClaims   = join([]string{"sub", "iss", "cognito:username", "origin_jti", "aud", "event_id", "token_use", "auth_time", "exp", "iat", "jti"}, groupClaims)
	apiATClaims   = []string{"sub", "cognito:groups", "iss", "client_id", "origin_jti", "event_id", "token_use", "scope", "auth_time", "exp", "iat", "jti", "username"}
	oauthIDClaims = join([]string{"sub", "iss", "cognito:username", "origin_jti", "aud", "token_use", "auth_time", "at_hash", "exp", "iat", "jti"}, groupClaims)
	oauthATClaims = []string{"sub", "cognito:groups", "iss", "version", "client_id", "origin_jti", "token_use", "scope", "auth_time", "exp", "iat", "jti", "username"}
	ccATClaims    = []string{"sub", "token_use", "scope", "auth_time", "iss", "exp", "iat", "version", "jti", "client_id"}
)

func join(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func without(list []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return slices.Contains(drop, s) })
}

// wantClaimNames fails unless the token carries exactly the names.
func wantClaimNames(t *testing.T, what string, d decoded, want []string) {
	t.Helper()
	var got []string
	for name := range d.claims {
		got = append(got, name)
	}
	slices.Sort(got)
	want = join(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s claims:\n got  %v\n want %v", what, got, want)
	}
}

func wantClaim(t *testing.T, what string, d decoded, name string, want any) {
	t.Helper()
	got, _ := json.Marshal(d.claims[name])
	exp, _ := json.Marshal(want)
	if string(got) != string(exp) {
		t.Errorf("%s %s = %s, want %s", what, name, got, exp)
	}
}

func TestAPITokensClaimByClaim(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		res := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI})
		if res.ExpiresIn != 3600 || res.TokenType != "Bearer" || res.RefreshToken != "" {
			t.Errorf("result ExpiresIn=%d TokenType=%q RefreshToken=%q; want 3600, Bearer, none", res.ExpiresIn, res.TokenType, res.RefreshToken)
		}
		id, at := decode(t, res.IDToken), decode(t, res.AccessToken)
		wantClaimNames(t, "API ID token", id, join(apiIDClaims, allAttributes))
		wantClaimNames(t, "API access token", at, apiATClaims)

		iat := epoch.Unix()
		for _, c := range []struct {
			name string
			want any
		}{
			{"sub", userSub},
			{"iss", issuerRoot + poolID},
			{"aud", clientID}, // a string, never an array
			{"token_use", "id"},
			{"cognito:username", "janedoe"},
			{"cognito:groups", []string{"admins", "readers", "zeta"}},
			{"cognito:roles", []string{"arn:aws:iam::123456789012:role/admins", "arn:aws:iam::123456789012:role/readers"}},
			{"cognito:preferred_role", "arn:aws:iam::123456789012:role/admins"},
			{"auth_time", iat},
			{"iat", iat},
			{"exp", iat + 3600},
			{"origin_jti", res.OriginJTI},
			{"email", "jane@example.com"},
			{"email_verified", true},
			{"phone_number", "+15555550100"},
			{"phone_number_verified", false},
			{"name", "Jane <Doe>"},
			{"given_name", "Jane"},
			{"updated_at", 1700000000},
			{"address", map[string]string{"formatted": "1 Main St, Springfield"}},
			{"custom:tier", "7"},
		} {
			wantClaim(t, "API ID token", id, c.name, c.want)
		}
		for _, name := range []string{"auth_time", "iat", "exp", "updated_at"} {
			id.num(t, name)
		}
		for _, c := range []struct {
			name string
			want any
		}{
			{"sub", userSub},
			{"iss", issuerRoot + poolID},
			{"client_id", clientID},
			{"token_use", "access"},
			{"scope", "aws.cognito.signin.user.admin"},
			{"username", "janedoe"},
			{"cognito:groups", []string{"admins", "readers", "zeta"}},
			{"auth_time", iat},
			{"iat", iat},
			{"exp", iat + 3600},
			{"origin_jti", res.OriginJTI},
		} {
			wantClaim(t, "API access token", at, c.name, c.want)
		}
		for _, name := range []string{"jti", "origin_jti", "event_id"} {
			for what, d := range map[string]decoded{"ID": id, "access": at} {
				if s, _ := d.claims[name].(string); !uuidRE.MatchString(s) {
					t.Errorf("%s token %s = %q, want a UUID", what, name, s)
				}
			}
		}
		if id.claims["jti"] == at.claims["jti"] {
			t.Error("ID and access tokens share a jti")
		}
		if id.claims["event_id"] != at.claims["event_id"] {
			t.Error("ID and access tokens of one sign-in have different event_id")
		}
	})
}

func TestOAuthTokensByScope(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		for _, tc := range []struct {
			scopes    []string
			nonce     string
			wantAttrs []string // nil: no ID token
		}{
			{scopes: []string{"openid"}, wantAttrs: allAttributes},
			{scopes: []string{"openid", "email"}, nonce: "n-0S6_WzA2Mj", wantAttrs: []string{"email", "email_verified"}},
			{scopes: []string{"openid", "phone"}, wantAttrs: []string{"phone_number", "phone_number_verified"}},
			{scopes: []string{"openid", "profile"}, wantAttrs: []string{"address", "custom:tier", "given_name", "name", "updated_at"}},
			{scopes: []string{"openid", "email", "profile", "aws.cognito.signin.user.admin"}, wantAttrs: without(allAttributes, "phone_number", "phone_number_verified")},
			{scopes: []string{"email", "res/read"}},
		} {
			t.Run(strings.Join(tc.scopes, "+"), func(t *testing.T) {
				res := fx.issue(t, tokens.Request{Flow: tokens.FlowOAuth, Scopes: tc.scopes, Nonce: tc.nonce, AuthTime: epoch.Add(-time.Minute)})
				at := decode(t, res.AccessToken)
				wantClaimNames(t, "OAuth access token", at, oauthATClaims)
				wantClaim(t, "OAuth access token", at, "version", 2)
				at.num(t, "version")
				wantClaim(t, "OAuth access token", at, "scope", strings.Join(tc.scopes, " "))
				wantClaim(t, "OAuth access token", at, "auth_time", epoch.Add(-time.Minute).Unix())
				wantClaim(t, "OAuth access token", at, "username", "janedoe")
				if tc.wantAttrs == nil {
					if res.IDToken != "" {
						t.Fatalf("ID token issued without openid: %v", decode(t, res.IDToken).claims)
					}
					return
				}
				id := decode(t, res.IDToken)
				want := join(oauthIDClaims, tc.wantAttrs)
				if tc.nonce != "" {
					want = join(want, []string{"nonce"})
					wantClaim(t, "OAuth ID token", id, "nonce", tc.nonce)
				}
				wantClaimNames(t, "OAuth ID token", id, want)
				sum := sha256.Sum256([]byte(res.AccessToken))
				wantClaim(t, "OAuth ID token", id, "at_hash", base64.RawURLEncoding.EncodeToString(sum[:16]))
				wantClaim(t, "OAuth ID token", id, "aud", clientID)
				wantClaim(t, "OAuth ID token", id, "auth_time", epoch.Add(-time.Minute).Unix())
				if slices.Contains(tc.wantAttrs, "email_verified") {
					wantClaim(t, "OAuth ID token", id, "email_verified", true)
				}
			})
		}
	})
}

func TestReadAttributesLimitTheIDToken(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		c := fx.client
		c.ReadAttributes = []string{"email", "email_verified", "custom:tier"}
		res := fx.issue(t, tokens.Request{Client: c, Flow: tokens.FlowAPI})
		wantClaimNames(t, "API ID token", decode(t, res.IDToken), join(apiIDClaims, c.ReadAttributes))
		res = fx.issue(t, tokens.Request{Client: c, Flow: tokens.FlowOAuth, Scopes: []string{"openid", "profile"}})
		wantClaimNames(t, "OAuth ID token", decode(t, res.IDToken), join(oauthIDClaims, []string{"custom:tier"}))
	})
}

func TestUserWithoutGroupsHasNoGroupClaims(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		for _, g := range []string{"admins", "readers", "zeta"} {
			must(t, fx.store.RemoveUserFromGroup(ctx, poolID, g, fx.user.UsernameKey))
		}
		res := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI})
		wantClaimNames(t, "API ID token", decode(t, res.IDToken), join(without(apiIDClaims, groupClaims...), allAttributes))
		wantClaimNames(t, "API access token", decode(t, res.AccessToken), without(apiATClaims, "cognito:groups"))
	})
}

func TestPreferredRoleNeedsOneLowestPrecedenceRole(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		// A second group at the top precedence with another role: no
		// preferred role, both roles listed.
		g := storage.Group{PoolID: poolID, Name: "auditors", Precedence: ptr(1), RoleArn: "arn:aws:iam::123456789012:role/auditors", CreatedAt: epoch, LastModifiedAt: epoch}
		must(t, fx.store.CreateGroup(ctx, g))
		must(t, fx.store.AddUserToGroup(ctx, poolID, g.Name, fx.user.UsernameKey))
		id := decode(t, fx.issue(t, tokens.Request{Flow: tokens.FlowAPI}).IDToken)
		if _, ok := id.claims["cognito:preferred_role"]; ok {
			t.Errorf("cognito:preferred_role = %v with two roles at the lowest precedence", id.claims["cognito:preferred_role"])
		}
		wantClaim(t, "ID token", id, "cognito:groups", []string{"admins", "auditors", "readers", "zeta"})
		wantClaim(t, "ID token", id, "cognito:roles", []string{"arn:aws:iam::123456789012:role/admins", "arn:aws:iam::123456789012:role/auditors", "arn:aws:iam::123456789012:role/readers"})
	})
}

func TestClientCredentialsClaims(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		res, err := fx.iss.ClientCredentials(context.Background(), fx.pool, fx.client, []string{"res/read", "res/write"})
		if err != nil {
			t.Fatal(err)
		}
		if res.IDToken != "" || res.RefreshToken != "" || res.ExpiresIn != 3600 || res.TokenType != "Bearer" {
			t.Errorf("client_credentials result %+v", res)
		}
		at := decode(t, res.AccessToken)
		wantClaimNames(t, "CC access token", at, ccATClaims)
		for name, want := range map[string]any{
			"sub": clientID, "client_id": clientID, "token_use": "access", "scope": "res/read res/write",
			"iss": issuerRoot + poolID, "version": 2, "auth_time": epoch.Unix(), "iat": epoch.Unix(), "exp": epoch.Unix() + 3600,
		} {
			wantClaim(t, "CC access token", at, name, want)
		}
	})
}

func TestRevocationDisabledOmitsJTIs(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		c := fx.client
		c.EnableTokenRevocation = false
		res := fx.issue(t, tokens.Request{Client: c, Flow: tokens.FlowAPI})
		wantClaimNames(t, "API ID token", decode(t, res.IDToken), without(join(apiIDClaims, allAttributes), "jti", "origin_jti"))
		wantClaimNames(t, "API access token", decode(t, res.AccessToken), without(apiATClaims, "jti", "origin_jti"))
		cc, err := fx.iss.ClientCredentials(context.Background(), fx.pool, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		wantClaimNames(t, "CC access token", decode(t, cc.AccessToken), without(ccATClaims, "jti"))
	})
}

func TestClientLifetimes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		c := fx.client
		c.AccessTokenValidity, c.IDTokenValidity = 5*time.Minute, 2*time.Hour
		res := fx.issue(t, tokens.Request{Client: c, Flow: tokens.FlowAPI})
		at, id := decode(t, res.AccessToken), decode(t, res.IDToken)
		if got := at.num(t, "exp") - at.num(t, "iat"); got != 300 {
			t.Errorf("access lifetime %ds, want 300", got)
		}
		if got := id.num(t, "exp") - id.num(t, "iat"); got != 7200 {
			t.Errorf("ID lifetime %ds, want 7200", got)
		}
		if res.ExpiresIn != 300 {
			t.Errorf("ExpiresIn = %d, want the access lifetime 300", res.ExpiresIn)
		}
	})
}

func TestHeaderIsKidThenAlg(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		res := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI})
		for use, tok := range map[string]string{keys.UseID: res.IDToken, keys.UseAccess: res.AccessToken} {
			kid, _, err := fx.keys.Signer(ctx, poolID, use)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(tok, "eyJraWQiOi") {
				t.Errorf("%s token starts %q, want eyJraWQiOi", use, tok[:10])
			}
			if got, want := decode(t, tok).header, `{"kid":"`+kid+`","alg":"RS256"}`; got != want {
				t.Errorf("%s header = %s, want %s", use, got, want)
			}
		}
	})
}

// Tokens verify with go-jose against the JWKS a client downloads.
func TestTokensVerifyAgainstJWKS(t *testing.T) {
	forEachBackend(t, func(t *testing.T, fx *fixture) {
		ctx := context.Background()
		set, err := fx.keys.JWKS(ctx, poolID)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(set)
		var jwks jose.JSONWebKeySet
		must(t, json.Unmarshal(raw, &jwks))
		api := fx.issue(t, tokens.Request{Flow: tokens.FlowAPI})
		oauth := fx.issue(t, tokens.Request{Flow: tokens.FlowOAuth, Scopes: []string{"openid"}})
		cc, err := fx.iss.ClientCredentials(ctx, fx.pool, fx.client, []string{"res/read"})
		must(t, err)
		for name, tok := range map[string]string{
			"API ID": api.IDToken, "API access": api.AccessToken, "OAuth ID": oauth.IDToken,
			"OAuth access": oauth.AccessToken, "CC access": cc.AccessToken,
		} {
			jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
			if err != nil {
				t.Fatalf("%s: parse: %v", name, err)
			}
			matches := jwks.Key(jws.Signatures[0].Header.KeyID)
			if len(matches) != 1 {
				t.Fatalf("%s: kid %q matches %d JWKS keys", name, jws.Signatures[0].Header.KeyID, len(matches))
			}
			payload, err := jws.Verify(matches[0].Key)
			if err != nil {
				t.Fatalf("%s: verify: %v", name, err)
			}
			if !json.Valid(payload) {
				t.Errorf("%s: payload is not JSON", name)
			}
		}
	})
}
