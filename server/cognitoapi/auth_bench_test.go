package cognitoapi_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/crypto/bcrypt"

	"github.com/locognito/locognito/server"
	"github.com/locognito/locognito/server/servertest"
)

// BenchmarkInitiateAuthPassword is one USER_PASSWORD_AUTH sign-in through
// the HTTP server and the AWS SDK, with production's bcrypt cost 10, on the
// memory store. It is dominated by the two costs benchmarked below: one
// bcrypt comparison and two RSA-2048 signatures (ID and access token).
func BenchmarkInitiateAuthPassword(b *testing.B) {
	ts := servertest.Start(b, servertest.WithConfig(func(c *server.Config) { c.BcryptCost = bcrypt.DefaultCost }))
	ctx := context.Background()
	pool, err := ts.Client.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	client, err := ts.Client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: pool.UserPool.Id, ClientName: aws.String("bench"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth},
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ts.Client.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: pool.UserPool.Id, Username: aws.String("janedoe"),
		TemporaryPassword: aws.String(testPassword), MessageAction: types.MessageActionTypeSuppress,
	}); err != nil {
		b.Fatal(err)
	}
	if _, err := ts.Client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: pool.UserPool.Id, Username: aws.String("janedoe"), Password: aws.String(testPassword), Permanent: true,
	}); err != nil {
		b.Fatal(err)
	}
	in := &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: client.UserPoolClient.ClientId,
		AuthParameters: map[string]string{"USERNAME": "janedoe", "PASSWORD": testPassword},
	}
	for b.Loop() {
		out, err := ts.Client.InitiateAuth(ctx, in)
		if err != nil || out.AuthenticationResult == nil {
			b.Fatalf("sign-in failed: %v", err)
		}
	}
}

// BenchmarkBcryptCompareCost10 is the password check of one sign-in.
func BenchmarkBcryptCompareCost10(b *testing.B) {
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.DefaultCost)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := bcrypt.CompareHashAndPassword(hash, []byte(testPassword)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRSASign2048 is one token signature (RS256); a sign-in makes two.
func BenchmarkRSASign2048(b *testing.B) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	// About the size of a signing input: header.payload of an ID token.
	digest := sha256.Sum256(make([]byte, 1200))
	for b.Loop() {
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
}
