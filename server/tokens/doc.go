// Package tokens mints Cognito-shaped ID, access and refresh tokens for the
// JSON API and the OAuth endpoints alike, and checks access and refresh
// tokens presented back to locognito (spec §5).
//
// JWTs are built here rather than with a JOSE library so that the bytes
// match Cognito's: the header is exactly {"kid":"…","alg":"RS256"} (kid
// first, no typ), and claims are written in a fixed order. Refresh tokens
// are opaque 5-part strings; only their SHA-256 is stored, with the family
// (origin_jti) they belong to. Revocation is a revoked-origin_jti set plus a
// per-user sign-out watermark, checked by VerifyAccess and Refresh (never by
// offline verifiers, as with real Cognito).
package tokens
