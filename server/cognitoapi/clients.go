package cognitoapi

import (
	"context"
	"encoding/json"

	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// clientActions manage app clients (spec §7.3).
func (a *API) clientActions() map[string]handler {
	return map[string]handler{
		"CreateUserPoolClient":   op(a.createUserPoolClient),
		"DescribeUserPoolClient": op(a.describeUserPoolClient),
		"ListUserPoolClients":    op(a.listUserPoolClients),
		"UpdateUserPoolClient":   op(a.updateUserPoolClient),
		"DeleteUserPoolClient":   op(a.deleteUserPoolClient),
	}
}

var (
	mgmtTimeUnits         = []string{"seconds", "minutes", "hours", "days"}
	mgmtExplicitAuthFlows = []string{"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH",
		"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH",
		"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"}
)

// clientSettingsInput are the members CreateUserPoolClient and
// UpdateUserPoolClient share.
type clientSettingsInput struct {
	ClientName           *string `json:"ClientName"`
	RefreshTokenValidity *int    `json:"RefreshTokenValidity"`
	AccessTokenValidity  *int    `json:"AccessTokenValidity"`
	IdTokenValidity      *int    `json:"IdTokenValidity"`
	TokenValidityUnits   *struct {
		AccessToken  string `json:"AccessToken"`
		IdToken      string `json:"IdToken"`
		RefreshToken string `json:"RefreshToken"`
	} `json:"TokenValidityUnits"`
	ReadAttributes                           []string        `json:"ReadAttributes"`
	WriteAttributes                          []string        `json:"WriteAttributes"`
	ExplicitAuthFlows                        []string        `json:"ExplicitAuthFlows"`
	SupportedIdentityProviders               []string        `json:"SupportedIdentityProviders"`
	CallbackURLs                             []string        `json:"CallbackURLs"`
	LogoutURLs                               []string        `json:"LogoutURLs"`
	DefaultRedirectURI                       *string         `json:"DefaultRedirectURI"`
	AllowedOAuthFlows                        []string        `json:"AllowedOAuthFlows"`
	AllowedOAuthScopes                       []string        `json:"AllowedOAuthScopes"`
	AllowedOAuthFlowsUserPoolClient          bool            `json:"AllowedOAuthFlowsUserPoolClient"`
	AnalyticsConfiguration                   json.RawMessage `json:"AnalyticsConfiguration"`
	PreventUserExistenceErrors               string          `json:"PreventUserExistenceErrors"`
	EnableTokenRevocation                    *bool           `json:"EnableTokenRevocation"`
	EnablePropagateAdditionalUserContextData *bool           `json:"EnablePropagateAdditionalUserContextData"`
	AuthSessionValidity                      *int            `json:"AuthSessionValidity"`
	RefreshTokenRotation                     *struct {
		Feature                 *string `json:"Feature"`
		RetryGracePeriodSeconds *int    `json:"RetryGracePeriodSeconds"`
	} `json:"RefreshTokenRotation"`
}

// check applies the Cognito model's member constraints.
func (in *clientSettingsInput) check(c *memberChecks) {
	c.str(in.ClientName, "clientName", 1, 128, mgmtNamePattern)
	c.num(in.RefreshTokenValidity, "refreshTokenValidity", 0, 315360000)
	c.num(in.AccessTokenValidity, "accessTokenValidity", 1, 86400)
	c.num(in.IdTokenValidity, "idTokenValidity", 1, 86400)
	if u := in.TokenValidityUnits; u != nil {
		c.enum(u.AccessToken, "tokenValidityUnits.accessToken", mgmtTimeUnits...)
		c.enum(u.IdToken, "tokenValidityUnits.idToken", mgmtTimeUnits...)
		c.enum(u.RefreshToken, "tokenValidityUnits.refreshToken", mgmtTimeUnits...)
	}
	c.list(in.ReadAttributes, "readAttributes", 0, 1, 32)
	c.list(in.WriteAttributes, "writeAttributes", 0, 1, 32)
	c.enumList(in.ExplicitAuthFlows, "explicitAuthFlows", mgmtExplicitAuthFlows...)
	c.list(in.SupportedIdentityProviders, "supportedIdentityProviders", 0, 1, 32)
	c.list(in.CallbackURLs, "callbackURLs", 100, 1, 1024)
	c.list(in.LogoutURLs, "logoutURLs", 100, 1, 1024)
	c.str(in.DefaultRedirectURI, "defaultRedirectURI", 1, 1024, nil)
	if len(in.AllowedOAuthFlows) > 3 {
		c.list(in.AllowedOAuthFlows, "allowedOAuthFlows", 3, 0, 0)
	}
	c.enumList(in.AllowedOAuthFlows, "allowedOAuthFlows", "code", "implicit", "client_credentials")
	c.list(in.AllowedOAuthScopes, "allowedOAuthScopes", 50, 1, 256)
	c.enum(in.PreventUserExistenceErrors, "preventUserExistenceErrors", "LEGACY", "ENABLED")
	c.num(in.AuthSessionValidity, "authSessionValidity", 3, 15)
	if r := in.RefreshTokenRotation; r != nil {
		c.required(r.Feature != nil, "refreshTokenRotation.feature")
		c.enum(mgmtStr(r.Feature), "refreshTokenRotation.feature", "ENABLED", "DISABLED")
		c.num(r.RetryGracePeriodSeconds, "refreshTokenRotation.retryGracePeriodSeconds", 0, 60)
	}
}

// settings translates the JSON members to userpool's Go settings.
func (in *clientSettingsInput) settings() userpool.ClientSettings {
	s := userpool.ClientSettings{
		Name:                            mgmtStr(in.ClientName),
		ExplicitAuthFlows:               in.ExplicitAuthFlows,
		AccessTokenValidity:             in.AccessTokenValidity,
		IDTokenValidity:                 in.IdTokenValidity,
		RefreshTokenValidity:            mgmtInt(in.RefreshTokenValidity),
		AuthSessionValidity:             in.AuthSessionValidity,
		ReadAttributes:                  in.ReadAttributes,
		WriteAttributes:                 in.WriteAttributes,
		PreventUserExistenceErrors:      in.PreventUserExistenceErrors,
		EnableTokenRevocation:           in.EnableTokenRevocation,
		AllowedOAuthFlows:               in.AllowedOAuthFlows,
		AllowedOAuthScopes:              in.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient: in.AllowedOAuthFlowsUserPoolClient,
		CallbackURLs:                    in.CallbackURLs,
		LogoutURLs:                      in.LogoutURLs,
		DefaultRedirectURI:              mgmtStr(in.DefaultRedirectURI),
		SupportedIdentityProviders:      in.SupportedIdentityProviders,
	}
	if u := in.TokenValidityUnits; u != nil {
		s.UnitsAccess, s.UnitsID, s.UnitsRefresh = u.AccessToken, u.IdToken, u.RefreshToken
	}
	if r := in.RefreshTokenRotation; r != nil {
		s.RefreshTokenRotation = mgmtStr(r.Feature)
		s.RotationGracePeriodSeconds = mgmtInt(r.RetryGracePeriodSeconds)
	}
	return s
}

type createUserPoolClientInput struct {
	UserPoolId     *string `json:"UserPoolId"`
	GenerateSecret bool    `json:"GenerateSecret"`
	ClientSecret   *string `json:"ClientSecret"`
	clientSettingsInput
}

func (in *createUserPoolClientInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.required(in.ClientName != nil, "clientName")
	in.check(&c)
	c.sensitive(in.ClientSecret, "clientSecret", 24, 64, mgmtClientIDPattern)
	return c.err
}

type userPoolClientOutput struct {
	UserPoolClient userPoolClientShape `json:"UserPoolClient"`
}

func (a *API) createUserPoolClient(ctx context.Context, in *createUserPoolClientInput) (*userPoolClientOutput, error) {
	c, err := a.Pools.CreateClient(ctx, userpool.CreateClientInput{
		PoolID:         *in.UserPoolId,
		GenerateSecret: in.GenerateSecret,
		ClientSecret:   mgmtStr(in.ClientSecret),
		ClientSettings: in.settings(),
	})
	if err != nil {
		return nil, err
	}
	return &userPoolClientOutput{UserPoolClient: userPoolClientType(c, true)}, nil
}

type clientIDInput struct {
	UserPoolId *string `json:"UserPoolId"`
	ClientId   *string `json:"ClientId"`
}

func (in *clientIDInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.clientID(in.ClientId)
	return c.err
}

func (a *API) describeUserPoolClient(ctx context.Context, in *clientIDInput) (*userPoolClientOutput, error) {
	if _, err := a.Pools.Pool(ctx, *in.UserPoolId); err != nil {
		return nil, err
	}
	c, err := a.Pools.Client(ctx, *in.UserPoolId, *in.ClientId)
	if err != nil {
		return nil, err
	}
	return &userPoolClientOutput{UserPoolClient: userPoolClientType(c, true)}, nil
}

type listUserPoolClientsInput struct {
	UserPoolId *string `json:"UserPoolId"`
	MaxResults *int    `json:"MaxResults"`
	NextToken  *string `json:"NextToken"`
}

func (in *listUserPoolClientsInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.limit(in.MaxResults, "maxResults", 60)
	c.str(in.NextToken, "nextToken", 1, 131072, nil)
	return c.err
}

type listUserPoolClientsOutput struct {
	UserPoolClients []userPoolClientDescription `json:"UserPoolClients"`
	NextToken       string                      `json:"NextToken,omitempty"`
}

func (a *API) listUserPoolClients(ctx context.Context, in *listUserPoolClientsInput) (*listUserPoolClientsOutput, error) {
	clients, err := a.Pools.ListClients(ctx, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	limit := 60
	if in.MaxResults != nil {
		limit = *in.MaxResults
	}
	page, next, err := pageOf(clients, func(c storage.Client) string { return c.ClientID }, limit, mgmtStr(in.NextToken))
	if err != nil {
		return nil, err
	}
	out := &listUserPoolClientsOutput{UserPoolClients: []userPoolClientDescription{}, NextToken: next}
	for _, c := range page {
		out.UserPoolClients = append(out.UserPoolClients, userPoolClientDescription{ClientId: c.ClientID, UserPoolId: c.PoolID, ClientName: c.Name})
	}
	return out, nil
}

type updateUserPoolClientInput struct {
	UserPoolId *string `json:"UserPoolId"`
	ClientId   *string `json:"ClientId"`
	clientSettingsInput
}

func (in *updateUserPoolClientInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.clientID(in.ClientId)
	in.check(&c)
	return c.err
}

func (a *API) updateUserPoolClient(ctx context.Context, in *updateUserPoolClientInput) (*userPoolClientOutput, error) {
	c, err := a.Pools.UpdateClient(ctx, *in.UserPoolId, *in.ClientId, in.settings())
	if err != nil {
		return nil, err
	}
	return &userPoolClientOutput{UserPoolClient: userPoolClientType(c, false)}, nil
}

func (a *API) deleteUserPoolClient(ctx context.Context, in *clientIDInput) (struct{}, error) {
	return struct{}{}, a.Pools.DeleteClient(ctx, *in.UserPoolId, *in.ClientId)
}
