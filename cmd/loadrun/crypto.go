package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"runtime"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// cryptoFloor is the CPU cost of the operations the server's hot paths are
// bound by: what locognito itself calls for a password check (bcrypt) and
// for an RS256 token signature or verification. It is measured before and
// after the load; the lower of the two is used, being the less disturbed by
// whatever else ran on the machine at the time.
type cryptoFloor struct {
	BcryptCost int `json:"bcrypt_cost"`
	cryptoCosts
	Before cryptoCosts `json:"before"`
	After  cryptoCosts `json:"after"`
}

// cryptoCosts is one measurement of each operation.
type cryptoCosts struct {
	BcryptMS float64 `json:"bcrypt_compare_ms"`
	SignMS   float64 `json:"rsa2048_sign_ms"`
	VerifyMS float64 `json:"rsa2048_verify_ms"`

	bcrypt, sign, verify time.Duration
}

// lower is the cheaper of c and d for each operation.
func (c cryptoCosts) lower(d cryptoCosts) cryptoCosts {
	out := cryptoCosts{bcrypt: min(c.bcrypt, d.bcrypt), sign: min(c.sign, d.sign), verify: min(c.verify, d.verify)}
	out.BcryptMS, out.SignMS, out.VerifyMS = ms(out.bcrypt), ms(out.sign), ms(out.verify)
	return out
}

// cryptoBench holds the inputs of the measurements: a bcrypt hash of the
// given cost and an RSA-2048 key, as the server's.
type cryptoBench struct {
	cost     int
	password []byte
	hash     []byte
	key      *rsa.PrivateKey
	input    []byte
	sig      []byte
}

func newCryptoBench(bcryptCost int) (*cryptoBench, error) {
	b := &cryptoBench{cost: bcryptCost, password: []byte("Lr1!" + randomHex(12))}
	var err error
	if b.hash, err = bcrypt.GenerateFromPassword(b.password, bcryptCost); err != nil {
		return nil, fmt.Errorf("bcrypt: %w", err)
	}
	if b.key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, fmt.Errorf("RSA key: %w", err)
	}
	// About the size of an access token's signing input; it is hashed every
	// time, as the server does.
	b.input = []byte(strings.Repeat("eyJraWQiOiJ4IiwiYWxnIjoiUlMyNTYifQ.", 20))
	return b, nil
}

// measure times each operation in a loop on one goroutine for about d (at
// least three runs each).
func (b *cryptoBench) measure(d time.Duration) (cryptoCosts, error) {
	var c cryptoCosts
	var err error
	if c.bcrypt, err = timeOp(d, func() error { return bcrypt.CompareHashAndPassword(b.hash, b.password) }); err != nil {
		return c, fmt.Errorf("bcrypt compare: %w", err)
	}
	if c.sign, err = timeOp(d, func() error {
		sum := sha256.Sum256(b.input)
		b.sig, err = rsa.SignPKCS1v15(nil, b.key, crypto.SHA256, sum[:])
		return err
	}); err != nil {
		return c, fmt.Errorf("RSA sign: %w", err)
	}
	if c.verify, err = timeOp(d, func() error {
		sum := sha256.Sum256(b.input)
		return rsa.VerifyPKCS1v15(&b.key.PublicKey, crypto.SHA256, sum[:], b.sig)
	}); err != nil {
		return c, fmt.Errorf("RSA verify: %w", err)
	}
	c.BcryptMS, c.SignMS, c.VerifyMS = ms(c.bcrypt), ms(c.sign), ms(c.verify)
	return c, nil
}

// timeWindows is how many windows timeOp splits its time into.
const timeWindows = 5

// timeOp runs op once untimed, then in timeWindows windows of d/timeWindows
// (at least three runs each), and returns the lowest mean CPU time per run
// of a window: the least disturbed by other processes on a shared machine.
// CPU time is the thread's own, so neither waiting for a core another
// process holds nor other goroutines' work counts. Where CPU time is
// unknown it is the wall-clock time.
func timeOp(d time.Duration, op func() error) (time.Duration, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := op(); err != nil {
		return 0, err
	}
	best := time.Duration(-1)
	for range timeWindows {
		perRun, err := timeWindow(d/timeWindows, op)
		if err != nil {
			return 0, err
		}
		if best < 0 || perRun < best {
			best = perRun
		}
	}
	return best, nil
}

// timeWindow runs op until d has passed and it ran at least three times,
// and returns the mean CPU (or wall-clock) time per run.
func timeWindow(d time.Duration, op func() error) (time.Duration, error) {
	cpu0, cpuKnown := threadCPU()
	start := time.Now()
	for n := 1; ; n++ {
		if err := op(); err != nil {
			return 0, err
		}
		if elapsed := time.Since(start); elapsed >= d && n >= 3 {
			if cpu1, ok := threadCPU(); ok && cpuKnown {
				return (cpu1 - cpu0) / time.Duration(n), nil
			}
			return elapsed / time.Duration(n), nil
		}
	}
}
