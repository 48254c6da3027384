package cognitoapi_test

import (
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/servertest"
)

// client creates an app client in pool through the API.
func (e *mgmtEnv) client(t *testing.T, poolID *string, edit ...func(*cip.CreateUserPoolClientInput)) *types.UserPoolClientType {
	t.Helper()
	in := &cip.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: aws.String("app")}
	for _, f := range edit {
		f(in)
	}
	out, err := e.c.CreateUserPoolClient(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return out.UserPoolClient
}

func (e *mgmtEnv) describeClient(t *testing.T, c *types.UserPoolClientType) *types.UserPoolClientType {
	t.Helper()
	out, err := e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: c.UserPoolId, ClientId: c.ClientId})
	if err != nil {
		t.Fatalf("DescribeUserPoolClient: %v", err)
	}
	return out.UserPoolClient
}

// resourceServer creates a resource server with the given scope names.
func (e *mgmtEnv) resourceServer(t *testing.T, poolID *string, id string, scopes ...string) {
	t.Helper()
	in := &cip.CreateResourceServerInput{UserPoolId: poolID, Identifier: aws.String(id), Name: aws.String(id)}
	for _, s := range scopes {
		in.Scopes = append(in.Scopes, types.ResourceServerScopeType{ScopeName: aws.String(s), ScopeDescription: aws.String(s + " access")})
	}
	if _, err := e.c.CreateResourceServer(e.ctx, in); err != nil {
		t.Fatalf("CreateResourceServer: %v", err)
	}
}

var (
	clientIDRE     = regexp.MustCompile(`^[0-9a-v]{26}$`)
	clientSecretRE = regexp.MustCompile(`^[0-9a-z]{52}$`)
)

func TestCreateUserPoolClientDefaults(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "p")
		c := e.client(t, p.Id)

		if !clientIDRE.MatchString(aws.ToString(c.ClientId)) {
			t.Errorf("ClientId = %q, want %s", aws.ToString(c.ClientId), clientIDRE)
		}
		if aws.ToString(c.UserPoolId) != aws.ToString(p.Id) || aws.ToString(c.ClientName) != "app" || c.ClientSecret != nil {
			t.Errorf("client = %+v", c)
		}
		if c.RefreshTokenValidity != 30 || c.AccessTokenValidity != nil || c.IdTokenValidity != nil ||
			c.TokenValidityUnits == nil || *c.TokenValidityUnits != (types.TokenValidityUnitsType{}) {
			t.Errorf("validity = refresh %d access %v id %v units %+v", c.RefreshTokenValidity, c.AccessTokenValidity, c.IdTokenValidity, c.TokenValidityUnits)
		}
		wantFlows := []types.ExplicitAuthFlowsType{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"}
		if !slices.Equal(c.ExplicitAuthFlows, wantFlows) {
			t.Errorf("ExplicitAuthFlows = %v, want %v", c.ExplicitAuthFlows, wantFlows)
		}
		if aws.ToBool(c.AllowedOAuthFlowsUserPoolClient) || !aws.ToBool(c.EnableTokenRevocation) ||
			c.PreventUserExistenceErrors != types.PreventUserExistenceErrorTypesLegacy || aws.ToInt32(c.AuthSessionValidity) != 3 {
			t.Errorf("OAuth %v revocation %v prevent %q session %d", aws.ToBool(c.AllowedOAuthFlowsUserPoolClient),
				aws.ToBool(c.EnableTokenRevocation), c.PreventUserExistenceErrors, aws.ToInt32(c.AuthSessionValidity))
		}
		if c.ReadAttributes != nil || c.WriteAttributes != nil || c.AllowedOAuthFlows != nil || c.CallbackURLs != nil || c.RefreshTokenRotation != nil {
			t.Errorf("unset members echoed: %+v", c)
		}
		if !c.CreationDate.Equal(servertest.Epoch) {
			t.Errorf("CreationDate = %v", c.CreationDate)
		}
		if d := e.describeClient(t, c); !reflect.DeepEqual(d, c) {
			t.Errorf("Describe differs from Create:\n got %+v\nwant %+v", d, c)
		}
		stored, err := e.ts.Store.GetClient(e.ctx, aws.ToString(c.ClientId))
		if err != nil {
			t.Fatal(err)
		}
		if stored.AccessTokenValidity != time.Hour || stored.IDTokenValidity != time.Hour ||
			stored.RefreshTokenValidity != 30*24*time.Hour || stored.AuthSessionValidity != 3*time.Minute {
			t.Errorf("stored lifetimes access %v id %v refresh %v session %v", stored.AccessTokenValidity,
				stored.IDTokenValidity, stored.RefreshTokenValidity, stored.AuthSessionValidity)
		}
	})
}

