// Package cognitoapi serves Cognito's JSON API (POST / with X-Amz-Target):
// it decodes the PascalCase request into our own input structs, calls
// server/userpool and writes the output, or the failure as Cognito's
// {"__type","message"} with HTTP 400 (spec §6). Request parsing never panics
// and never answers 500 for bad input.
package cognitoapi
