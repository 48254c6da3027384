package jwtverify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/locognito/locognito/jwtverify"
)

func TestVerifyAccessToken(t *testing.T) {
	e := newEnv(t)
	v := e.verifier(t)
	c, err := v.Verify(context.Background(), sign(keyAccess, kidAccess, accessClaims(e.srv.issuer())))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	iat := t0.Add(-time.Minute)
	checks := []struct {
		name      string
		got, want any
	}{
		{"Subject", c.Subject, "c00c29ac-d0f1-4015-9677-2050463f38a6"},
		{"Username", c.Username, "janedoe"},
		{"ClientID", c.ClientID, clientID},
		{"TokenUse", c.TokenUse, jwtverify.TokenUseAccess},
		{"Issuer", c.Issuer, e.srv.issuer()},
		{"Scopes", c.Scopes.List(), []string{"aws.cognito.signin.user.admin"}},
		{"IssuedAt", c.IssuedAt, iat},
		{"AuthTime", c.AuthTime, iat},
		{"ExpiresAt", c.ExpiresAt, iat.Add(time.Hour)},
		{"JTI", c.JTI, "9a3e2b1c-7d6f-4e5a-8b9c-0d1e2f3a4b5c"},
		{"OriginJTI", c.OriginJTI, "0b1c5b0e-95d2-4a51-9fd4-4f7a3c3d8d10"},
		{"EventID", c.EventID, "5f8a4f7e-0c5a-4f3c-8d0e-2b1a3c4d5e6f"},
		{"Raw[username]", c.Raw["username"], "janedoe"},
		{"Groups", len(c.Groups), 0},
	}
	for _, ck := range checks {
		if mustJSON(ck.got) != mustJSON(ck.want) {
			t.Errorf("%s = %v, want %v", ck.name, ck.got, ck.want)
		}
	}
	if !c.Scopes.Has("aws.cognito.signin.user.admin") || c.Scopes.Has("openid") {
		t.Errorf("Scopes.Has wrong: %v", c.Scopes)
	}
}

func TestVerifyIDToken(t *testing.T) {
	e := newEnv(t)
	e.cfg.TokenUse = jwtverify.TokenUseID
	v := e.verifier(t)
	c, err := v.Verify(context.Background(), sign(keyID, kidID, idClaims(e.srv.issuer())))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c.Username != "janedoe" || c.ClientID != clientID || c.TokenUse != jwtverify.TokenUseID ||
		c.Email != "jane@example.com" || !c.EmailVerified || c.Custom["x"] != "42" ||
		!slices.Equal(c.Groups, []string{"admins", "editors"}) || !c.InGroup("editors") || c.InGroup("ops") ||
		len(c.Scopes) != 0 {
		t.Errorf("claims = %+v", c)
	}
}

// TestVerifyGoJoseSigned checks interoperability with a token signed by
// go-jose rather than by hand.
func TestVerifyGoJoseSigned(t *testing.T) {
	e := newEnv(t)
	v := e.verifier(t)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: keyAccess},
		(&jose.SignerOptions{}).WithHeader("kid", kidAccess))
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign([]byte(mustJSON(accessClaims(e.srv.issuer()))))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func hmacToken(secret []byte, header, payload string) string {
	input := b64([]byte(header)) + "." + b64([]byte(payload))
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(input))
	return input + "." + b64(mac.Sum(nil))
}

