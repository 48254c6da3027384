package srp

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"
)

// Spec §14.3 vectors, computed independently (Go math/big and the
// amazon-cognito-identity-js AuthenticationHelper). Long values are given as
// prefix…suffix plus their hex length.
const (
	vecPool     = "us-east-1_AbC123xYz"
	vecUser     = "janedoe"
	vecPassword = "Passw0rd!"
	vecSalt     = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
	vecA        = "945cfb6a3fcab5d18e979c4ebbfe2b8f4df7f30f67594378488f30384cdefac4"
	vecB        = "32e4ea1a8c18d70bdce5374da94440e037c00182b9a75973288f5add949c21ea"
	vecBlock    = "bG9jb2duaXRvLXRlc3Qtc2VjcmV0LWJsb2NrLTAwMDE="
	vecTime     = "Tue Mar 5 07:08:09 UTC 2024"
	vecK        = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
	vecX        = "89d6199057099216366c917ba5c8aed024101be47be7804b249f9332fca74e2b"
	vecU        = "a531955a9b08206377709870fc550c7fbbc2e82b2ef8bcf26545b9fc25aedf55"
	vecKey      = "327bee260479d437cda64f8a4eafd40b"
	vecSig      = "/17AbIVS/VlDBCA+M3pT/Mgbiw0Vr+VI86dylLcfWjo="
)

type abbrev struct {
	prefix, suffix string
	length         int
}

var (
	vecV    = abbrev{"c925aee4b2ab7bdb4ad8", "fca32ff0d0", 768}
	vecSRPA = abbrev{"33991f9f29db222001d0", "ca674ba3c0", 768}
	vecSRPB = abbrev{"2ac07e441560d43fa0f3", "59977fcd92", 768}
	vecS    = abbrev{"542a3d6b4f24f2dc3499", "2c11e16c70", 767}
)

func checkAbbrev(t *testing.T, name, got string, want abbrev) {
	t.Helper()
	if len(got) != want.length || !strings.HasPrefix(got, want.prefix) || !strings.HasSuffix(got, want.suffix) {
		t.Errorf("%s = %.20s…%s (len %d), want %s…%s (len %d)", name, got, got[max(0, len(got)-10):], len(got), want.prefix, want.suffix, want.length)
	}
}

func hexInt(t *testing.T, s string) *big.Int {
	t.Helper()
	n, err := ParseHex(s)
	if err != nil {
		t.Fatalf("ParseHex(%q): %v", s, err)
	}
	return n
}

func TestVectorsServerSide(t *testing.T) {
	if got := K.Text(16); got != vecK {
		t.Errorf("k = %s, want %s", got, vecK)
	}
	x, err := X(vecSalt, PoolName(vecPool), vecUser, vecPassword)
	if err != nil {
		t.Fatal(err)
	}
	if got := x.Text(16); got != vecX {
		t.Errorf("x = %s, want %s", got, vecX)
	}
	vHex, err := Verifier(vecSalt, PoolName(vecPool), vecUser, vecPassword)
	if err != nil {
		t.Fatal(err)
	}
	checkAbbrev(t, "v", vHex, vecV)

	v, b := hexInt(t, vHex), hexInt(t, vecB)
	bPub := ServerB(v, b)
	checkAbbrev(t, "SRP_B", bPub.Text(16), vecSRPB)

	pubA := new(big.Int).Exp(G, hexInt(t, vecA), N)
	checkAbbrev(t, "SRP_A", pubA.Text(16), vecSRPA)
	u := U(pubA, bPub)
	if got := u.Text(16); got != vecU {
		t.Errorf("u = %s, want %s", got, vecU)
	}
	// S = (A·v^u)^b, spelled out to check the vector (ServerKey hides S).
	s := new(big.Int).Exp(new(big.Int).Mod(new(big.Int).Mul(pubA, new(big.Int).Exp(v, u, N)), N), b, N)
	checkAbbrev(t, "S", s.Text(16), vecS)
	if got := PadHex(s); len(got) != 768 || got[0] != '0' {
		t.Errorf("padHex(S) should add one 0 to the 767 digits, got len %d", len(got))
	}

	key, err := ServerKey(pubA, bPub, b, v)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(key); got != vecKey {
		t.Errorf("K = %s, want %s", got, vecKey)
	}
	block, _ := base64.StdEncoding.DecodeString(vecBlock)
	if got := Signature(key, PoolName(vecPool), vecUser, block, vecTime); got != vecSig {
		t.Errorf("signature = %s, want %s", got, vecSig)
	}
	if !VerifySignature(key, PoolName(vecPool), vecUser, block, vecTime, vecSig) {
		t.Error("VerifySignature rejected the vector signature")
	}
	if VerifySignature(key, PoolName(vecPool), vecUser, block, "Tue Mar 05 07:08:09 UTC 2024", vecSig) {
		t.Error("VerifySignature accepted a different timestamp")
	}
}

