package seed

import (
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// The seed's YAML shapes map onto the inputs of the API's own create
// functions, so a seeded record gets exactly the defaults and checks an API
// call with the same settings would.

func poolInput(p Pool) userpool.CreatePoolInput {
	in := userpool.CreatePoolInput{
		ID: p.ID,
		PoolSettings: userpool.PoolSettings{
			Name:            p.Name,
			AutoVerified:    p.AutoVerifiedAttributes,
			AdminCreateOnly: p.AdminCreateUserOnly,
		},
		UsernameAttrs: p.UsernameAttributes,
		AliasAttrs:    p.AliasAttributes,
		CaseSensitive: p.CaseSensitive,
	}
	if pp := p.PasswordPolicy; pp != nil {
		policy := userpool.DefaultPasswordPolicy()
		setInt(&policy.MinimumLength, pp.MinimumLength)
		setBool(&policy.RequireUppercase, pp.RequireUppercase)
		setBool(&policy.RequireLowercase, pp.RequireLowercase)
		setBool(&policy.RequireNumbers, pp.RequireNumbers)
		setBool(&policy.RequireSymbols, pp.RequireSymbols)
		setInt(&policy.TemporaryPasswordValidityDays, pp.TemporaryPasswordValidityDays)
		in.PasswordPolicy = &policy
	}
	for _, a := range p.Schema {
		sa := userpool.SchemaAttributeInput{
			Name: a.Name, AttributeDataType: a.Type, Mutable: a.Mutable, DeveloperOnly: a.DeveloperOnly,
			MinLength: a.MinLength, MaxLength: a.MaxLength, MinValue: a.MinValue, MaxValue: a.MaxValue,
		}
		if a.Required {
			sa.Required = &a.Required
		}
		in.Schema = append(in.Schema, sa)
	}
	return in
}

// clientInput maps a seed client. Unlike the API, listing OAuth flows turns
// on AllowedOAuthFlowsUserPoolClient and the COGNITO provider by default:
// a seed that lists flows wants them.
func clientInput(poolID string, c Client) userpool.CreateClientInput {
	in := userpool.CreateClientInput{
		PoolID:         poolID,
		ClientID:       c.ID,
		GenerateSecret: c.GenerateSecret,
		ClientSecret:   c.Secret,
		ClientSettings: userpool.ClientSettings{
			Name:                       c.Name,
			ExplicitAuthFlows:          c.ExplicitAuthFlows,
			AccessTokenValidity:        c.AccessTokenValidity,
			IDTokenValidity:            c.IDTokenValidity,
			AuthSessionValidity:        c.AuthSessionValidity,
			ReadAttributes:             c.ReadAttributes,
			WriteAttributes:            c.WriteAttributes,
			PreventUserExistenceErrors: c.PreventUserExistenceErrors,
			EnableTokenRevocation:      c.EnableTokenRevocation,
			AllowedOAuthFlows:          c.AllowedOAuthFlows,
			AllowedOAuthScopes:         c.AllowedOAuthScopes,
			CallbackURLs:               c.CallbackURLs,
			LogoutURLs:                 c.LogoutURLs,
			DefaultRedirectURI:         c.DefaultRedirectURI,
			SupportedIdentityProviders: c.SupportedIdentityProviders,
			RequirePKCE:                &c.RequirePKCE,
		},
	}
	if c.RefreshTokenValidity != nil {
		in.RefreshTokenValidity = *c.RefreshTokenValidity
	}
	if u := c.TokenValidityUnits; u != nil {
		in.UnitsAccess, in.UnitsID, in.UnitsRefresh = u.AccessToken, u.IDToken, u.RefreshToken
	}
	if r := c.RefreshTokenRotation; r != nil && r.Enabled {
		in.RefreshTokenRotation = "ENABLED"
		in.RotationGracePeriodSeconds = r.RetryGracePeriodSeconds
	}
	hasFlows := len(c.AllowedOAuthFlows) > 0
	in.AllowedOAuthFlowsUserPoolClient = hasFlows
	if c.AllowedOAuthFlowsUserPoolClient != nil {
		in.AllowedOAuthFlowsUserPoolClient = *c.AllowedOAuthFlowsUserPoolClient
	}
	if hasFlows && in.SupportedIdentityProviders == nil {
		in.SupportedIdentityProviders = []string{"COGNITO"}
	}
	return in
}

func groupInput(poolID string, g Group) userpool.GroupInput {
	return userpool.GroupInput{
		PoolID: poolID, Name: g.Name, Description: &g.Description, RoleArn: &g.RoleArn, Precedence: g.Precedence,
	}
}

func resourceServerRecord(poolID string, rs ResourceServer) storage.ResourceServer {
	out := storage.ResourceServer{PoolID: poolID, Identifier: rs.Identifier, Name: rs.Name}
	for _, s := range rs.Scopes {
		out.Scopes = append(out.Scopes, storage.ResourceServerScope{Name: s.Name, Description: s.Description})
	}
	return out
}

func setInt(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}
