// Package oauth serves the OAuth 2.0 / OIDC endpoints of the Cognito domain
// (/oauth2/token, /oauth2/userInfo, /oauth2/revoke) and drives fosite for the
// authorize step the hosted UI completes after sign-in.
//
// fosite (github.com/ory/fosite) runs the grants, PKCE and OIDC bookkeeping;
// this package feeds it locognito's storage through small adapters (requests
// become opaque storage.Grant records, clients wrap storage.Client) and small
// token strategies that delegate every token to server/tokens, so hosted-UI
// tokens have exactly the claims of the JSON API's. Responses and errors are
// written in Cognito's shape, never fosite's.
package oauth
