package main

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage/postgres/pgtest"
)

func base64RawURL(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

// Ids and secrets of the example seed.
const (
	examplePool      = "us-east-1_LocalDev1"
	exampleWebClient = "2example23web4client5local"
	exampleWebSecret = "webclientsecret0123456789abcdefghijklmnopqrstu"
	exampleAliceSub  = "0d3f1e6c-7f4a-4c2b-9e1d-2a6b8c9d0e1f"
)

func TestProgramServesHealth(t *testing.T) {
	r := startProgram(t)
	var body map[string]string
	if status := getJSON(t, r.URL+"/health", &body); status != http.StatusOK {
		t.Errorf("GET /health = %d", status)
	}
	if body["status"] != "ok" || body["storage"] != "ok" {
		t.Errorf("GET /health body = %v", body)
	}
	// Port 0 resolves to the real port in the public URL.
	if strings.HasSuffix(r.URL, ":0") || !strings.HasSuffix(r.URL, r.Addr.String()[strings.LastIndex(r.Addr.String(), ":"):]) {
		t.Errorf("URL %s does not carry the bound port of %s", r.URL, r.Addr)
	}
	banner := r.stdout.String()
	for _, want := range []string{"listening on " + r.URL, "storage: memory", "no user pools yet",
		"aws cognito-idp --endpoint-url " + r.URL, "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=" + r.URL} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
}

// signIn runs USER_PASSWORD_AUTH through the example's web client.
func signIn(t *testing.T, client *cip.Client, username, password string) *types.AuthenticationResultType {
	t.Helper()
	out, err := client.InitiateAuth(context.Background(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		ClientId: aws.String(exampleWebClient),
		AuthParameters: map[string]string{
			"USERNAME":    username,
			"PASSWORD":    password,
			"SECRET_HASH": userpool.SecretHash(exampleWebSecret, username, exampleWebClient),
		},
	})
	if err != nil {
		t.Fatalf("InitiateAuth %s: %v", username, err)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth %s: challenge %s instead of tokens", username, out.ChallengeName)
	}
	return out.AuthenticationResult
}

func TestProgramSeedKeepsIDsAcrossStarts(t *testing.T) {
	var subs, issuers []any
	for run := range 2 {
		r := startProgram(t, "--config", examplePath)
		banner := r.stdout.String()
		for _, want := range []string{"user pool " + examplePool + " (local-dev)", "client " + exampleWebClient + " (web, with secret)",
			"client 1example23spa4client5local (spa, public)", r.URL + "/" + examplePool + "/.well-known/jwks.json",
			"issuer:    " + r.URL + "/" + examplePool} {
			if !strings.Contains(banner, want) {
				t.Errorf("run %d: banner lacks %q:\n%s", run, want, banner)
			}
		}
		if strings.Contains(banner, exampleWebSecret) {
			t.Errorf("run %d: the banner shows a client secret", run)
		}
		tokens := signIn(t, r.client, "alice", "Passw0rd1")
		id := jwtClaims(t, aws.ToString(tokens.IdToken))
		if id["aud"] != exampleWebClient || id["cognito:username"] != "alice" {
			t.Errorf("run %d: ID token aud %v username %v", run, id["aud"], id["cognito:username"])
		}
		subs, issuers = append(subs, id["sub"]), append(issuers, id["iss"])
		if err := r.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	if subs[0] != exampleAliceSub || subs[1] != exampleAliceSub {
		t.Errorf("alice's sub = %v, want the seeded %s on both starts", subs, exampleAliceSub)
	}
}

func TestProgramIssuerModeAWS(t *testing.T) {
	r := startProgram(t, "--config", examplePath, "--issuer-mode", "aws")
	id := jwtClaims(t, aws.ToString(signIn(t, r.client, "alice", "Passw0rd1").IdToken))
	if want := "https://cognito-idp.us-east-1.amazonaws.com/" + examplePool; id["iss"] != want {
		t.Errorf("iss = %v, want %s", id["iss"], want)
	}
}

func TestProgramRequestLogHidesSecrets(t *testing.T) {
	r := startProgram(t, "--config", examplePath)
	resp, err := http.Get(r.URL + "/oauth2/authorize?client_id=x&code=SECRETCODE123&state=s")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, _ = r.client.InitiateAuth(context.Background(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String(exampleWebClient),
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Wr0ngSecretPassw0rd"},
	})
	logs := r.logs.String()
	for _, want := range []string{"method=GET path=/oauth2/authorize", "method=POST path=/ status=400", "request_id="} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	for _, secret := range []string{"SECRETCODE123", "Wr0ngSecretPassw0rd", exampleWebSecret, "Passw0rd1"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"--bcrypt-cost", "4"}, envOf(map[string]string{"LOCOGNITO_ADDR": "127.0.0.1:0"}), stdout, stderr)
	}()
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; {
		if line, ok := strings.CutPrefix(stdout.String(), "locognito is listening on "); ok {
			base, _, _ = strings.Cut(line, " ")
		} else if time.Now().After(deadline) {
			t.Fatalf("no banner; stderr:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	waitHealthy(t, base)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v, want nil after cancel", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if _, err := http.Get(base + "/health"); err == nil {
		t.Errorf("still serving after Run returned")
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("no shutdown log:\n%s", stderr.String())
	}
}

func TestRunErrors(t *testing.T) {
	for _, tt := range []struct {
		name      string
		args      []string
		wantUsage bool
		wantErr   string
	}{
		{"bad flag", []string{"--issuer-mode", "x"}, true, "invalid --issuer-mode"},
		{"missing seed", []string{"--config", "testdata/nope.yaml"}, false, "testdata/nope.yaml"},
		{"bad seed", []string{"--config", "testdata/bad-seed.yaml"}, false, "field passwrd not found"},
		{"address in use", []string{"--addr", "%s"}, false, "listen on"},
		{"unreachable database", []string{"--database-url", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2"}, false, "open postgres"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--addr", "127.0.0.1:0"}, tt.args...)
			if tt.name == "address in use" {
				taken := startProgram(t)
				args[len(args)-1] = taken.Addr.String()
			}
			err := Run(context.Background(), args, envOf(nil), io.Discard, io.Discard)
			var usage *UsageError
			if errors.As(err, &usage) != tt.wantUsage {
				t.Errorf("Run error = %v (%T), want usage error %v", err, err, tt.wantUsage)
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Run error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

// TestProgramRestartOnPostgres is the persistence story end to end: users,
// keys and seeded records survive a restart of the real program.
func TestProgramRestartOnPostgres(t *testing.T) {
	dbURL, schema := pgtest.URL(t)
	dbURL = withSearchPath(t, dbURL, schema)
	ctx := context.Background()

	r := startProgram(t, "--database-url", dbURL, "--config", examplePath)
	if !strings.Contains(r.stdout.String(), "storage: postgres") {
		t.Errorf("banner does not say postgres:\n%s", r.stdout.String())
	}
	if _, err := r.client.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(examplePool), Username: aws.String("frank"),
		MessageAction:  types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("frank@example.com")}},
	}); err != nil {
		t.Fatalf("AdminCreateUser: %v", err)
	}
	if _, err := r.client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(examplePool), Username: aws.String("frank"),
		Password: aws.String("Fr4nkPassword"), Permanent: true,
	}); err != nil {
		t.Fatalf("AdminSetUserPassword: %v", err)
	}
	first := signIn(t, r.client, "frank", "Fr4nkPassword")
	var jwks1 struct{ Keys []struct{ Kid string } }
	getJSON(t, r.URL+"/"+examplePool+"/.well-known/jwks.json", &jwks1)
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	r2 := startProgram(t, "--database-url", dbURL, "--config", examplePath)
	if !strings.Contains(r2.logs.String(), "changed=0") {
		t.Errorf("re-applying the seed on the same database changed records:\n%s", r2.logs.String())
	}
	second := signIn(t, r2.client, "frank", "Fr4nkPassword")
	if a, b := jwtClaims(t, aws.ToString(first.IdToken))["sub"], jwtClaims(t, aws.ToString(second.IdToken))["sub"]; a != b {
		t.Errorf("frank's sub changed across the restart: %v → %v", a, b)
	}
	// The first run's keys still verify: the same kids are published.
	var jwks2 struct{ Keys []struct{ Kid string } }
	getJSON(t, r2.URL+"/"+examplePool+"/.well-known/jwks.json", &jwks2)
	if len(jwks1.Keys) == 0 {
		t.Fatal("empty JWKS")
	}
	for _, k := range jwks1.Keys {
		found := false
		for _, k2 := range jwks2.Keys {
			found = found || k2.Kid == k.Kid
		}
		if !found {
			t.Errorf("kid %s of the first run is gone after the restart", k.Kid)
		}
	}
	// The refresh token of the first run still works. The web client
	// rotates refresh tokens, so it refreshes with GetTokensFromRefreshToken.
	refreshed, err := r2.client.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{
		ClientId: aws.String(exampleWebClient), ClientSecret: aws.String(exampleWebSecret),
		RefreshToken: first.RefreshToken,
	})
	if err != nil {
		t.Fatalf("refresh with the first run's token: %v", err)
	}
	if sub := jwtClaims(t, aws.ToString(refreshed.AuthenticationResult.IdToken))["sub"]; sub != jwtClaims(t, aws.ToString(first.IdToken))["sub"] {
		t.Errorf("refreshed ID token sub %v", sub)
	}
}

// TestProgramRotatesKeys checks the --key-rotation wiring: a new kid shows
// up in the JWKS without any request asking for it.
func TestProgramRotatesKeys(t *testing.T) {
	r := startProgram(t, "--config", examplePath, "--key-rotation", "2s")
	jwksURL := r.URL + "/" + examplePool + "/.well-known/jwks.json"
	var jwks struct{ Keys []struct{ Kid string } }
	getJSON(t, jwksURL, &jwks)
	initial := map[string]bool{}
	for _, k := range jwks.Keys {
		initial[k.Kid] = true
	}
	if len(initial) == 0 {
		t.Fatal("empty JWKS")
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		getJSON(t, jwksURL, &jwks)
		for _, k := range jwks.Keys {
			if !initial[k.Kid] {
				return // rotated
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no new key in the JWKS 30s after start with --key-rotation 2s")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