func TestUserPoolClientSecret(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "p")
		gen := e.client(t, p.Id, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
		if !clientSecretRE.MatchString(aws.ToString(gen.ClientSecret)) {
			t.Errorf("generated secret %q, want %s", aws.ToString(gen.ClientSecret), clientSecretRE)
		}
		if d := e.describeClient(t, gen); aws.ToString(d.ClientSecret) != aws.ToString(gen.ClientSecret) {
			t.Errorf("Describe secret %q, want the created one", aws.ToString(d.ClientSecret))
		}
		up, err := e.c.UpdateUserPoolClient(e.ctx, &cip.UpdateUserPoolClientInput{UserPoolId: p.Id, ClientId: gen.ClientId})
		if err != nil {
			t.Fatal(err)
		}
		if up.UserPoolClient.ClientSecret != nil {
			t.Error("UpdateUserPoolClient shows the secret")
		}
		if d := e.describeClient(t, gen); aws.ToString(d.ClientSecret) != aws.ToString(gen.ClientSecret) {
			t.Error("update changed the secret")
		}

		const mine = "my+own_secret_0123456789abcdef"
		own := e.client(t, p.Id, func(in *cip.CreateUserPoolClientInput) { in.ClientSecret = aws.String(mine) })
		if aws.ToString(own.ClientSecret) != mine {
			t.Errorf("supplied secret echoed as %q", aws.ToString(own.ClientSecret))
		}

		_, err = e.c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("x"),
			GenerateSecret: true, ClientSecret: aws.String(mine)})
		expectAPIError[*types.InvalidParameterException](t, err, "")
		_, err = e.c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("x"),
			ClientSecret: aws.String("short")})
		expectAPIError[*types.InvalidParameterException](t, err,
			"1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: Member must have length greater than or equal to 24")
	})
}

