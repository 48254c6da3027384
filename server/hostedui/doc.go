// Package hostedui serves Cognito's hosted UI: /oauth2/authorize and the
// pages a browser walks through to sign in (/login, the new-password step,
// /signup, /confirmUser, /forgotPassword, /confirmForgotPassword), /logout
// and /error. Pages are server-rendered from embedded html/template files
// with no external assets; every form carries a CSRF token bound to a
// cookie, and a signed-in browser holds the "cognito" session cookie that
// makes later authorize requests of the same pool skip the form (SSO).
//
// The OAuth work itself (validating the authorize request, running fosite,
// minting tokens) is server/oauth's; the sign-in rules are server/userpool's.
package hostedui
