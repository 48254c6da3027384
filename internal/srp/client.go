package srp

import (
	"encoding/base64"
	"fmt"
	"math/big"
)

// Client is the user's side of the exchange, as amazon-cognito-identity-js's
// AuthenticationHelper computes it. locognito uses it in tests and examples;
// the server never runs it.
type Client struct {
	a, pubA *big.Int
}

// NewClient draws a = 128 random bytes mod N, as the JS client does.
func NewClient() *Client {
	for {
		if c := NewClientWithA(randomExponent(128)); c.pubA.Sign() != 0 {
			return c
		}
	}
}

// NewClientWithA fixes the private a (test vectors).
func NewClientWithA(a *big.Int) *Client {
	return &Client{a: a, pubA: new(big.Int).Exp(G, a, N)}
}

// SRPA is the SRP_A auth parameter: A as unpadded lowercase hex.
func (c *Client) SRPA() string { return c.pubA.Text(16) }

// Challenge is what the PASSWORD_VERIFIER challenge sends, plus what the
// client knows.
type Challenge struct {
	PoolID       string
	UserIDForSRP string
	Password     string
	SaltHex      string
	SRPB         string
	SecretBlock  string // base64, echoed verbatim
	Timestamp    string // FormatTimestamp(now)
}

// Key derives K from the challenge: S = (B − k·g^x)^(a + u·x) mod N.
func (c *Client) Key(ch Challenge) ([]byte, error) {
	bPub, err := ParseHex(ch.SRPB)
	if err != nil {
		return nil, fmt.Errorf("SRP_B: %w", err)
	}
	if new(big.Int).Mod(bPub, N).Sign() == 0 {
		return nil, fmt.Errorf("SRP_B: %w", ErrIllegalA)
	}
	u := U(c.pubA, bPub)
	if u.Sign() == 0 {
		return nil, ErrIllegalU
	}
	x, err := X(ch.SaltHex, PoolName(ch.PoolID), ch.UserIDForSRP, ch.Password)
	if err != nil {
		return nil, fmt.Errorf("SALT: %w", err)
	}
	gx := new(big.Int).Exp(G, x, N)
	base := new(big.Int).Sub(bPub, gx.Mul(gx, K))
	base.Mod(base, N) // B − k·g^x may be negative; Mod makes it the same residue ≥ 0
	exp := new(big.Int).Mul(u, x)
	exp.Add(exp, c.a)
	s := new(big.Int).Exp(base, exp, N)
	return DeriveKey(s, u), nil
}

// Signature computes PASSWORD_CLAIM_SIGNATURE for the challenge.
func (c *Client) Signature(ch Challenge) (string, error) {
	key, err := c.Key(ch)
	if err != nil {
		return "", err
	}
	block, err := base64.StdEncoding.DecodeString(ch.SecretBlock)
	if err != nil {
		return "", fmt.Errorf("SECRET_BLOCK: %w", err)
	}
	return Signature(key, PoolName(ch.PoolID), ch.UserIDForSRP, block, ch.Timestamp), nil
}
