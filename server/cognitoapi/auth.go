package cognitoapi

import (
	"context"

	"github.com/locognito/locognito/server/userpool"
)

// authActions are sign-in, challenges, refresh, sign-out and revocation.
func (a *API) authActions() map[string]handler {
	return map[string]handler{
		"InitiateAuth":                op(a.initiateAuth),
		"AdminInitiateAuth":           op(a.adminInitiateAuth),
		"RespondToAuthChallenge":      op(a.respondToAuthChallenge),
		"AdminRespondToAuthChallenge": op(a.adminRespondToAuthChallenge),
		"GetTokensFromRefreshToken":   op(a.getTokensFromRefreshToken),
		"GlobalSignOut":               op(a.globalSignOut),
		"AdminUserGlobalSignOut":      op(a.adminUserGlobalSignOut),
		"RevokeToken":                 op(a.revokeToken),
	}
}

func (a *API) initiateAuth(ctx context.Context, in *initiateAuthInput) (authOutput, error) {
	out, err := a.Pools.InitiateAuth(ctx, userpool.InitiateAuthInput{
		ClientID: in.ClientId, AuthFlow: in.AuthFlow, AuthParameters: in.AuthParameters,
	})
	if err != nil {
		return authOutput{}, err
	}
	return newAuthOutput(out), nil
}

func (a *API) adminInitiateAuth(ctx context.Context, in *adminInitiateAuthInput) (authOutput, error) {
	out, err := a.Pools.InitiateAuth(ctx, userpool.InitiateAuthInput{
		Admin: true, PoolID: in.UserPoolId,
		ClientID: in.ClientId, AuthFlow: in.AuthFlow, AuthParameters: in.AuthParameters,
	})
	if err != nil {
		return authOutput{}, err
	}
	return newAuthOutput(out), nil
}

func (a *API) respondToAuthChallenge(ctx context.Context, in *respondToAuthChallengeInput) (authOutput, error) {
	out, err := a.Pools.RespondToAuthChallenge(ctx, userpool.RespondInput{
		ClientID: in.ClientId, ChallengeName: in.ChallengeName, Session: in.Session,
		ChallengeResponses: in.ChallengeResponses,
	})
	if err != nil {
		return authOutput{}, err
	}
	return newAuthOutput(out), nil
}

func (a *API) adminRespondToAuthChallenge(ctx context.Context, in *adminRespondToAuthChallengeInput) (authOutput, error) {
	out, err := a.Pools.RespondToAuthChallenge(ctx, userpool.RespondInput{
		Admin: true, PoolID: in.UserPoolId,
		ClientID: in.ClientId, ChallengeName: in.ChallengeName, Session: in.Session,
		ChallengeResponses: in.ChallengeResponses,
	})
	if err != nil {
		return authOutput{}, err
	}
	return newAuthOutput(out), nil
}

func (a *API) getTokensFromRefreshToken(ctx context.Context, in *getTokensFromRefreshTokenInput) (getTokensFromRefreshTokenOutput, error) {
	res, err := a.Pools.GetTokensFromRefreshToken(ctx, in.ClientId, in.ClientSecret, in.RefreshToken)
	if err != nil {
		return getTokensFromRefreshTokenOutput{}, err
	}
	return getTokensFromRefreshTokenOutput{AuthenticationResult: newAuthenticationResult(res)}, nil
}

func (a *API) globalSignOut(ctx context.Context, in *globalSignOutInput) (struct{}, error) {
	return struct{}{}, a.Pools.GlobalSignOut(ctx, in.AccessToken)
}

func (a *API) adminUserGlobalSignOut(ctx context.Context, in *adminUserGlobalSignOutInput) (struct{}, error) {
	return struct{}{}, a.Pools.AdminUserGlobalSignOut(ctx, in.UserPoolId, in.Username)
}

func (a *API) revokeToken(ctx context.Context, in *revokeTokenInput) (struct{}, error) {
	return struct{}{}, a.Pools.RevokeToken(ctx, in.ClientId, in.ClientSecret, in.Token)
}
