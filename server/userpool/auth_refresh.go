package userpool

import (
	"context"
	"errors"
	"fmt"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/storage"
)

var errInvalidRefreshToken = exception.New(exception.NotAuthorized, "Invalid Refresh Token")

// refreshAuth runs REFRESH_TOKEN_AUTH: new ID and access tokens, the same
// refresh token (spec §5.5). SECRET_HASH is computed over the internal
// username the token belongs to, not what the user typed at sign-in (§8).
func (s *Service) refreshAuth(ctx context.Context, c storage.Client, params map[string]string) (AuthOutput, error) {
	// Rotation is incompatible with REFRESH_TOKEN_AUTH: such clients refresh
	// through GetTokensFromRefreshToken only.
	if !flowAllowed(c, FlowRefreshToken) || c.RefreshTokenRotation {
		return AuthOutput{}, exception.New(exception.InvalidParameter, "Refresh Token flow not enabled for this client")
	}
	token := params["REFRESH_TOKEN"]
	if token == "" {
		return AuthOutput{}, missingParameter("REFRESH_TOKEN")
	}
	if err := s.checkRefreshSecretHash(ctx, c, token, params["SECRET_HASH"]); err != nil {
		return AuthOutput{}, err
	}
	res, err := s.Tokens.Refresh(ctx, c, token, tokens.FlowAPI)
	if err != nil {
		return AuthOutput{}, err
	}
	res.RefreshToken = "" // the caller keeps using its refresh token
	return AuthOutput{Result: &res, ChallengeParameters: map[string]string{}}, nil
}

// checkRefreshSecretHash checks SECRET_HASH against the internal username
// of the refresh token's owner.
func (s *Service) checkRefreshSecretHash(ctx context.Context, c storage.Client, token, hash string) error {
	if c.Secret == "" {
		return nil
	}
	if hash == "" {
		return CheckSecretHash(c, "", hash) // the "secret was not received" error
	}
	rt, err := s.Tokens.LookupRefresh(ctx, token)
	if err != nil {
		return err
	}
	if rt.ClientID != c.ClientID {
		return errInvalidRefreshToken
	}
	u, err := s.Store.GetUser(ctx, rt.PoolID, rt.UsernameKey)
	if errors.Is(err, storage.ErrNotFound) {
		return errInvalidRefreshToken
	}
	if err != nil {
		return fmt.Errorf("get user: %w", err)
	}
	return CheckSecretHash(c, u.Username, hash)
}

// GetTokensFromRefreshToken exchanges a refresh token for new tokens, and a
// new refresh token when the client rotates them (spec §7.1). The client
// proves itself with its raw secret, not a SECRET_HASH. It needs no
// ExplicitAuthFlows entry: rotating clients must turn REFRESH_TOKEN_AUTH off.
func (s *Service) GetTokensFromRefreshToken(ctx context.Context, clientID, clientSecret, refreshToken string) (tokens.Result, error) {
	_, c, err := s.PoolAndClient(ctx, clientID)
	if err != nil {
		return tokens.Result{}, err
	}
	if err := checkRawSecret(c, clientSecret); err != nil {
		return tokens.Result{}, err
	}
	return s.Tokens.Refresh(ctx, c, refreshToken, tokens.FlowAPI)
}

// checkRawSecret checks a ClientSecret member. Cognito's wording for a raw
// secret is unknown, so it answers as for SECRET_HASH, whose messages point
// developers at the same cause.
func checkRawSecret(c storage.Client, given string) error {
	if c.Secret == "" {
		return nil
	}
	if given == "" {
		return exception.Newf(exception.NotAuthorized, "Client %s is configured for secret but secret was not received", c.ClientID)
	}
	if !CheckClientSecret(c, given) {
		return exception.Newf(exception.NotAuthorized, "Unable to verify secret hash for client %s", c.ClientID)
	}
	return nil
}
