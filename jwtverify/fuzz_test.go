package jwtverify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/locognito/locognito/jwtverify"
)

// memJWKS serves a fixed JWKS body from memory.
type memJWKS string

func (m memJWKS) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(string(m)))}, nil
}

// FuzzVerify feeds arbitrary strings to Verify. It must never panic, must
// fail with a *ValidationError, and may only succeed for the exact tokens
// signed here: signatures cannot be forged and the strict encoding leaves
// one spelling per token.
func FuzzVerify(f *testing.F) {
	const iss = "http://127.0.0.1:9229/" + poolID
	clock := &fakeClock{now: t0}
	v, err := jwtverify.New(jwtverify.Config{
		Issuer:            iss,
		ClientIDs:         []string{clientID},
		SkipTokenUseCheck: true,
		RequiredGroups:    nil,
		Now:               clock.Now,
		HTTPClient: &http.Client{Transport: memJWKS(mustJSON(map[string]any{"keys": []any{
			jwkJSON(kidAccess, keyAccess, "RS256", "sig"),
		}}))},
	})
	if err != nil {
		f.Fatal(err)
	}
	access := sign(keyAccess, kidAccess, accessClaims(iss))
	id := sign(keyAccess, kidAccess, idClaims(iss))
	joseOrder := signRaw(keyAccess, `{"alg":"RS256","kid":"`+kidAccess+`"}`, mustJSON(accessClaims(iss)))
	valid := map[string]bool{access: true, id: true, joseOrder: true}

	f.Add(access)
	f.Add(id)
	f.Add(joseOrder)
	f.Add(signRaw(keyAccess, `{"kid":"`+kidAccess+`","alg":"RS256","x":[1,{"a":null}]}`, `{"sub":"\u00e9\ud83d\ude00","exp":1e3}`))
	f.Add(sign(keyAccess, kidAccess, with(accessClaims(iss), "exp", 1.5, "aud", []string{"a"}, "nbf", 2e9)))
	f.Add(sign(keyAccess, "unknown", accessClaims(iss)))
	f.Add("eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a.b.c.d")
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("..")
	f.Add("")

	sentinels := []error{jwtverify.ErrMalformed, jwtverify.ErrAlgorithm, jwtverify.ErrUnknownKID,
		jwtverify.ErrJWKSFetch, jwtverify.ErrSignature, jwtverify.ErrExpired, jwtverify.ErrNotYetValid,
		jwtverify.ErrIssuer, jwtverify.ErrTokenUse, jwtverify.ErrClientID, jwtverify.ErrScope, jwtverify.ErrGroup}

	f.Fuzz(func(t *testing.T, token string) {
		c, err := v.Verify(context.Background(), token)
		if err == nil {
			if c == nil || !valid[token] {
				t.Fatalf("accepted a token that was not signed here: %q", token)
			}
			return
		}
		var ve *jwtverify.ValidationError
		if c != nil || !errors.As(err, &ve) {
			t.Fatalf("Verify = %v, %#v", c, err)
		}
		n := 0
		for _, s := range sentinels {
			if errors.Is(err, s) {
				n++
			}
		}
		if n != 1 || ve.Error() == "" || fmt.Sprint(ve.Check) == "" {
			t.Fatalf("error %v matches %d sentinels", err, n)
		}
	})
}
