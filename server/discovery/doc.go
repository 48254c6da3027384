// Package discovery serves each pool's OpenID Connect discovery document and
// JWKS under /{poolId}/.well-known/ (spec §3, §4), where go-oidc,
// aws-jwt-verify and other relying parties look for them.
package discovery