func TestVectorsClientSide(t *testing.T) {
	c := NewClientWithA(hexInt(t, vecA))
	checkAbbrev(t, "SRP_A", c.SRPA(), vecSRPA)

	// The client only sees B on the wire: rebuild it from the server vector.
	vHex, _ := Verifier(vecSalt, PoolName(vecPool), vecUser, vecPassword)
	srpB := ServerB(hexInt(t, vHex), hexInt(t, vecB)).Text(16)
	ch := Challenge{
		PoolID: vecPool, UserIDForSRP: vecUser, Password: vecPassword,
		SaltHex: vecSalt, SRPB: srpB, SecretBlock: vecBlock, Timestamp: vecTime,
	}
	key, err := c.Key(ch)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(key); got != vecKey {
		t.Errorf("client K = %s, want %s", got, vecKey)
	}
	sig, err := c.Signature(ch)
	if err != nil {
		t.Fatal(err)
	}
	if sig != vecSig {
		t.Errorf("client signature = %s, want %s", sig, vecSig)
	}

	ch.Password = "Passw0rd?"
	if sig, _ := c.Signature(ch); sig == vecSig {
		t.Error("a wrong password produced the right signature")
	}
}

// A fresh client and server agree on K with random a, b and salt.
func TestRoundTrip(t *testing.T) {
	salt := NewSalt()
	if len(salt) != 32 {
		t.Fatalf("salt %q is not 16 bytes of hex", salt)
	}
	vHex, err := Verifier(salt, "AbC123xYz", "c00c29ac-d0f1-4015-9677-2050463f38a6", "Pässwörd 1!")
	if err != nil {
		t.Fatal(err)
	}
	v := hexInt(t, vHex)
	b, bPub := NewServerKey(v)
	if b.BitLen() < 200 || bPub.Sign() == 0 {
		t.Fatalf("weak server key: b has %d bits", b.BitLen())
	}
	c := NewClient()
	ch := Challenge{
		PoolID: "us-east-1_AbC123xYz", UserIDForSRP: "c00c29ac-d0f1-4015-9677-2050463f38a6",
		Password: "Pässwörd 1!", SaltHex: salt, SRPB: bPub.Text(16),
		SecretBlock: base64.StdEncoding.EncodeToString([]byte("block")),
		Timestamp:   FormatTimestamp(time.Now()),
	}
	ck, err := c.Key(ch)
	if err != nil {
		t.Fatal(err)
	}
	sk, err := ServerKey(hexInt(t, c.SRPA()), bPub, b, v)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(ck) != hex.EncodeToString(sk) {
		t.Fatal("client and server derived different keys")
	}
}

