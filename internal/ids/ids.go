// Package ids generates the identifiers Cognito hands out, in the shapes real
// Cognito uses (spec §2), from crypto/rand.
package ids

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"

	"github.com/google/uuid"
)

const alnum = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// randomString draws n characters uniformly from alphabet.
func randomString(n int, alphabet string) string {
	var b strings.Builder
	b.Grow(n)
	max := big.NewInt(int64(len(alphabet)))
	for i := 0; i < n; i++ {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(fmt.Sprintf("crypto/rand failed: %v", err))
		}
		b.WriteByte(alphabet[v.Int64()])
	}
	return b.String()
}

// PoolID returns "<region>_<9 alphanumerics>", e.g. us-east-1_AbC123xYz.
func PoolID(region string) string { return region + "_" + randomString(9, alnum) }

// ClientID returns 128 random bits as 26 lowercase base32hex digits.
func ClientID() string {
	var b [16]byte
	mustRead(b[:])
	return strings.ToLower(base32.HexEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// ClientSecret returns 52 characters of [0-9a-z].
func ClientSecret() string { return randomString(52, alnum[:36]) }

// UUID returns a random lowercase UUIDv4 (sub, jti, origin_jti, event_id, codes).
func UUID() string { return uuid.NewString() }

// Code returns a 6-digit confirmation code.
func Code() string { return randomString(6, "0123456789") }

// Token returns n random bytes as unpadded base64url, for opaque secrets
// (sessions, CSRF tokens, challenge sessions).
func Token(n int) string {
	b := make([]byte, n)
	mustRead(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// RefreshToken returns an opaque 5-part string shaped like Cognito's JWE
// refresh token (spec §5.5): Cognito's protected header, then random parts.
func RefreshToken() string {
	const header = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ"
	return header + "." + Token(256) + "." + Token(12) + "." + Token(96) + "." + Token(16)
}

func mustRead(b []byte) {
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
}
