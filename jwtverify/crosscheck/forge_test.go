package crosscheck_test

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"
)

// The forging kit: tokens are taken apart, edited and put back together
// by hand, so every byte an attacker controls is under the test's control.

var b64 = base64.RawURLEncoding

// claims is a decoded JOSE header or JWT payload; numbers stay json.Number
// so that re-encoding does not turn 1772694489 into 1.772694489e+09.
type claims map[string]any

func decodePart(t *testing.T, part string) claims {
	t.Helper()
	raw, err := b64.DecodeString(part)
	if err != nil {
		t.Fatalf("decode part: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var c claims
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("parse part: %v", err)
	}
	return c
}

// split returns a compact JWS's header, payload and encoded signature.
func split(t *testing.T, token string) (header, payload claims, sig string) {
	t.Helper()
	p := strings.Split(token, ".")
	if len(p) != 3 {
		t.Fatalf("not a JWS: %d parts", len(p))
	}
	return decodePart(t, p[0]), decodePart(t, p[1]), p[2]
}

func encodeJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return b64.EncodeToString(b)
}

// signingInput is the JWS signing input of header and payload.
func signingInput(t *testing.T, header, payload any) string {
	return encodeJSON(t, header) + "." + encodeJSON(t, payload)
}

// signRSA signs with RSASSA-PKCS1-v1_5 and the hash of alg (RS256, RS384).
func signRSA(t *testing.T, key *rsa.PrivateKey, alg string, header, payload any) string {
	t.Helper()
	in := signingInput(t, header, payload)
	h := map[string]crypto.Hash{"RS256": crypto.SHA256, "RS384": crypto.SHA384}[alg]
	d := h.New()
	d.Write([]byte(in))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, h, d.Sum(nil))
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return in + "." + b64.EncodeToString(sig)
}

// resign copies token's claims, lets edit change header and payload, and
// signs the result RS256 with key.
func resign(t *testing.T, token string, key *rsa.PrivateKey, edit func(header, payload claims)) string {
	t.Helper()
	h, p, _ := split(t, token)
	edit(h, p)
	return signRSA(t, key, "RS256", h, p)
}

// withPayload keeps token's header and signature but swaps in payload:
// what a man in the middle does to a token he cannot sign.
func withPayload(t *testing.T, token string, edit func(payload claims)) string {
	t.Helper()
	parts := strings.Split(token, ".")
	_, p, _ := split(t, token)
	edit(p)
	return parts[0] + "." + encodeJSON(t, p) + "." + parts[2]
}

// withHeader keeps payload and signature but swaps in the header.
func withHeader(t *testing.T, token string, header any) string {
	t.Helper()
	parts := strings.Split(token, ".")
	return encodeJSON(t, header) + "." + parts[1] + "." + parts[2]
}

// flipSignature changes one bit in the middle of the signature.
func flipSignature(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		t.Fatalf("decode signature: %v", err)
	}
	sig[len(sig)/2] ^= 0x01
	return parts[0] + "." + parts[1] + "." + b64.EncodeToString(sig)
}

// hs256WithPublicKey is the key-confusion attack: HMAC-SHA256 keyed with
// the pool's public key in PEM, the bytes a careless verifier that lets the
// header pick the algorithm would use as the HMAC secret.
func hs256WithPublicKey(t *testing.T, pub *rsa.PublicKey, kid string, payload any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	secret := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	in := signingInput(t, map[string]any{"kid": kid, "alg": "HS256"}, payload)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(in))
	return in + "." + b64.EncodeToString(mac.Sum(nil))
}

// publicJWK is the JWK of pub, for the jwk header trick.
func publicJWK(pub *rsa.PublicKey, kid string) map[string]any {
	e := []byte{byte(pub.E >> 16), byte(pub.E >> 8), byte(pub.E)}
	return map[string]any{"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
		"n": b64.EncodeToString(pub.N.Bytes()), "e": b64.EncodeToString(bytes.TrimLeft(e, "\x00"))}
}
