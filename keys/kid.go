package keys

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
)

// KID returns locognito's key id for pub: the RFC 7638 SHA-256 thumbprint in
// padded standard base64, which has the shape of real Cognito kids (44
// characters, may contain '+' and '/'; spec §2 and §14.2).
func KID(pub *rsa.PublicKey) string {
	n := base64.RawURLEncoding.EncodeToString(pub.N.Bytes())
	e := base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes())
	// RFC 7638 §3.2: the required members only, in lexicographic order, no
	// whitespace. The values are base64url, so they need no JSON escaping.
	sum := sha256.Sum256([]byte(`{"e":"` + e + `","kty":"RSA","n":"` + n + `"}`))
	return base64.StdEncoding.EncodeToString(sum[:])
}
