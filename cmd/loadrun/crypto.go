package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// cryptoFloor is the measured single-core cost of the operations the
// server's hot paths are bound by: what locognito itself calls for a
// password check (bcrypt) and for an RS256 token signature or verification.
type cryptoFloor struct {
	BcryptCost int     `json:"bcrypt_cost"`
	BcryptMS   float64 `json:"bcrypt_compare_ms"`
	SignMS     float64 `json:"rsa2048_sign_ms"`
	VerifyMS   float64 `json:"rsa2048_verify_ms"`

	bcrypt, sign, verify time.Duration
}

// measureCrypto times each operation in a loop on one goroutine for about
// d (at least three runs each).
func measureCrypto(bcryptCost int, d time.Duration) (cryptoFloor, error) {
	f := cryptoFloor{BcryptCost: bcryptCost}
	password := []byte("Lr1!" + randomHex(12))
	hash, err := bcrypt.GenerateFromPassword(password, bcryptCost)
	if err != nil {
		return f, fmt.Errorf("bcrypt: %w", err)
	}
	if f.bcrypt, err = timeOp(d, func() error { return bcrypt.CompareHashAndPassword(hash, password) }); err != nil {
		return f, fmt.Errorf("bcrypt compare: %w", err)
	}

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return f, fmt.Errorf("RSA key: %w", err)
	}
	// About the size of an access token's signing input; the digest is
	// hashed every time, as the server does.
	input := []byte(strings.Repeat("eyJraWQiOiJ4IiwiYWxnIjoiUlMyNTYifQ.", 20))
	var sig []byte
	if f.sign, err = timeOp(d, func() error {
		sum := sha256.Sum256(input)
		sig, err = rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
		return err
	}); err != nil {
		return f, fmt.Errorf("RSA sign: %w", err)
	}
	if f.verify, err = timeOp(d, func() error {
		sum := sha256.Sum256(input)
		return rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, sum[:], sig)
	}); err != nil {
		return f, fmt.Errorf("RSA verify: %w", err)
	}
	f.BcryptMS, f.SignMS, f.VerifyMS = ms(f.bcrypt), ms(f.sign), ms(f.verify)
	return f, nil
}

// timeOp runs op once untimed, then repeatedly until d has passed and it
// ran at least three times, and returns the mean time per run.
func timeOp(d time.Duration, op func() error) (time.Duration, error) {
	if err := op(); err != nil {
		return 0, err
	}
	start := time.Now()
	for n := 1; ; n++ {
		if err := op(); err != nil {
			return 0, err
		}
		if elapsed := time.Since(start); elapsed >= d && n >= 3 {
			return elapsed / time.Duration(n), nil
		}
	}
}
