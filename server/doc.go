// Package server assembles locognito: it wires storage, keys, the token
// issuer and the user-pool rules into one gorilla/mux router that serves the
// JSON API, discovery and JWKS, the hosted UI and OAuth endpoints, and the
// dev-only endpoints under /_locognito/.
package server