func TestUserPoolClientTokenValidity(t *testing.T) {
	units := func(access, id, refresh types.TimeUnitsType) *types.TokenValidityUnitsType {
		return &types.TokenValidityUnitsType{AccessToken: access, IdToken: id, RefreshToken: refresh}
	}
	tests := []struct {
		name        string
		in          cip.CreateUserPoolClientInput
		wantAccess  time.Duration
		wantRefresh time.Duration
		wantErr     string // "" = accepted; "*" = any InvalidParameterException
	}{
		{"5 minutes", cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(5), TokenValidityUnits: units("minutes", "", "")},
			5 * time.Minute, 30 * 24 * time.Hour, ""},
		{"hours by default", cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(24)}, 24 * time.Hour, 30 * 24 * time.Hour, ""},
		{"refresh in hours", cip.CreateUserPoolClientInput{RefreshTokenValidity: 2, TokenValidityUnits: units("", "", "hours")},
			time.Hour, 2 * time.Hour, ""},
		{"refresh 3650 days", cip.CreateUserPoolClientInput{RefreshTokenValidity: 3650}, time.Hour, 3650 * 24 * time.Hour, ""},
		{"4 minutes", cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(4), TokenValidityUnits: units("minutes", "", "")},
			0, 0, "Invalid range for token validity."},
		{"2 days", cip.CreateUserPoolClientInput{IdTokenValidity: aws.Int32(2), TokenValidityUnits: units("", "days", "")},
			0, 0, "Invalid range for token validity."},
		{"25 hours", cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(25)}, 0, 0, "Invalid range for token validity."},
		{"refresh 59 minutes", cip.CreateUserPoolClientInput{RefreshTokenValidity: 59, TokenValidityUnits: units("", "", "minutes")},
			0, 0, "Invalid range for token validity."},
		{"refresh 3651 days", cip.CreateUserPoolClientInput{RefreshTokenValidity: 3651}, 0, 0, "Invalid range for token validity."},
		{"access longer than refresh", cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(2),
			RefreshTokenValidity: 1, TokenValidityUnits: units("", "", "hours")}, 0, 0, "Invalid range for token validity."},
		{"unknown unit", cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(1), TokenValidityUnits: units("weeks", "", "")},
			0, 0, "1 validation error detected: Value 'weeks' at 'tokenValidityUnits.accessToken' failed to satisfy constraint: Member must satisfy enum value set: [seconds, minutes, hours, days]"},
		{"session 2 minutes", cip.CreateUserPoolClientInput{AuthSessionValidity: aws.Int32(2)},
			0, 0, "1 validation error detected: Value '2' at 'authSessionValidity' failed to satisfy constraint: Member must have value greater than or equal to 3"},
		{"session 16 minutes", cip.CreateUserPoolClientInput{AuthSessionValidity: aws.Int32(16)}, 0, 0, "*"},
	}
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "p")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := tt.in
				in.UserPoolId, in.ClientName = p.Id, aws.String("app")
				out, err := e.c.CreateUserPoolClient(e.ctx, &in)
				if tt.wantErr != "" {
					msg := tt.wantErr
					if msg == "*" {
						msg = ""
					}
					expectAPIError[*types.InvalidParameterException](t, err, msg)
					return
				}
				if err != nil {
					t.Fatalf("CreateUserPoolClient: %v", err)
				}
				c := out.UserPoolClient
				stored, err := e.ts.Store.GetClient(e.ctx, aws.ToString(c.ClientId))
				if err != nil {
					t.Fatal(err)
				}
				if stored.AccessTokenValidity != tt.wantAccess || stored.RefreshTokenValidity != tt.wantRefresh {
					t.Errorf("stored access %v refresh %v, want %v %v", stored.AccessTokenValidity, stored.RefreshTokenValidity, tt.wantAccess, tt.wantRefresh)
				}
				// What was sent is echoed in the units it was sent in.
				if tt.in.AccessTokenValidity != nil && aws.ToInt32(c.AccessTokenValidity) != aws.ToInt32(tt.in.AccessTokenValidity) {
					t.Errorf("AccessTokenValidity echoed %d, sent %d", aws.ToInt32(c.AccessTokenValidity), aws.ToInt32(tt.in.AccessTokenValidity))
				}
				if tt.in.RefreshTokenValidity != 0 && c.RefreshTokenValidity != tt.in.RefreshTokenValidity {
					t.Errorf("RefreshTokenValidity echoed %d, sent %d", c.RefreshTokenValidity, tt.in.RefreshTokenValidity)
				}
				if d := e.describeClient(t, c); !reflect.DeepEqual(d.TokenValidityUnits, c.TokenValidityUnits) ||
					!reflect.DeepEqual(d.AccessTokenValidity, c.AccessTokenValidity) {
					t.Errorf("Describe validity %+v/%v, Create %+v/%v", d.TokenValidityUnits, d.AccessTokenValidity, c.TokenValidityUnits, c.AccessTokenValidity)
				}
			})
		}
	})
}

