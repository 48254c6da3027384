// Package srp is the SRP-6a variant Cognito's USER_SRP_AUTH speaks (spec §9):
// the 3072-bit group, Cognito's padHex/hexHash conventions, the verifier, the
// server's B and session key, HKDF-derived K and PASSWORD_CLAIM_SIGNATURE,
// and the TIMESTAMP format. It also holds a client (client.go) so tests can
// drive the real server the way amazon-cognito-identity-js does.
//
// Numbers cross the wire as lowercase hex; everything here takes and returns
// hex strings or *big.Int, never logs, and keeps no state.
package srp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"math/big"
	"strings"

	"golang.org/x/crypto/hkdf"
)

// nHex is the RFC 3526 / RFC 5054 3072-bit MODP prime.
const nHex = "" +
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

// derivedKeyInfo is the HKDF info string Cognito uses for K.
const derivedKeyInfo = "Caldera Derived Key"

var (
	// N is the group modulus, G its generator.
	N = mustHex(nHex)
	G = big.NewInt(2)
	// K is the multiplier k = H(padHex(N) ‖ padHex(g)).
	K = mustHex(HexHash(PadHex(N) + PadHex(G)))
)

// Errors a caller maps to Cognito exceptions.
var (
	ErrBadNumber     = errors.New("srp: not a hex number")
	ErrIllegalA      = errors.New("srp: A mod N is zero")
	ErrIllegalU      = errors.New("srp: u is zero")
	ErrBadTimestamp  = errors.New("srp: TIMESTAMP format")
	ErrTimestampSkew = errors.New("srp: TIMESTAMP too far from now")
)

func mustHex(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("srp: bad constant " + s)
	}
	return n
}

// ParseHex parses a non-negative hex number as sent on the wire.
func ParseHex(s string) (*big.Int, error) {
	// big.Int accepts a sign and "0x" prefixes and underscores with base 0
	// only; with base 16 it still accepts a leading sign, which SRP never
	// sends, so reject it here.
	if s == "" || strings.ContainsAny(s[:1], "+-") || len(s) > 2048 {
		return nil, ErrBadNumber
	}
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		return nil, ErrBadNumber
	}
	return n, nil
}

// PadHex is Cognito's padHex: lowercase hex, with a leading "0" when the
// length is odd, or "00" when the first digit is 8–f (so the bytes read as
// a positive two's-complement number).
func PadHex(n *big.Int) string {
	h := n.Text(16)
	switch {
	case len(h)%2 == 1:
		return "0" + h
	case strings.ContainsRune("89abcdef", rune(h[0])):
		return "00" + h
	}
	return h
}

// Hash is SHA-256 of b as 64 lowercase hex digits.
func Hash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// HexHash hashes the bytes a hex string encodes. Callers pass padded hex of
// even length; an odd digit count panics as the programming error it is.
func HexHash(h string) string {
	b, err := hex.DecodeString(h)
	if err != nil {
		panic("srp: HexHash of bad hex: " + err.Error())
	}
	return Hash(b)
}

// PoolName is the part of a pool id after "_" (us-east-1_AbC → AbC).
func PoolName(poolID string) string {
	_, name, ok := strings.Cut(poolID, "_")
	if !ok {
		return poolID
	}
	return name
}

// X is the private key x = H(padHex(salt) ‖ H(poolName ‖ userID ‖ ":" ‖ password)).
// The salt is parsed and re-padded, as the JS client does.
func X(saltHex, poolName, userID, password string) (*big.Int, error) {
	salt, err := ParseHex(saltHex)
	if err != nil {
		return nil, err
	}
	inner := Hash([]byte(poolName + userID + ":" + password))
	return mustHex(HexHash(PadHex(salt) + inner)), nil
}

// NewSalt returns 16 random bytes as hex.
func NewSalt() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("srp: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// Verifier returns v = g^x mod N as hex, stored next to the bcrypt hash.
func Verifier(saltHex, poolName, userID, password string) (string, error) {
	x, err := X(saltHex, poolName, userID, password)
	if err != nil {
		return "", err
	}
	return new(big.Int).Exp(G, x, N).Text(16), nil
}

// U is the scrambling parameter u = H(padHex(A) ‖ padHex(B)).
func U(a, b *big.Int) *big.Int {
	return mustHex(HexHash(PadHex(a) + PadHex(b)))
}

// DeriveKey is K = HKDF-SHA256(IKM = padHex(S), salt = padHex(u),
// info = "Caldera Derived Key"), 16 bytes.
func DeriveKey(s, u *big.Int) []byte {
	ikm, _ := hex.DecodeString(PadHex(s))
	salt, _ := hex.DecodeString(PadHex(u))
	key := make([]byte, 16)
	if _, err := io.ReadFull(hkdf.New(sha256.New, ikm, salt, []byte(derivedKeyInfo)), key); err != nil {
		panic("srp: hkdf: " + err.Error()) // cannot happen for 16 bytes
	}
	return key
}

// Signature is PASSWORD_CLAIM_SIGNATURE: Base64(HMAC-SHA256(K, poolName ‖
// userID ‖ secretBlock ‖ timestamp)).
func Signature(key []byte, poolName, userID string, secretBlock []byte, timestamp string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// randomExponent returns n random bytes read as a number mod N.
func randomExponent(n int) *big.Int {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("srp: crypto/rand failed: " + err.Error())
	}
	return new(big.Int).Mod(new(big.Int).SetBytes(b), N)
}

// ServerB computes B = (k·v + g^b) mod N for a private b.
func ServerB(v, b *big.Int) *big.Int {
	kv := new(big.Int).Mul(K, v)
	gb := new(big.Int).Exp(G, b, N)
	return kv.Add(kv, gb).Mod(kv, N)
}

// NewServerKey draws b (32 random bytes, ≥256 bits as the spec asks) and
// returns b and B for the verifier v.
func NewServerKey(v *big.Int) (b, bPub *big.Int) {
	for {
		b = randomExponent(32)
		if b.Sign() == 0 {
			continue
		}
		bPub = ServerB(v, b)
		if bPub.Sign() != 0 {
			return b, bPub
		}
	}
}

// ServerKey derives K on the server: S = (A·v^u)^b mod N. It rejects A ≡ 0
// (mod N), which would make S predictable, and u = 0.
func ServerKey(a, bPub, b, v *big.Int) ([]byte, error) {
	if new(big.Int).Mod(a, N).Sign() == 0 {
		return nil, ErrIllegalA
	}
	u := U(a, bPub)
	if u.Sign() == 0 {
		return nil, ErrIllegalU
	}
	vu := new(big.Int).Exp(v, u, N)
	base := vu.Mul(vu, a).Mod(vu, N)
	s := new(big.Int).Exp(base, b, N)
	return DeriveKey(s, u), nil
}

// VerifySignature compares a client's PASSWORD_CLAIM_SIGNATURE with the one
// K yields, in constant time.
func VerifySignature(key []byte, poolName, userID string, secretBlock []byte, timestamp, given string) bool {
	want := Signature(key, poolName, userID, secretBlock, timestamp)
	return hmac.Equal([]byte(want), []byte(given))
}

// CheckA validates an SRP_A from the wire.
func CheckA(srpA string) (*big.Int, error) {
	a, err := ParseHex(srpA)
	if err != nil {
		return nil, err
	}
	if new(big.Int).Mod(a, N).Sign() == 0 {
		return nil, ErrIllegalA
	}
	return a, nil
}
