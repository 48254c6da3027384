package jwtverify

import (
	"encoding/base64"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxTokenLen bounds the work an unauthenticated caller can cause. Cognito
// tokens are 1–4 KiB; many groups or attributes stay well under this.
const maxTokenLen = 32 << 10

// b64 is strict unpadded base64url: non-zero trailing bits are refused, so a
// token has exactly one encoding. (aws-jwt-verify also allows "=" padding;
// Cognito never emits it, and we refuse it.)
var b64 = base64.RawURLEncoding.Strict()

// decoded is step 1's output: a syntactically valid JWS in compact form with
// an RS256 header, before any key or signature check.
type decoded struct {
	signingInput string // header "." payload, as received
	kid          string
	sig          []byte
	claims       *Claims
	nbf          time.Time
	hasNbf       bool
	sigBuf       [512]byte // room for up to RSA-4096 signatures
}

var payloadBufs = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// decode splits and decodes token. It checks the shape (three non-empty
// base64url parts, nothing else), that header and payload are JSON objects,
// the types of the header members and claims, and pins alg to RS256 before
// any key lookup, so alg:none/HS* tokens never cause a JWKS fetch.
func decode(token string, d *decoded) *ValidationError {
	if len(token) > maxTokenLen {
		return fail(CheckMalformed, ErrMalformed, "token too long")
	}
	// The strict base64url decoder below refuses every byte outside the
	// alphabet, padding included, but skips CR and LF: refuse those here.
	if strings.IndexByte(token, '\n') >= 0 || strings.IndexByte(token, '\r') >= 0 {
		return fail(CheckMalformed, ErrMalformed, "not base64url")
	}
	switch strings.Count(token, ".") {
	case 2:
	case 4:
		return fail(CheckMalformed, ErrMalformed, "5 parts: a JWE (refresh token) is not a bearer JWT")
	default:
		return fail(CheckMalformed, ErrMalformed, "not three parts")
	}
	dot1 := strings.IndexByte(token, '.')
	dot2 := dot1 + 1 + strings.IndexByte(token[dot1+1:], '.')
	if dot1 == 0 || dot2 == dot1+1 || dot2 == len(token)-1 {
		return fail(CheckMalformed, ErrMalformed, "empty part")
	}
	d.signingInput = token[:dot2]

	if err := d.decodeHeader(token[:dot1]); err != nil {
		return err
	}

	sig := token[dot2+1:]
	if b64.DecodedLen(len(sig)) > len(d.sigBuf) {
		return fail(CheckMalformed, ErrMalformed, "signature too long")
	}
	n, err := b64.Decode(d.sigBuf[:], []byte(sig))
	if err != nil {
		return fail(CheckMalformed, ErrMalformed, "signature is not base64url")
	}
	d.sig = d.sigBuf[:n]

	bp := payloadBufs.Get().(*[]byte)
	defer payloadBufs.Put(bp)
	payload, err := b64.AppendDecode((*bp)[:0], []byte(token[dot1+1:dot2]))
	*bp = payload
	if err != nil {
		return fail(CheckMalformed, ErrMalformed, "payload is not base64url")
	}
	m, verr := jsonObject(payload, "payload")
	if verr != nil {
		return verr
	}
	c, nbf, hasNbf, verr := claimsFromPayload(m)
	if verr != nil {
		return verr
	}
	d.claims, d.nbf, d.hasNbf = c, nbf, hasNbf
	return nil
}

func (d *decoded) decodeHeader(part string) *ValidationError {
	var stack [256]byte // Cognito headers are ~70 bytes
	buf := stack[:]
	if n := b64.DecodedLen(len(part)); n > len(buf) {
		buf = make([]byte, n) // bounded by maxTokenLen
	}
	n, err := b64.Decode(buf, []byte(part))
	if err != nil {
		return fail(CheckMalformed, ErrMalformed, "header is not base64url")
	}
	if kid, ok := canonicalHeaderKID(buf[:n]); ok {
		d.kid = kid
		return nil
	}
	h, verr := jsonObject(buf[:n], "header")
	if verr != nil {
		return verr
	}
	// Only alg, kid and crit mean anything here. jku, x5u, jwk, x5c and typ
	// are ignored: keys come from the configured JWKS only.
	alg, algOK := h["alg"].(string)
	kid, kidOK := h["kid"].(string)
	if _, ok := h["alg"]; ok && !algOK {
		return fail(CheckMalformed, ErrMalformed, "header alg is not a string")
	}
	if _, ok := h["kid"]; ok && !kidOK {
		return fail(CheckMalformed, ErrMalformed, "header kid is not a string")
	}
	if _, ok := h["crit"]; ok {
		return fail(CheckMalformed, ErrMalformed, "header crit is not supported")
	}
	if alg != "RS256" {
		return fail(CheckAlgorithm, ErrAlgorithm, "header alg "+quote(alg)+" is not RS256")
	}
	if kid == "" {
		return fail(CheckKey, ErrUnknownKID, "header has no kid")
	}
	d.kid = kid
	return nil
}

// canonicalHeaderKID recognises the two common header forms without a JSON
// decoder: Cognito's {"kid":"…","alg":"RS256"} and {"alg":"RS256","kid":"…"}
// (go-jose's order), with a kid of printable ASCII other than '"' and '\'.
// Any other header, equivalent or not, takes the general path.
func canonicalHeaderKID(h []byte) (string, bool) {
	const (
		kidFirst, algLast = `{"kid":"`, `","alg":"RS256"}`
		algFirst, kidLast = `{"alg":"RS256","kid":"`, `"}`
	)
	var kid []byte
	switch {
	case len(h) > len(kidFirst)+len(algLast) && string(h[:len(kidFirst)]) == kidFirst &&
		string(h[len(h)-len(algLast):]) == algLast:
		kid = h[len(kidFirst) : len(h)-len(algLast)]
	case len(h) > len(algFirst)+len(kidLast) && string(h[:len(algFirst)]) == algFirst &&
		string(h[len(h)-len(kidLast):]) == kidLast:
		kid = h[len(algFirst) : len(h)-len(kidLast)]
	default:
		return "", false
	}
	for _, c := range kid {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return "", false
		}
	}
	return string(kid), true
}

// jsonObject decodes data, which must be exactly one JSON object.
func jsonObject(data []byte, what string) (map[string]any, *ValidationError) {
	m, err := parseJSONObject(string(data))
	if err != nil {
		return nil, &ValidationError{Check: CheckMalformed, Err: ErrMalformed, Detail: what + " is not a valid JSON object", Cause: err}
	}
	return m, nil
}

// quote shortens and quotes attacker-controlled text for error details.
func quote(s string) string {
	if len(s) > 32 {
		s = s[:32]
	}
	return strconv.Quote(s)
}