func TestUserPoolClientExplicitAuthFlows(t *testing.T) {
	e := newMgmtEnv(t)
	p := e.pool(t, "p")
	legacy := e.client(t, p.Id, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{"ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"}
	})
	if !slices.Equal(legacy.ExplicitAuthFlows, []types.ExplicitAuthFlowsType{"ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"}) {
		t.Errorf("legacy flows echoed as %v", legacy.ExplicitAuthFlows)
	}
	_, err := e.c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("x"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	expectAPIError[*types.InvalidParameterException](t, err, "")
	_, err = e.c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("x"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_MAGIC"}})
	expectAPIError[*types.InvalidParameterException](t, err,
		"1 validation error detected: Value '[ALLOW_MAGIC]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]]")
}

func TestUserPoolClientOAuth(t *testing.T) {
	oauth := func(flows []types.OAuthFlowType, scopes []string, callbacks ...string) func(*cip.CreateUserPoolClientInput) {
		return func(in *cip.CreateUserPoolClientInput) {
			in.AllowedOAuthFlowsUserPoolClient = true
			in.AllowedOAuthFlows = flows
			in.AllowedOAuthScopes = scopes
			in.CallbackURLs = callbacks
			in.SupportedIdentityProviders = []string{"COGNITO"}
		}
	}
	code := []types.OAuthFlowType{"code"}
	cc := []types.OAuthFlowType{"client_credentials"}
	secret := func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true }
	then := func(fs ...func(*cip.CreateUserPoolClientInput)) func(*cip.CreateUserPoolClientInput) {
		return func(in *cip.CreateUserPoolClientInput) {
			for _, f := range fs {
				f(in)
			}
		}
	}
	rejects := []struct {
		name string
		edit func(*cip.CreateUserPoolClientInput)
		want func(t *testing.T, err error)
	}{
		{"flows without AllowedOAuthFlowsUserPoolClient", then(oauth(code, []string{"openid"}, "https://example.com/cb"),
			func(in *cip.CreateUserPoolClientInput) { in.AllowedOAuthFlowsUserPoolClient = false }), invalidParam("")},
		{"OAuth client without scopes", oauth(code, nil, "https://example.com/cb"),
			invalidParam("AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.")},
		{"http callback off localhost", oauth(code, []string{"openid"}, "http://example.com/cb"), invalidParam("")},
		{"callback with fragment", oauth(code, []string{"openid"}, "https://example.com/cb#frag"), invalidParam("")},
		{"relative callback", oauth(code, []string{"openid"}, "/cb"), invalidParam("")},
		{"http logout off localhost", then(oauth(code, []string{"openid"}, "https://example.com/cb"),
			func(in *cip.CreateUserPoolClientInput) { in.LogoutURLs = []string{"http://example.com/bye"} }), invalidParam("")},
		{"default redirect not a callback", then(oauth(code, []string{"openid"}, "https://example.com/cb"),
			func(in *cip.CreateUserPoolClientInput) {
				in.DefaultRedirectURI = aws.String("https://example.com/other")
			}), invalidParam("")},
		{"code without callbacks", oauth(code, []string{"openid"}),
			oauthFlowErr("CallbackUrls can not be empty when code flow or implicit flow is selected")},
		{"client_credentials without secret", oauth(cc, []string{"api/read"}),
			oauthFlowErr("client_credentials flow can not be selected if client does not have a client secret.")},
		{"client_credentials with code", then(oauth([]types.OAuthFlowType{"client_credentials", "code"}, []string{"api/read"}, "https://example.com/cb"), secret),
			oauthFlowErr("client_credentials flow can not be selected along with code flow or implicit flow.")},
		{"client_credentials with openid", then(oauth(cc, []string{"openid"}), secret),
			oauthFlowErr("openid is not supported with client_credentials flow")},
		{"unknown custom scope", oauth(code, []string{"api/write"}, "https://example.com/cb"),
			func(t *testing.T, err error) {
				expectAPIError[*types.ScopeDoesNotExistException](t, err, "Invalid scope requested: api/write")
			}},
		{"unknown resource server", oauth(code, []string{"other/read"}, "https://example.com/cb"),
			func(t *testing.T, err error) { expectAPIError[*types.ScopeDoesNotExistException](t, err, "") }},
		{"unknown identity provider", then(oauth(code, []string{"openid"}, "https://example.com/cb"),
			func(in *cip.CreateUserPoolClientInput) { in.SupportedIdentityProviders = []string{"Google"} }), invalidParam("")},
		{"unknown flow", oauth([]types.OAuthFlowType{"token"}, []string{"openid"}, "https://example.com/cb"),
			invalidParam("1 validation error detected: Value '[token]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [code, implicit, client_credentials]]")},
	}
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "p")
		e.resourceServer(t, p.Id, "api", "read")
		for _, tt := range rejects {
			t.Run(tt.name, func(t *testing.T) {
				in := &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("app")}
				tt.edit(in)
				_, err := e.c.CreateUserPoolClient(e.ctx, in)
				tt.want(t, err)
			})
		}

		callbacks := []string{"https://example.com/cb", "http://localhost:3000/cb", "http://127.0.0.1/cb",
			"http://[::1]:8080/cb", "myapp://callback", "https://example.com/cb?x=1"}
		web := e.client(t, p.Id, oauth([]types.OAuthFlowType{"code", "implicit"}, []string{"openid", "email", "api/read"}, callbacks...),
			func(in *cip.CreateUserPoolClientInput) {
				in.LogoutURLs = []string{"http://localhost:3000/bye"}
				in.DefaultRedirectURI = aws.String("https://example.com/cb")
				in.ReadAttributes = []string{"email", "email_verified"}
			})
		if !slices.Equal(web.CallbackURLs, callbacks) || !slices.Equal(web.AllowedOAuthScopes, []string{"openid", "email", "api/read"}) ||
			!aws.ToBool(web.AllowedOAuthFlowsUserPoolClient) || !slices.Equal(web.SupportedIdentityProviders, []string{"COGNITO"}) ||
			aws.ToString(web.DefaultRedirectURI) != "https://example.com/cb" || !slices.Equal(web.ReadAttributes, []string{"email", "email_verified"}) {
			t.Errorf("OAuth client echoed as %+v", web)
		}
		if d := e.describeClient(t, web); !reflect.DeepEqual(d, web) {
			t.Errorf("Describe differs from Create:\n got %+v\nwant %+v", d, web)
		}
		m2m := e.client(t, p.Id, oauth(cc, []string{"api/read"}), secret)
		if !slices.Equal(m2m.AllowedOAuthFlows, cc) || m2m.ClientSecret == nil {
			t.Errorf("client_credentials client = %+v", m2m)
		}
	})
}

