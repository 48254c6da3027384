package main

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/userpool"
)

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReadmeDocumentsEveryFlag keeps the README's configuration table in
// step with the flags.
func TestReadmeDocumentsEveryFlag(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	newFlagSet(&Config{}, io.Discard).VisitAll(func(f *flag.Flag) {
		row := "| `--" + f.Name + "` | `" + envName(f.Name) + "` |"
		if !strings.Contains(readme, row) {
			t.Errorf("README has no configuration row starting %s", row)
		}
	})
}

// TestTestCommandsAgree: the README, the Makefile and CI name the same test
// command.
func TestTestCommandsAgree(t *testing.T) {
	const cmd = "go test -race -count=1"
	for _, name := range []string{"README.md", "Makefile", ".ci/run"} {
		if !strings.Contains(readRepoFile(t, name), cmd) {
			t.Errorf("%s does not run %q", name, cmd)
		}
	}
	if !strings.Contains(readRepoFile(t, "README.md"), "bash .ci/run") {
		t.Errorf("README does not name bash .ci/run")
	}
}

// TestSDKEndpointFromEnvironment runs the README's Go snippet: an SDK
// client built by config.LoadDefaultConfig finds locognito through
// AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER alone.
func TestSDKEndpointFromEnvironment(t *testing.T) {
	r := startProgram(t, "--config", examplePath)
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": r.URL,
		"AWS_REGION":                  "us-east-1",
		"AWS_ACCESS_KEY_ID":           "local",
		"AWS_SECRET_ACCESS_KEY":       "local",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_PROFILE":                 "",
		"AWS_ENDPOINT_URL":            "",
	} {
		t.Setenv(k, v)
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatalf("LoadDefaultConfig: %v", err)
	}
	client := cip.NewFromConfig(cfg)
	out, err := client.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		ClientId: aws.String(exampleWebClient),
		AuthParameters: map[string]string{
			"USERNAME": "alice", "PASSWORD": "Passw0rd1",
			"SECRET_HASH": userpool.SecretHash(exampleWebSecret, "alice", exampleWebClient),
		},
	})
	if err != nil {
		t.Fatalf("InitiateAuth through the env endpoint: %v", err)
	}
	if out.AuthenticationResult == nil || aws.ToString(out.AuthenticationResult.AccessToken) == "" {
		t.Fatalf("no tokens: %+v", out)
	}
	// An admin call, signed with the dummy credentials.
	pools, err := client.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	if err != nil {
		t.Fatalf("ListUserPools: %v", err)
	}
	if len(pools.UserPools) != 1 || aws.ToString(pools.UserPools[0].Id) != examplePool {
		t.Errorf("ListUserPools = %+v", pools.UserPools)
	}
}
