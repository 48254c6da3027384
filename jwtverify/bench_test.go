package jwtverify_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Compare BenchmarkVerifyWarm with BenchmarkRawRSAVerify from the same run:
//
//	go test -run='^$' -bench='Verify' -benchmem -cpu=1 -count=10 ./jwtverify
//
// On a shared machine the two drift apart with the load; BenchmarkWarmOverRaw
// alternates them op by op and reports the ratio directly.
//
// BenchmarkGoJoseVerify is the alternative the package does not use (see
// the comment in Verifier.verify).

func benchToken(b *testing.B) (*env, string) {
	e := newEnv(b)
	return e, sign(keyAccess, kidAccess, accessClaims(e.srv.issuer()))
}

func BenchmarkVerifyWarm(b *testing.B) {
	e, tok := benchToken(b)
	v := e.verifier(b)
	ctx := context.Background()
	if _, err := v.Verify(ctx, tok); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawRSAVerify is the floor: SHA-256 of the same signing input and
// rsa.VerifyPKCS1v15 with an already parsed key.
func BenchmarkRawRSAVerify(b *testing.B) {
	_, tok := benchToken(b)
	dot := strings.LastIndexByte(tok, '.')
	input := []byte(tok[:dot])
	sig, err := base64.RawURLEncoding.DecodeString(tok[dot+1:])
	if err != nil {
		b.Fatal(err)
	}
	pub := &keyAccess.PublicKey
	b.ReportAllocs()
	for b.Loop() {
		h := sha256.Sum256(input)
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGoJoseVerify does what Verify would do through go-jose:
// ParseSigned pinned to RS256, Verify, and decoding the payload into a map.
func BenchmarkGoJoseVerify(b *testing.B) {
	_, tok := benchToken(b)
	pub := &keyAccess.PublicKey
	b.ReportAllocs()
	for b.Loop() {
		jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			b.Fatal(err)
		}
		payload, err := jws.Verify(pub)
		if err != nil {
			b.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(payload, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWarmOverRaw alternates one warm Verify and one raw RS256 check of
// the same token, so both see the same machine load, and reports warm/raw.
func BenchmarkWarmOverRaw(b *testing.B) {
	e, tok := benchToken(b)
	v := e.verifier(b)
	ctx := context.Background()
	if _, err := v.Verify(ctx, tok); err != nil {
		b.Fatal(err)
	}
	dot := strings.LastIndexByte(tok, '.')
	input := []byte(tok[:dot])
	sig, _ := base64.RawURLEncoding.DecodeString(tok[dot+1:])
	pub := &keyAccess.PublicKey
	var warm, raw time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		h := sha256.Sum256(input)
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig); err != nil {
			b.Fatal(err)
		}
		warm, raw = warm+t1.Sub(t0), raw+time.Since(t1)
	}
	b.ReportMetric(float64(warm)/float64(b.N), "warm-ns/op")
	b.ReportMetric(float64(raw)/float64(b.N), "raw-ns/op")
	b.ReportMetric(float64(warm)/float64(raw), "warm/raw")
}