// TestVerifyRejects is the negative matrix: one row per attack or mistake,
// each asserting the specific error, the failed check and how many JWKS
// requests the row caused after the cache was warmed.
func TestVerifyRejects(t *testing.T) {
	// An attacker's JWKS; tokens point jku/x5u at it. It must never be asked.
	var evilHits atomic.Int64
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		evilHits.Add(1)
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []any{jwkJSON(kidEvil, keyEvil, "RS256", "sig")}})
	}))
	defer evil.Close()

	pkix, _ := x509.MarshalPKIXPublicKey(&keyAccess.PublicKey)
	pemPKIX := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pkix})
	pemPKCS1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&keyAccess.PublicKey)})
	jwkText := []byte(mustJSON(jwkJSON(kidAccess, keyAccess, "RS256", "sig")))

	exp := t0.Add(-time.Minute).Add(time.Hour) // exp of the default claims
	hdr := cognitoHeader(kidAccess)
	acc := func(e *env, kv ...any) map[string]any { return with(accessClaims(e.srv.issuer()), kv...) }
	good := func(e *env, kv ...any) string { return sign(keyAccess, kidAccess, acc(e, kv...)) }
	goodID := func(e *env, kv ...any) string {
		return sign(keyID, kidID, with(idClaims(e.srv.issuer()), kv...))
	}
	idCfg := func(c *jwtverify.Config) { c.TokenUse = jwtverify.TokenUseID }
	rawPayload := func(payload string) func(e *env) string {
		return func(e *env) string { return signRaw(keyAccess, hdr, payload) }
	}
	header := func(h string) func(e *env) string {
		return func(e *env) string { return signRaw(keyAccess, h, mustJSON(acc(e))) }
	}
	replacePart := func(tok string, i int, s string) string {
		p := parts(tok)
		p[i] = s
		return strings.Join(p, ".")
	}

	tests := []struct {
		name        string
		cfg         func(*jwtverify.Config)
		jwks        func() []map[string]any
		token       func(e *env) string
		now         time.Time // zero: t0
		wantErr     error     // nil: must verify
		wantCheck   jwtverify.Check
		wantFetches int64
	}{
		// Positive controls.
		{name: "valid access token", token: func(e *env) string { return good(e) }},
		{name: "valid id token", cfg: idCfg, token: func(e *env) string { return goodID(e) }},

		{name: "go-jose header order", token: header(`{"alg":"RS256","kid":"` + kidAccess + `"}`)},
		{name: "header with whitespace and typ", token: header(` { "typ" : "JWT", "kid" : "` + kidAccess + `" , "alg" : "RS256" } `)},
		{name: "kid with an escaped slash", token: header(`{"kid":"` + strings.ReplaceAll(kidAccess, "/", `\/`) + `","alg":"RS256"}`)},
		{name: "duplicate alg in header", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: header(`{"kid":"` + kidAccess + `","alg":"none","alg":"RS256"}`)},
		{name: "duplicate claim", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string {
				p := mustJSON(acc(e))
				return signRaw(keyAccess, hdr, p[:len(p)-1]+`,"username":"admin"}`)
			}},

		// Signature.
		{name: "bad signature", wantErr: jwtverify.ErrSignature, wantCheck: jwtverify.CheckSignature,
			token: func(e *env) string {
				p := parts(good(e))
				sig, _ := base64.RawURLEncoding.DecodeString(p[2])
				sig[len(sig)-1] ^= 1
				return p[0] + "." + p[1] + "." + b64(sig)
			}},
		{name: "signature of another token", wantErr: jwtverify.ErrSignature, wantCheck: jwtverify.CheckSignature,
			token: func(e *env) string {
				return replacePart(good(e), 2, parts(good(e, "username", "admin"))[2])
			}},
		{name: "tampered payload", wantErr: jwtverify.ErrSignature, wantCheck: jwtverify.CheckSignature,
			token: func(e *env) string {
				return replacePart(good(e), 1, b64([]byte(mustJSON(acc(e, "username", "admin")))))
			}},
		{name: "truncated signature", wantErr: jwtverify.ErrSignature, wantCheck: jwtverify.CheckSignature,
			token: func(e *env) string {
				p := parts(good(e))
				return p[0] + "." + p[1] + "." + p[2][:40]
			}},
		{name: "kid of the ID key on an access-key signature", wantErr: jwtverify.ErrSignature, wantCheck: jwtverify.CheckSignature,
			token: func(e *env) string { return signRaw(keyAccess, cognitoHeader(kidID), mustJSON(acc(e))) }},
		{name: "attacker key with our kid", wantErr: jwtverify.ErrSignature, wantCheck: jwtverify.CheckSignature,
			token: func(e *env) string { return sign(keyEvil, kidAccess, acc(e)) }},

		// Algorithm confusion: the header never picks the algorithm.
		{name: "alg none, empty signature", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string {
				return b64([]byte(`{"kid":"`+kidAccess+`","alg":"none"}`)) + "." + b64([]byte(mustJSON(acc(e)))) + "."
			}},
		{name: "alg none with a signature", wantErr: jwtverify.ErrAlgorithm, wantCheck: jwtverify.CheckAlgorithm,
			token: header(`{"kid":"` + kidAccess + `","alg":"none"}`)},
		{name: "alg None", wantErr: jwtverify.ErrAlgorithm, wantCheck: jwtverify.CheckAlgorithm,
			token: header(`{"kid":"` + kidAccess + `","alg":"None"}`)},
		{name: "alg missing", wantErr: jwtverify.ErrAlgorithm, wantCheck: jwtverify.CheckAlgorithm,
			token: header(`{"kid":"` + kidAccess + `"}`)},
		{name: "alg rs256 lowercase", wantErr: jwtverify.ErrAlgorithm, wantCheck: jwtverify.CheckAlgorithm,
			token: header(`{"kid":"` + kidAccess + `","alg":"rs256"}`)},
		{name: "alg RS512", wantErr: jwtverify.ErrAlgorithm, wantCheck: jwtverify.CheckAlgorithm,
			token: header(`{"kid":"` + kidAccess + `","alg":"RS512"}`)},
		{name: "alg PS256", wantErr: jwtverify.ErrAlgorithm, wantCheck: jwtverify.CheckAlgorithm,
			token: header(`{"kid":"` + kidAccess + `","alg":"PS256"}`)},
		{name: "HS256 keyed with PEM (PKIX) public key", wantErr: jwtverify.ErrAlgorithm, wantCheck: jwtverify.CheckAlgorithm,
			token: func(e *env) string {
				return hmacToken(pemPKIX, `{"kid":"`+kidAccess+`","alg":"HS256"}`, mustJSON(acc(e)))
			}},
		{name: "HS256 keyed with PEM (PKCS1) public key", wantErr: jwtverify.ErrAlgorithm, wantCheck: jwtverify.CheckAlgorithm,
			token: func(e *env) string {
				return hmacToken(pemPKCS1, `{"kid":"`+kidAccess+`","alg":"HS256"}`, mustJSON(acc(e)))
			}},
		{name: "HS256 keyed with DER public key", wantErr: jwtverify.ErrAlgorithm, wantCheck: jwtverify.CheckAlgorithm,
			token: func(e *env) string {
				return hmacToken(pkix, `{"kid":"`+kidAccess+`","alg":"HS256"}`, mustJSON(acc(e)))
			}},
		{name: "HS256 keyed with modulus bytes", wantErr: jwtverify.ErrAlgorithm, wantCheck: jwtverify.CheckAlgorithm,
			token: func(e *env) string {
				return hmacToken(keyAccess.N.Bytes(), `{"kid":"`+kidAccess+`","alg":"HS256"}`, mustJSON(acc(e)))
			}},
		{name: "HS256 keyed with the JWK text", wantErr: jwtverify.ErrAlgorithm, wantCheck: jwtverify.CheckAlgorithm,
			token: func(e *env) string {
				return hmacToken(jwkText, `{"kid":"`+kidAccess+`","alg":"HS256"}`, mustJSON(acc(e)))
			}},
		{name: "HMAC with PEM key under an RS256 header", wantErr: jwtverify.ErrSignature, wantCheck: jwtverify.CheckSignature,
			token: func(e *env) string { return hmacToken(pemPKIX, hdr, mustJSON(acc(e))) }},
		{name: "JWK alg RS512 for the token's kid", wantErr: jwtverify.ErrAlgorithm, wantCheck: jwtverify.CheckAlgorithm,
			jwks:  func() []map[string]any { return append(poolKeys(), jwkJSON(kidNew, keyNew, "RS512", "sig")) },
			token: func(e *env) string { return sign(keyNew, kidNew, acc(e)) }},
		{name: "JWK with use enc is not a signing key", wantErr: jwtverify.ErrUnknownKID, wantCheck: jwtverify.CheckKey, wantFetches: 1,
			jwks:  func() []map[string]any { return append(poolKeys(), jwkJSON(kidNew, keyNew, "RS256", "enc")) },
			token: func(e *env) string { return sign(keyNew, kidNew, acc(e)) }},

		// Keys.
		{name: "unknown kid", wantErr: jwtverify.ErrUnknownKID, wantCheck: jwtverify.CheckKey, wantFetches: 1,
			token: func(e *env) string { return sign(keyEvil, kidEvil, acc(e)) }},
		{name: "missing kid", wantErr: jwtverify.ErrUnknownKID, wantCheck: jwtverify.CheckKey,
			token: header(`{"alg":"RS256"}`)},
		{name: "empty kid", wantErr: jwtverify.ErrUnknownKID, wantCheck: jwtverify.CheckKey,
			token: header(`{"kid":"","alg":"RS256"}`)},
		{name: "kid not a string", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: header(`{"kid":7,"alg":"RS256"}`)},
		{name: "key and issuer of another pool", wantErr: jwtverify.ErrUnknownKID, wantCheck: jwtverify.CheckKey, wantFetches: 1,
			token: func(e *env) string {
				return sign(keyOther, kidOther, acc(e, "iss", e.srv.URL+"/us-east-1_Other1234"))
			}},
		{name: "jku to attacker JWKS", wantErr: jwtverify.ErrUnknownKID, wantCheck: jwtverify.CheckKey, wantFetches: 1,
			token: func(e *env) string {
				return signRaw(keyEvil, `{"kid":"`+kidEvil+`","alg":"RS256","jku":"`+evil.URL+`"}`, mustJSON(acc(e)))
			}},
		{name: "x5u to attacker", wantErr: jwtverify.ErrUnknownKID, wantCheck: jwtverify.CheckKey, wantFetches: 1,
			token: func(e *env) string {
				return signRaw(keyEvil, `{"kid":"`+kidEvil+`","alg":"RS256","x5u":"`+evil.URL+`"}`, mustJSON(acc(e)))
			}},
		{name: "embedded jwk of attacker", wantErr: jwtverify.ErrUnknownKID, wantCheck: jwtverify.CheckKey, wantFetches: 1,
			token: func(e *env) string {
				h := `{"kid":"` + kidEvil + `","alg":"RS256","jwk":` + mustJSON(jwkJSON(kidEvil, keyEvil, "RS256", "sig")) + `}`
				return signRaw(keyEvil, h, mustJSON(acc(e)))
			}},
		{name: "embedded jwk of attacker under our kid", wantErr: jwtverify.ErrSignature, wantCheck: jwtverify.CheckSignature,
			token: func(e *env) string {
				h := `{"kid":"` + kidAccess + `","alg":"RS256","jwk":` + mustJSON(jwkJSON(kidAccess, keyEvil, "RS256", "sig")) +
					`,"jku":"` + evil.URL + `"}`
				return signRaw(keyEvil, h, mustJSON(acc(e)))
			}},

		// exp and nbf, with and without leeway, at the exact boundary.
		{name: "exactly at exp", now: exp, token: func(e *env) string { return good(e) }},
		{name: "1s after exp", now: exp.Add(time.Second), wantErr: jwtverify.ErrExpired, wantCheck: jwtverify.CheckExpired,
			token: func(e *env) string { return good(e) }},
		{name: "1ns after exp", now: exp.Add(1), wantErr: jwtverify.ErrExpired, wantCheck: jwtverify.CheckExpired,
			token: func(e *env) string { return good(e) }},
		{name: "exp+leeway exactly", now: exp.Add(30 * time.Second), cfg: func(c *jwtverify.Config) { c.Leeway = 30 * time.Second },
			token: func(e *env) string { return good(e) }},
		{name: "past exp+leeway", now: exp.Add(31 * time.Second), cfg: func(c *jwtverify.Config) { c.Leeway = 30 * time.Second },
			wantErr: jwtverify.ErrExpired, wantCheck: jwtverify.CheckExpired, token: func(e *env) string { return good(e) }},
		{name: "expired long ago", wantErr: jwtverify.ErrExpired, wantCheck: jwtverify.CheckExpired,
			token: func(e *env) string { return good(e, "exp", t0.Add(-24*time.Hour).Unix()) }},
		{name: "exp checked before iss", wantErr: jwtverify.ErrExpired, wantCheck: jwtverify.CheckExpired,
			token: func(e *env) string { return good(e, "exp", t0.Add(-time.Hour).Unix(), "iss", "https://evil") }},
		{name: "nbf in 1s", wantErr: jwtverify.ErrNotYetValid, wantCheck: jwtverify.CheckNotYetValid,
			token: func(e *env) string { return good(e, "nbf", t0.Add(time.Second).Unix()) }},
		{name: "nbf now", token: func(e *env) string { return good(e, "nbf", t0.Unix()) }},
		{name: "nbf-leeway exactly now", cfg: func(c *jwtverify.Config) { c.Leeway = 30 * time.Second },
			token: func(e *env) string { return good(e, "nbf", t0.Add(30*time.Second).Unix()) }},
		{name: "nbf beyond leeway", cfg: func(c *jwtverify.Config) { c.Leeway = 30 * time.Second },
			wantErr: jwtverify.ErrNotYetValid, wantCheck: jwtverify.CheckNotYetValid,
			token: func(e *env) string { return good(e, "nbf", t0.Add(31*time.Second).Unix()) }},
		{name: "missing exp", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "exp", nil) }},
		{name: "exp as string", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "exp", "1709626089") }},
		{name: "exp far beyond year 9999", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "exp", 1e20) }},
		{name: "exp negative", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "exp", -1) }},
		{name: "iat as string", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "iat", "x") }},
		{name: "nbf as bool", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "nbf", true) }},

		// Issuer.
		{name: "issuer of another pool", wantErr: jwtverify.ErrIssuer, wantCheck: jwtverify.CheckIssuer,
			token: func(e *env) string { return good(e, "iss", e.srv.URL+"/us-east-1_Other1234") }},
		{name: "issuer with trailing slash", wantErr: jwtverify.ErrIssuer, wantCheck: jwtverify.CheckIssuer,
			token: func(e *env) string { return good(e, "iss", e.srv.issuer()+"/") }},
		{name: "AWS issuer of the same pool", wantErr: jwtverify.ErrIssuer, wantCheck: jwtverify.CheckIssuer,
			token: func(e *env) string { return good(e, "iss", "https://cognito-idp.us-east-1.amazonaws.com/"+poolID) }},
		{name: "issuer missing", wantErr: jwtverify.ErrIssuer, wantCheck: jwtverify.CheckIssuer,
			token: func(e *env) string { return good(e, "iss", nil) }},
		{name: "issuer not a string", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "iss", []string{e.srv.issuer()}) }},

		// token_use.
		{name: "id token where access expected", wantErr: jwtverify.ErrTokenUse, wantCheck: jwtverify.CheckTokenUse,
			token: func(e *env) string { return goodID(e) }},
		{name: "access token where id expected", cfg: idCfg, wantErr: jwtverify.ErrTokenUse, wantCheck: jwtverify.CheckTokenUse,
			token: func(e *env) string { return good(e) }},
		{name: "token_use refresh, check skipped", wantErr: jwtverify.ErrTokenUse, wantCheck: jwtverify.CheckTokenUse,
			cfg:   func(c *jwtverify.Config) { c.TokenUse, c.SkipTokenUseCheck = "", true },
			token: func(e *env) string { return good(e, "token_use", "refresh") }},
		{name: "token_use missing", wantErr: jwtverify.ErrTokenUse, wantCheck: jwtverify.CheckTokenUse,
			token: func(e *env) string { return good(e, "token_use", nil) }},
		{name: "token_use not a string", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "token_use", 1) }},
		{name: "id token accepted with token_use check skipped",
			cfg:   func(c *jwtverify.Config) { c.TokenUse, c.SkipTokenUseCheck = "", true },
			token: func(e *env) string { return goodID(e) }},

		// Client.
		{name: "access token of another client", wantErr: jwtverify.ErrClientID, wantCheck: jwtverify.CheckClientID,
			token: func(e *env) string { return good(e, "client_id", otherCID) }},
		{name: "access token without client_id", wantErr: jwtverify.ErrClientID, wantCheck: jwtverify.CheckClientID,
			token: func(e *env) string { return good(e, "client_id", nil) }},
		{name: "access token with aud but no client_id", wantErr: jwtverify.ErrClientID, wantCheck: jwtverify.CheckClientID,
			token: func(e *env) string { return good(e, "client_id", nil, "aud", clientID) }},
		{name: "id token of another client", cfg: idCfg, wantErr: jwtverify.ErrClientID, wantCheck: jwtverify.CheckClientID,
			token: func(e *env) string { return goodID(e, "aud", otherCID) }},
		{name: "id token aud as array", cfg: idCfg, wantErr: jwtverify.ErrClientID, wantCheck: jwtverify.CheckClientID,
			token: func(e *env) string { return goodID(e, "aud", []string{clientID}) }},
		{name: "id token without aud but with client_id", cfg: idCfg, wantErr: jwtverify.ErrClientID, wantCheck: jwtverify.CheckClientID,
			token: func(e *env) string { return goodID(e, "aud", nil, "client_id", clientID) }},
		{name: "aud not a string", cfg: idCfg, wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return goodID(e, "aud", 5) }},
		{name: "second accepted client id",
			cfg:   func(c *jwtverify.Config) { c.ClientIDs = []string{clientID, otherCID} },
			token: func(e *env) string { return good(e, "client_id", otherCID) }},
		{name: "client check skipped",
			cfg:   func(c *jwtverify.Config) { c.ClientIDs, c.SkipClientIDCheck = nil, true },
			token: func(e *env) string { return good(e, "client_id", otherCID) }},

		// Scopes (all required) and groups (any), 403-class.
		{name: "missing scope", wantErr: jwtverify.ErrScope, wantCheck: jwtverify.CheckScope,
			cfg:   func(c *jwtverify.Config) { c.RequiredScopes = []string{"notes/read"} },
			token: func(e *env) string { return good(e) }},
		{name: "one of two scopes", wantErr: jwtverify.ErrScope, wantCheck: jwtverify.CheckScope,
			cfg:   func(c *jwtverify.Config) { c.RequiredScopes = []string{"aws.cognito.signin.user.admin", "notes/read"} },
			token: func(e *env) string { return good(e) }},
		{name: "all scopes",
			cfg:   func(c *jwtverify.Config) { c.RequiredScopes = []string{"notes/write", "notes/read"} },
			token: func(e *env) string { return good(e, "scope", "openid notes/read notes/write") }},
		{name: "scope prefix is not the scope", wantErr: jwtverify.ErrScope, wantCheck: jwtverify.CheckScope,
			cfg:   func(c *jwtverify.Config) { c.RequiredScopes = []string{"notes/read"} },
			token: func(e *env) string { return good(e, "scope", "notes/read2 notes/rea") }},
		{name: "id token has no scopes", wantErr: jwtverify.ErrScope, wantCheck: jwtverify.CheckScope,
			cfg: func(c *jwtverify.Config) {
				c.TokenUse, c.RequiredScopes = jwtverify.TokenUseID, []string{"openid"}
			},
			token: func(e *env) string { return goodID(e) }},
		{name: "wrong client reported before missing scope", wantErr: jwtverify.ErrClientID, wantCheck: jwtverify.CheckClientID,
			cfg:   func(c *jwtverify.Config) { c.RequiredScopes = []string{"notes/read"} },
			token: func(e *env) string { return good(e, "client_id", otherCID) }},
		{name: "scope not a string", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "scope", []string{"a"}) }},
		{name: "missing group", wantErr: jwtverify.ErrGroup, wantCheck: jwtverify.CheckGroup,
			cfg:   func(c *jwtverify.Config) { c.RequiredGroups = []string{"admins"} },
			token: func(e *env) string { return good(e) }},
		{name: "none of the groups", wantErr: jwtverify.ErrGroup, wantCheck: jwtverify.CheckGroup,
			cfg:   func(c *jwtverify.Config) { c.RequiredGroups = []string{"ops", "admins"} },
			token: func(e *env) string { return good(e, "cognito:groups", []string{"editors"}) }},
		{name: "any of the groups",
			cfg:   func(c *jwtverify.Config) { c.RequiredGroups = []string{"ops", "admins"} },
			token: func(e *env) string { return good(e, "cognito:groups", []string{"editors", "admins"}) }},
		{name: "groups not an array", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "cognito:groups", "admins") }},
		{name: "group not a string", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "cognito:groups", []any{"admins", 1}) }},

		// Malformed.
		{name: "empty", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return "" }},
		{name: "two parts", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { p := parts(good(e)); return p[0] + "." + p[1] }},
		{name: "four parts", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e) + ".AAAA" }},
		{name: "refresh token JWE (5 parts)", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string {
				return "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ." +
					strings.Repeat("a", 342) + ".b3NkZmpzZGZq." + strings.Repeat("c", 200) + ".dGFnMTIzNDU2Nzg5MDEy"
			}},
		{name: "empty payload part", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return replacePart(good(e), 1, "") }},
		{name: "bad base64 character", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { p := parts(good(e)); return p[0] + "." + p[1][:10] + "!" + p[1][11:] + "." + p[2] }},
		{name: "std base64 alphabet", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { p := parts(good(e)); return p[0] + "." + p[1] + "." + p[2] + "+/" }},
		{name: "padded part", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { p := parts(good(e)); return p[0] + "==." + p[1] + "." + p[2] }},
		{name: "newline inside", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string {
				p := parts(good(e))
				return p[0] + "." + p[1][:20] + "\n" + p[1][20:] + "." + p[2]
			}},
		{name: "surrounding space", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return " " + good(e) }},
		{name: "non-canonical base64 trailing bits", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string {
				p := parts(good(e)) // the 68-byte header leaves 2 unused bits in its last character
				last := p[0][len(p[0])-1]
				const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
				p[0] = p[0][:len(p[0])-1] + string(alphabet[strings.IndexByte(alphabet, last)|1])
				return strings.Join(p, ".")
			}},
		{name: "header is an array", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: header(`["RS256"]`)},
		{name: "header is not JSON", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: header(`{kid:x}`)},
		{name: "header crit", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: header(`{"kid":"` + kidAccess + `","alg":"RS256","crit":["exp"],"exp":1}`)},
		{name: "alg not a string", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: header(`{"kid":"` + kidAccess + `","alg":["RS256"]}`)},
		{name: "payload is a string", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: rawPayload(`"abc"`)},
		{name: "payload is null", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: rawPayload(`null`)},
		{name: "payload is an array", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: rawPayload(`[{"sub":"x"}]`)},
		{name: "payload with trailing data", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return signRaw(keyAccess, hdr, mustJSON(acc(e))+`{}`) }},
		{name: "payload invalid JSON", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: rawPayload(`{"sub":"x",}`)},
		{name: "token too long", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "pad", strings.Repeat("x", 40<<10)) }},
		{name: "sub missing", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "sub", nil) }},
		{name: "custom attribute not a string", cfg: idCfg, wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return goodID(e, "custom:x", 42) }},
		{name: "email_verified not a boolean", cfg: idCfg, wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return goodID(e, "email_verified", "yes") }},
		{name: "username not a string", wantErr: jwtverify.ErrMalformed, wantCheck: jwtverify.CheckMalformed,
			token: func(e *env) string { return good(e, "username", 12) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.jwks != nil {
				e.srv.setKeys(tt.jwks()...)
			}
			if tt.cfg != nil {
				tt.cfg(&e.cfg)
			}
			v := e.verifier(t)
			// Warm the cache: any well-formed token with a known kid fetches.
			_, _ = v.Verify(context.Background(), sign(keyAccess, kidAccess, accessClaims(e.srv.issuer())))
			if got := e.srv.hits.Load(); got != 1 {
				t.Fatalf("warm-up fetched the JWKS %d times, want 1", got)
			}
			if !tt.now.IsZero() {
				e.clock.Set(tt.now)
			}

			c, err := v.Verify(context.Background(), tt.token(e))

			if tt.wantErr == nil {
				if err != nil || c == nil {
					t.Fatalf("Verify = %v, %v; want claims", c, err)
				}
			} else {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Verify error = %v, want %v", err, tt.wantErr)
				}
				var ve *jwtverify.ValidationError
				if !errors.As(err, &ve) || ve.Check != tt.wantCheck {
					t.Fatalf("Verify error %#v, want check %q", err, tt.wantCheck)
				}
				if c != nil {
					t.Fatalf("claims returned with an error")
				}
				wantForbidden := tt.wantErr == jwtverify.ErrScope || tt.wantErr == jwtverify.ErrGroup
				if ve.Forbidden() != wantForbidden {
					t.Errorf("Forbidden() = %v, want %v", ve.Forbidden(), wantForbidden)
				}
			}
			if got := e.srv.hits.Load() - 1; got != tt.wantFetches {
				t.Errorf("JWKS refetches = %d, want %d", got, tt.wantFetches)
			}
		})
	}
	if n := evilHits.Load(); n != 0 {
		t.Errorf("attacker JWKS was fetched %d times", n)
	}
}

// TestVerifyErrorMatchesOneSentinel guards against an error matching
// several classes (e.g. a signature failure that also looks expired).
func TestVerifyErrorMatchesOneSentinel(t *testing.T) {
	e := newEnv(t)
	v := e.verifier(t)
	_, err := v.Verify(context.Background(), sign(keyEvil, kidAccess, with(accessClaims(e.srv.issuer()), "exp", 1)))
	all := []error{jwtverify.ErrMalformed, jwtverify.ErrAlgorithm, jwtverify.ErrUnknownKID, jwtverify.ErrJWKSFetch,
		jwtverify.ErrSignature, jwtverify.ErrExpired, jwtverify.ErrNotYetValid, jwtverify.ErrIssuer,
		jwtverify.ErrTokenUse, jwtverify.ErrClientID, jwtverify.ErrScope, jwtverify.ErrGroup}
	var matched []error
	for _, s := range all {
		if errors.Is(err, s) {
			matched = append(matched, s)
		}
	}
	if len(matched) != 1 || matched[0] != jwtverify.ErrSignature {
		t.Fatalf("error %v matches %v, want only ErrSignature", err, matched)
	}
}
