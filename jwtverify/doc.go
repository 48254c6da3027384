// Package jwtverify verifies Amazon Cognito user pool JWTs on a resource
// server, the way aws-jwt-verify's CognitoJwtVerifier does and at least as
// strictly. It works the same against real Cognito and against locognito, and
// imports nothing from the rest of locognito.
//
// A Verifier is built from a Config that fails closed: the issuer (a user
// pool id, or an issuer URL), the token kind (TokenUse) and the accepted app
// client ids are required unless a check is explicitly skipped. Verify runs a
// fixed sequence of checks (see Verifier.Verify) and returns a
// *ValidationError naming the failed Check and matching one sentinel error
// (ErrExpired, ErrSignature, ErrScope, ...) with errors.Is. Scope and group
// failures are Forbidden (HTTP 403); everything else is 401, except an
// unreachable JWKS (503).
//
// Only RS256 is accepted, whatever the header says. Keys come only from the
// configured JWKS URL; jku, x5u, jwk and x5c headers are ignored. The JWKS is
// fetched on first use and refetched only when a token names an unknown kid,
// with concurrent refetches merged and a penalty window (10 s by default)
// after a refetch that failed or did not find the kid.
//
// Middleware wraps a net/http handler: it takes the token from an
// "Authorization: Bearer" header (or a cookie), answers failures with RFC 6750
// challenges, and puts the Claims in the request context. RequireScopes and
// RequireGroups add per-route requirements behind it.
//
// Not checked, as in aws-jwt-verify: iat, auth_time, jti and revocation
// (revoked Cognito tokens still verify offline).
package jwtverify
