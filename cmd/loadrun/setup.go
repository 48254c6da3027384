package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Names of what the run creates. The pool gets a fresh id each run, so runs
// against a long-lived target do not collide, and is deleted at the end.
const (
	loadUser        = "loadrun-user"
	resourceServer  = "loadrun"
	machineScope    = resourceServer + "/read"
	codeCallbackURL = "http://localhost:3000/callback" // never called: codes are read from Location
)

// env is what the scenarios share: the target and the pool made for the run.
type env struct {
	Base     string
	HTTP     *http.Client
	SDK      *cip.Client
	PoolID   string
	Password string
	// PasswordClient is a public client allowing USER_PASSWORD_AUTH and
	// REFRESH_TOKEN_AUTH.
	PasswordClient string
}

// setUp creates, through the AWS SDK as an application would, a pool with a
// confirmed user and a public password-sign-in client. Scenario-specific
// clients are made by each scenario's prepare.
func setUp(ctx context.Context, base string, hc *http.Client) (*env, error) {
	e := &env{
		Base: base, HTTP: hc,
		SDK: cip.New(cip.Options{
			Region:           "us-east-1",
			BaseEndpoint:     aws.String(base),
			Credentials:      credentials.NewStaticCredentialsProvider("AKIDLOADRUN", "loadrun", ""),
			HTTPClient:       hc,
			RetryMaxAttempts: 1,
		}),
		Password: "Lr1!" + randomHex(12),
	}
	pool, err := e.SDK.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName: aws.String(fmt.Sprintf("loadrun-%d", time.Now().Unix())),
	})
	if err != nil {
		return nil, fmt.Errorf("CreateUserPool: %w", err)
	}
	e.PoolID = aws.ToString(pool.UserPool.Id)

	client, err := e.SDK.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(e.PoolID), ClientName: aws.String("loadrun-password"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
	})
	if err != nil {
		return nil, e.failSetup(ctx, fmt.Errorf("CreateUserPoolClient: %w", err))
	}
	e.PasswordClient = aws.ToString(client.UserPoolClient.ClientId)

	if _, err := e.SDK.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(e.PoolID), Username: aws.String(loadUser),
		MessageAction: types.MessageActionTypeSuppress,
	}); err != nil {
		return nil, e.failSetup(ctx, fmt.Errorf("AdminCreateUser: %w", err))
	}
	if _, err := e.SDK.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(e.PoolID), Username: aws.String(loadUser),
		Password: aws.String(e.Password), Permanent: true,
	}); err != nil {
		return nil, e.failSetup(ctx, fmt.Errorf("AdminSetUserPassword: %w", err))
	}
	return e, nil
}

// failSetup deletes the half-made pool and returns err.
func (e *env) failSetup(ctx context.Context, err error) error {
	if delErr := e.tearDown(context.WithoutCancel(ctx)); delErr != nil {
		return fmt.Errorf("%w (and deleting the pool: %v)", err, delErr)
	}
	return err
}

// tearDown deletes the run's pool, so a long-lived target keeps nothing.
func (e *env) tearDown(ctx context.Context) error {
	if e == nil || e.PoolID == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err := e.SDK.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(e.PoolID)})
	e.PoolID = ""
	return err
}

// signIn is one USER_PASSWORD_AUTH sign-in through the SDK, for the tokens
// that later scenarios reuse.
func (e *env) signIn(ctx context.Context) (*types.AuthenticationResultType, error) {
	out, err := e.SDK.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(e.PasswordClient),
		AuthParameters: map[string]string{"USERNAME": loadUser, "PASSWORD": e.Password},
	})
	if err != nil {
		return nil, fmt.Errorf("InitiateAuth: %w", err)
	}
	if out.AuthenticationResult == nil || aws.ToString(out.AuthenticationResult.AccessToken) == "" {
		return nil, fmt.Errorf("InitiateAuth: no tokens (challenge %q)", out.ChallengeName)
	}
	return out.AuthenticationResult, nil
}

// machineClient creates a resource server with one scope and a confidential
// client allowed client_credentials for it; it returns the id and secret.
func (e *env) machineClient(ctx context.Context) (id, secret string, err error) {
	if _, err := e.SDK.CreateResourceServer(ctx, &cip.CreateResourceServerInput{
		UserPoolId: aws.String(e.PoolID), Identifier: aws.String(resourceServer), Name: aws.String("loadrun API"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("Read")}},
	}); err != nil {
		return "", "", fmt.Errorf("CreateResourceServer: %w", err)
	}
	out, err := e.SDK.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(e.PoolID), ClientName: aws.String("loadrun-machine"),
		GenerateSecret:                  true,
		AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows:               []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes:              []string{machineScope},
	})
	if err != nil {
		return "", "", fmt.Errorf("CreateUserPoolClient (client_credentials): %w", err)
	}
	return aws.ToString(out.UserPoolClient.ClientId), aws.ToString(out.UserPoolClient.ClientSecret), nil
}

// webClient creates a confidential code-flow client signing in through the
// hosted UI; it returns the id and secret.
func (e *env) webClient(ctx context.Context) (id, secret string, err error) {
	out, err := e.SDK.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(e.PoolID), ClientName: aws.String("loadrun-web"),
		GenerateSecret:                  true,
		AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows:               []types.OAuthFlowType{types.OAuthFlowTypeCode},
		AllowedOAuthScopes:              []string{"openid", "email"},
		CallbackURLs:                    []string{codeCallbackURL},
		SupportedIdentityProviders:      []string{"COGNITO"},
	})
	if err != nil {
		return "", "", fmt.Errorf("CreateUserPoolClient (code flow): %w", err)
	}
	return aws.ToString(out.UserPoolClient.ClientId), aws.ToString(out.UserPoolClient.ClientSecret), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
