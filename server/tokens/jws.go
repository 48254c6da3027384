package tokens

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// claim is one JWT claim; claims keeps them in the order they are added so
// that tokens are byte-for-byte reproducible and read like Cognito's.
type claim struct {
	name  string
	value any
}

type claims []claim

func (c *claims) add(name string, value any) { *c = append(*c, claim{name, value}) }

// MarshalJSON writes the claims as one JSON object in order.
func (c claims) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, cl := range c {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := writeJSON(&buf, cl.name); err != nil {
			return nil, err
		}
		buf.WriteByte(':')
		if err := writeJSON(&buf, cl.value); err != nil {
			return nil, fmt.Errorf("claim %s: %w", cl.name, err)
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// writeJSON encodes v without HTML escaping (Cognito writes "<" as is).
func writeJSON(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1) // Encode's newline
	return nil
}

var b64 = base64.RawURLEncoding

// sign returns the compact RS256 JWS of payload. The header is built by hand:
// Cognito's is exactly {"kid":"…","alg":"RS256"}, kid first and no typ, so
// every token starts with "eyJraWQiOi".
func sign(kid string, key *rsa.PrivateKey, payload claims) (string, error) {
	var header bytes.Buffer
	header.WriteString(`{"kid":`)
	if err := writeJSON(&header, kid); err != nil {
		return "", err
	}
	header.WriteString(`,"alg":"RS256"}`)
	body, err := payload.MarshalJSON()
	if err != nil {
		return "", fmt.Errorf("tokens: encode claims: %w", err)
	}
	input := b64.EncodeToString(header.Bytes()) + "." + b64.EncodeToString(body)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("tokens: sign: %w", err)
	}
	return input + "." + b64.EncodeToString(sig), nil
}

// atHash is the OIDC at_hash of an RS256-signed access token: the left half
// of its SHA-256, base64url without padding (OIDC Core §3.1.3.6).
func atHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return b64.EncodeToString(sum[:sha256.Size/2])
}
