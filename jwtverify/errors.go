package jwtverify

import (
	"errors"
	"net/http"
)

// Check names the verification step that refused a token. The steps run in
// the order the constants are listed (see Verifier.Verify).
type Check string

// The checks, in verification order.
const (
	CheckMalformed   Check = "malformed" // step 1: shape, base64url, JSON objects, claim types
	CheckAlgorithm   Check = "algorithm" // header alg (before any key lookup) and JWK alg
	CheckKey         Check = "key"       // step 2: kid not in the JWKS, or the JWKS could not be fetched
	CheckSignature   Check = "signature" // step 4: RS256 signature
	CheckExpired     Check = "exp"       // step 5
	CheckNotYetValid Check = "nbf"       // step 6
	CheckIssuer      Check = "iss"       // step 7
	CheckTokenUse    Check = "token_use" // step 8
	CheckClientID    Check = "client_id" // step 9: aud (id tokens) or client_id (access tokens)
	CheckScope       Check = "scope"     // step 10: 403
	CheckGroup       Check = "groups"    // step 11: 403
)

// Sentinel errors, one per failure class; every error Verify returns is a
// *ValidationError that matches exactly one of them with errors.Is.
var (
	ErrMalformed   = errors.New("jwtverify: malformed token")
	ErrAlgorithm   = errors.New("jwtverify: algorithm not allowed")
	ErrUnknownKID  = errors.New("jwtverify: unknown key id")
	ErrJWKSFetch   = errors.New("jwtverify: JWKS unavailable")
	ErrSignature   = errors.New("jwtverify: invalid signature")
	ErrExpired     = errors.New("jwtverify: token expired")
	ErrNotYetValid = errors.New("jwtverify: token not yet valid")
	ErrIssuer      = errors.New("jwtverify: wrong issuer")
	ErrTokenUse    = errors.New("jwtverify: wrong token_use")
	ErrClientID    = errors.New("jwtverify: wrong client")
	ErrScope       = errors.New("jwtverify: missing required scope")
	ErrGroup       = errors.New("jwtverify: not in a required group")
)

// ValidationError is the error Verify returns. Err is one of the Err*
// sentinels; Cause, when set, is the underlying error (a network or JSON
// error). Detail is a short human explanation; it never contains the token.
type ValidationError struct {
	Check  Check
	Err    error
	Detail string
	Cause  error
}

func (e *ValidationError) Error() string {
	msg := e.Err.Error()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Unwrap lets errors.Is match both the sentinel and the cause.
func (e *ValidationError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}

// Forbidden reports whether the token itself is valid but lacks a required
// scope or group: HTTP 403 rather than 401.
func (e *ValidationError) Forbidden() bool {
	return e.Check == CheckScope || e.Check == CheckGroup
}

// HTTPStatus is the status a resource server should answer with: 403 for
// scope/group failures, 503 when the JWKS could not be fetched, else 401.
func (e *ValidationError) HTTPStatus() int {
	switch {
	case e.Forbidden():
		return http.StatusForbidden
	case errors.Is(e.Err, ErrJWKSFetch):
		return http.StatusServiceUnavailable
	default:
		return http.StatusUnauthorized
	}
}

func fail(check Check, sentinel error, detail string) *ValidationError {
	return &ValidationError{Check: check, Err: sentinel, Detail: detail}
}