func TestPadHex(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1", "01"},
		{"7f", "7f"},
		{"80", "0080"},
		{"abc", "0abc"},
		{"a1b2", "00a1b2"},
		{"0", "00"},
	}
	for _, tt := range tests {
		if got := PadHex(mustHex(tt.in)); got != tt.want {
			t.Errorf("PadHex(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestCheckA(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"zero", "0", ErrIllegalA},
		{"N", nHex, ErrIllegalA},
		{"2N", new(big.Int).Lsh(N, 1).Text(16), ErrIllegalA},
		{"empty", "", ErrBadNumber},
		{"not hex", "xyz", ErrBadNumber},
		{"negative", "-5", ErrBadNumber},
		{"plus", "+5", ErrBadNumber},
		{"valid", "abc123", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := CheckA(tt.in); !errors.Is(err, tt.want) {
				t.Errorf("CheckA(%q) = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

func TestServerKeyRejectsZeroA(t *testing.T) {
	v := big.NewInt(12345)
	b, bPub := NewServerKey(v)
	if _, err := ServerKey(new(big.Int).Set(N), bPub, b, v); !errors.Is(err, ErrIllegalA) {
		t.Errorf("ServerKey(A=N) = %v, want ErrIllegalA", err)
	}
}

func TestTimestamp(t *testing.T) {
	at := time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)
	if got := FormatTimestamp(at.In(time.FixedZone("X", 3600))); got != vecTime {
		t.Errorf("FormatTimestamp = %q, want %q", got, vecTime)
	}
	tests := []struct {
		in        string
		wantErr   error
		wantCanon string
	}{
		{vecTime, nil, vecTime},
		// Zero-padded day parses but re-formats, so its signature fails.
		{"Tue Mar 05 07:08:09 UTC 2024", nil, vecTime},
		// Wrong weekday parses; the canonical form names the right one.
		{"Tue Mar 15 07:08:09 UTC 2024", nil, "Fri Mar 15 07:08:09 UTC 2024"},
		// Space-padded day: Go would accept it, Cognito refuses it.
		{"Tue Mar  5 07:08:09 UTC 2024", ErrBadTimestamp, ""},
		{"2024-03-05T07:08:09Z", ErrBadTimestamp, ""},
		{"Tue Mar 5 07:08:09 GMT 2024", ErrBadTimestamp, ""},
		{"", ErrBadTimestamp, ""},
	}
	for _, tt := range tests {
		_, canon, err := ParseTimestamp(tt.in)
		if !errors.Is(err, tt.wantErr) || canon != tt.wantCanon {
			t.Errorf("ParseTimestamp(%q) = %q, %v; want %q, %v", tt.in, canon, err, tt.wantCanon, tt.wantErr)
		}
	}
}

func TestCheckSkew(t *testing.T) {
	now := time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)
	tests := []struct {
		offset time.Duration
		want   error
	}{
		{0, nil},
		{5 * time.Minute, nil},
		{-5 * time.Minute, nil},
		{5*time.Minute + time.Second, ErrTimestampSkew},
		{-5*time.Minute - time.Second, ErrTimestampSkew},
	}
	for _, tt := range tests {
		if err := CheckSkew(now.Add(tt.offset), now, 5*time.Minute); !errors.Is(err, tt.want) {
			t.Errorf("CheckSkew(%v) = %v, want %v", tt.offset, err, tt.want)
		}
	}
	if err := CheckSkew(now.Add(time.Hour), now, 0); err != nil {
		t.Errorf("CheckSkew with 0 bound = %v, want nil", err)
	}
}

func FuzzParseTimestamp(f *testing.F) {
	f.Add(vecTime)
	f.Add("Tue Mar  5 07:08:09 UTC 2024")
	f.Fuzz(func(t *testing.T, s string) {
		tm, canon, err := ParseTimestamp(s)
		if err != nil {
			return
		}
		if FormatTimestamp(tm) != canon {
			t.Fatalf("canonical %q does not match %q", canon, FormatTimestamp(tm))
		}
		if strings.Contains(s, "  ") {
			t.Fatalf("accepted double space in %q", s)
		}
	})
}

func FuzzCheckA(f *testing.F) {
	f.Add("abc")
	f.Add(nHex)
	f.Fuzz(func(t *testing.T, s string) {
		a, err := CheckA(s)
		if err == nil && new(big.Int).Mod(a, N).Sign() == 0 {
			t.Fatalf("accepted A ≡ 0 from %q", s)
		}
	})
}