func invalidParam(msg string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		expectAPIError[*types.InvalidParameterException](t, err, msg)
	}
}

func oauthFlowErr(msg string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		expectAPIError[*types.InvalidOAuthFlowException](t, err, msg)
	}
}

func TestUserPoolClientAttributes(t *testing.T) {
	e := newMgmtEnv(t)
	p := e.pool(t, "p", func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: "String"}}
	})
	c := e.client(t, p.Id, func(in *cip.CreateUserPoolClientInput) {
		in.ReadAttributes = []string{"email", "custom:tenant"}
		in.WriteAttributes = []string{"custom:tenant"}
	})
	if !slices.Equal(c.ReadAttributes, []string{"email", "custom:tenant"}) || !slices.Equal(c.WriteAttributes, []string{"custom:tenant"}) {
		t.Errorf("attributes echoed as %v / %v", c.ReadAttributes, c.WriteAttributes)
	}
	_, err := e.c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("x"),
		ReadAttributes: []string{"custom:nope"}})
	expectAPIError[*types.InvalidParameterException](t, err, "Invalid read attributes specified while creating a client")
	_, err = e.c.UpdateUserPoolClient(e.ctx, &cip.UpdateUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId,
		WriteAttributes: []string{"sub"}})
	expectAPIError[*types.InvalidParameterException](t, err, "Invalid write attributes specified while updating a client")
}

