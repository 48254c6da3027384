// Package userpool holds Cognito's user-pool rules: pools and clients and
// their validation, sign-up and confirmation, the password policy and bcrypt,
// codes and the message outbox, user status and attributes, groups,
// sign-in with its challenges, and sign-out. It speaks Go types and returns
// *exception.Error for every failure a client may see; HTTP shapes belong to
// server/cognitoapi, server/oauth and server/hostedui.
package userpool