func TestUpdateUserPoolClientReplacesSettings(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "p")
		c := e.client(t, p.Id, func(in *cip.CreateUserPoolClientInput) {
			in.GenerateSecret = true
			in.AccessTokenValidity = aws.Int32(2)
			in.ReadAttributes = []string{"email"}
			in.AllowedOAuthFlowsUserPoolClient = true
			in.AllowedOAuthFlows = []types.OAuthFlowType{"code"}
			in.AllowedOAuthScopes = []string{"openid"}
			in.CallbackURLs = []string{"https://example.com/cb"}
			in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
			in.EnableTokenRevocation = aws.Bool(false)
			in.RefreshTokenRotation = &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(10)}
		})
		if r := c.RefreshTokenRotation; r == nil || r.Feature != types.FeatureTypeEnabled || aws.ToInt32(r.RetryGracePeriodSeconds) != 10 {
			t.Errorf("RefreshTokenRotation = %+v", r)
		}
		e.ts.Clock.Advance(time.Minute)
		out, err := e.c.UpdateUserPoolClient(e.ctx, &cip.UpdateUserPoolClientInput{
			UserPoolId: p.Id, ClientId: c.ClientId,
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		})
		if err != nil {
			t.Fatalf("UpdateUserPoolClient: %v", err)
		}
		d := e.describeClient(t, c)
		want := *out.UserPoolClient
		want.ClientSecret = c.ClientSecret
		if !reflect.DeepEqual(*d, want) {
			t.Errorf("Describe after update differs from the update's output:\n got %+v\nwant %+v", *d, want)
		}
		if aws.ToString(d.ClientName) != "app" || aws.ToString(d.ClientSecret) != aws.ToString(c.ClientSecret) || !d.CreationDate.Equal(*c.CreationDate) {
			t.Errorf("name %q secret changed %v created %v: want them kept", aws.ToString(d.ClientName),
				aws.ToString(d.ClientSecret) != aws.ToString(c.ClientSecret), d.CreationDate)
		}
		if !d.LastModifiedDate.Equal(servertest.Epoch.Add(time.Minute)) {
			t.Errorf("LastModifiedDate = %v", d.LastModifiedDate)
		}
		if !slices.Equal(d.ExplicitAuthFlows, []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}) {
			t.Errorf("ExplicitAuthFlows = %v", d.ExplicitAuthFlows)
		}
		// Everything the update did not send is back to its default.
		if d.AccessTokenValidity != nil || d.ReadAttributes != nil || d.AllowedOAuthFlows != nil || d.CallbackURLs != nil ||
			aws.ToBool(d.AllowedOAuthFlowsUserPoolClient) || d.PreventUserExistenceErrors != types.PreventUserExistenceErrorTypesLegacy ||
			!aws.ToBool(d.EnableTokenRevocation) || d.RefreshTokenRotation != nil {
			t.Errorf("settings survived a replace-all update: %+v", d)
		}
	})
}

func TestListAndDeleteUserPoolClients(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "p")
		other := e.pool(t, "other")
		want := map[string]string{}
		for _, n := range []string{"a", "b", "c", "d", "e"} {
			c := e.client(t, p.Id, func(in *cip.CreateUserPoolClientInput) { in.ClientName = aws.String(n); in.GenerateSecret = true })
			want[aws.ToString(c.ClientId)] = n
		}
		foreign := e.client(t, other.Id)

		got := map[string]string{}
		pg := cip.NewListUserPoolClientsPaginator(e.c, &cip.ListUserPoolClientsInput{UserPoolId: p.Id, MaxResults: aws.Int32(2)})
		pages := 0
		for pg.HasMorePages() {
			out, err := pg.NextPage(e.ctx)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, c := range out.UserPoolClients {
				if aws.ToString(c.UserPoolId) != aws.ToString(p.Id) {
					t.Errorf("client %s of pool %s listed", aws.ToString(c.ClientId), aws.ToString(c.UserPoolId))
				}
				got[aws.ToString(c.ClientId)] = aws.ToString(c.ClientName)
			}
		}
		if pages != 3 || !reflect.DeepEqual(got, want) {
			t.Errorf("%d pages listing %v, want 3 listing %v", pages, got, want)
		}

		// A client is only found through its own pool.
		_, err := e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: foreign.ClientId})
		expectAPIError[*types.ResourceNotFoundException](t, err, "User pool client "+aws.ToString(foreign.ClientId)+" does not exist.")
		_, err = e.c.DeleteUserPoolClient(e.ctx, &cip.DeleteUserPoolClientInput{UserPoolId: p.Id, ClientId: foreign.ClientId})
		expectAPIError[*types.ResourceNotFoundException](t, err, "")
		e.describeClient(t, foreign)

		if _, err := e.c.DeleteUserPoolClient(e.ctx, &cip.DeleteUserPoolClientInput{UserPoolId: other.Id, ClientId: foreign.ClientId}); err != nil {
			t.Fatalf("DeleteUserPoolClient: %v", err)
		}
		_, err = e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: other.Id, ClientId: foreign.ClientId})
		expectAPIError[*types.ResourceNotFoundException](t, err, "User pool client "+aws.ToString(foreign.ClientId)+" does not exist.")
		_, err = e.c.UpdateUserPoolClient(e.ctx, &cip.UpdateUserPoolClientInput{UserPoolId: other.Id, ClientId: foreign.ClientId})
		expectAPIError[*types.ResourceNotFoundException](t, err, "")
	})
}
