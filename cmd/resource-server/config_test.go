package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		want    func(*Config) bool
		wantErr string // substring of the usage error; "" = valid
	}{
		{
			name: "real Cognito",
			env: map[string]string{"COGNITO_REGION": "eu-west-1", "COGNITO_USER_POOL_ID": "eu-west-1_AbC123",
				"COGNITO_CLIENT_IDS": " a1 ,b2,, "},
			want: func(c *Config) bool {
				return c.UserPoolID == "eu-west-1_AbC123" && reflect.DeepEqual(c.ClientIDs, []string{"a1", "b2"}) &&
					c.ListenAddr == "127.0.0.1:8080" && c.AppURL == "http://localhost:8080"
			},
		},
		{
			name: "locognito issuer, flag beats env",
			args: []string{"--listen-addr", "0.0.0.0:9000", "--client-ids", "x"},
			env: map[string]string{"LISTEN_ADDR": "127.0.0.1:1", "COGNITO_ISSUER": "http://127.0.0.1:9229/us-east-1_LocalDev1",
				"COGNITO_CLIENT_IDS": "ignored"},
			want: func(c *Config) bool {
				return c.ListenAddr == "0.0.0.0:9000" && reflect.DeepEqual(c.ClientIDs, []string{"x"}) && c.Issuer != ""
			},
		},
		{
			name: "browser side, trailing slashes trimmed, client id accepted too",
			env: map[string]string{"COGNITO_USER_POOL_ID": "us-east-1_LocalDev1", "COGNITO_JWKS_URL": "http://locognito:9229/us-east-1_LocalDev1/.well-known/jwks.json",
				"COGNITO_CLIENT_IDS": "m2m", "COGNITO_DOMAIN": "http://localhost:9229/", "COGNITO_CLIENT_ID": "web",
				"COGNITO_CLIENT_SECRET": "s3cret", "APP_URL": "http://localhost:8080/"},
			want: func(c *Config) bool {
				return c.Domain == "http://localhost:9229" && c.AppURL == "http://localhost:8080" &&
					reflect.DeepEqual(c.acceptedClients(), []string{"m2m", "web"})
			},
		},
		{
			name: "issuer and pool id agree",
			env: map[string]string{"COGNITO_USER_POOL_ID": "us-east-1_LocalDev1", "COGNITO_ISSUER": "http://localhost:9229/us-east-1_LocalDev1",
				"COGNITO_CLIENT_IDS": "x"},
			want: func(c *Config) bool { return true },
		},
		{name: "no issuer", env: map[string]string{"COGNITO_CLIENT_IDS": "x"}, wantErr: "COGNITO_USER_POOL_ID"},
		{name: "no client ids", env: map[string]string{"COGNITO_USER_POOL_ID": "us-east-1_A1"}, wantErr: "COGNITO_CLIENT_IDS"},
		{
			name:    "issuer of another pool",
			env:     map[string]string{"COGNITO_USER_POOL_ID": "us-east-1_A1", "COGNITO_ISSUER": "http://localhost:9229/us-east-1_B2", "COGNITO_CLIENT_IDS": "x"},
			wantErr: "is not the issuer of",
		},
		{
			name:    "region with issuer",
			env:     map[string]string{"COGNITO_REGION": "us-east-1", "COGNITO_ISSUER": "http://localhost:9229/us-east-1_B2", "COGNITO_CLIENT_IDS": "x"},
			wantErr: "COGNITO_REGION",
		},
		{
			name:    "domain without client id",
			env:     map[string]string{"COGNITO_USER_POOL_ID": "us-east-1_A1", "COGNITO_CLIENT_IDS": "x", "COGNITO_DOMAIN": "http://localhost:9229"},
			wantErr: "COGNITO_CLIENT_ID",
		},
		{
			name:    "client secret without domain",
			env:     map[string]string{"COGNITO_USER_POOL_ID": "us-east-1_A1", "COGNITO_CLIENT_IDS": "x", "COGNITO_CLIENT_SECRET": "s"},
			wantErr: "need COGNITO_DOMAIN",
		},
		{
			name: "bad APP_URL",
			env: map[string]string{"COGNITO_USER_POOL_ID": "us-east-1_A1", "COGNITO_DOMAIN": "http://localhost:9229",
				"COGNITO_CLIENT_ID": "web", "APP_URL": "localhost:8080"},
			wantErr: "APP_URL",
		},
		{
			name: "domain with a query",
			env: map[string]string{"COGNITO_USER_POOL_ID": "us-east-1_A1", "COGNITO_DOMAIN": "http://localhost:9229/?x=1",
				"COGNITO_CLIENT_ID": "web"},
			wantErr: "COGNITO_DOMAIN",
		},
		{name: "bad listen address", env: map[string]string{"LISTEN_ADDR": "8080", "COGNITO_USER_POOL_ID": "us-east-1_A1", "COGNITO_CLIENT_IDS": "x"}, wantErr: "LISTEN_ADDR"},
		{name: "stray argument", args: []string{"serve"}, wantErr: "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig(tc.args, envOf(tc.env), io.Discard)
			if tc.wantErr != "" {
				var ue *UsageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want a usage error mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			if !tc.want(&cfg) {
				t.Errorf("config = %+v", cfg)
			}
		})
	}
}

// TestVerifierModes: the same settings give real Cognito's issuer and JWKS
// URL from a region and pool id, or locognito's from the overrides.
func TestVerifierModes(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		env                  map[string]string
		wantIssuer, wantJWKS string
		wantNewErr           string
	}{
		{
			name:       "real Cognito",
			env:        map[string]string{"COGNITO_REGION": "eu-west-1", "COGNITO_USER_POOL_ID": "eu-west-1_AbC123", "COGNITO_CLIENT_IDS": "x"},
			wantIssuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
			wantJWKS:   "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json",
		},
		{
			name:       "locognito, local issuer mode",
			env:        map[string]string{"COGNITO_ISSUER": "http://127.0.0.1:9229/us-east-1_LocalDev1", "COGNITO_CLIENT_IDS": "x"},
			wantIssuer: "http://127.0.0.1:9229/us-east-1_LocalDev1",
			wantJWKS:   "http://127.0.0.1:9229/us-east-1_LocalDev1/.well-known/jwks.json",
		},
		{
			name: "locognito, aws issuer mode",
			env: map[string]string{"COGNITO_USER_POOL_ID": "us-east-1_LocalDev1",
				"COGNITO_JWKS_URL": "http://127.0.0.1:9229/us-east-1_LocalDev1/.well-known/jwks.json", "COGNITO_CLIENT_IDS": "x"},
			wantIssuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalDev1",
			wantJWKS:   "http://127.0.0.1:9229/us-east-1_LocalDev1/.well-known/jwks.json",
		},
		{
			name:       "region does not match the pool",
			env:        map[string]string{"COGNITO_REGION": "us-west-2", "COGNITO_USER_POOL_ID": "eu-west-1_AbC123", "COGNITO_CLIENT_IDS": "x"},
			wantNewErr: "does not match",
		},
		{
			name:       "not a pool id",
			env:        map[string]string{"COGNITO_USER_POOL_ID": "local_abc", "COGNITO_CLIENT_IDS": "x"},
			wantNewErr: "invalid user pool id",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig(nil, envOf(tc.env), io.Discard)
			must(t, "ParseConfig", err)
			app, err := New(cfg, nil, nil)
			if tc.wantNewErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantNewErr) {
					t.Fatalf("New: err = %v, want one mentioning %q", err, tc.wantNewErr)
				}
				return
			}
			must(t, "New", err)
			if got := app.Verifier().Issuer(); got != tc.wantIssuer {
				t.Errorf("issuer %q, want %q", got, tc.wantIssuer)
			}
			if got := app.Verifier().JWKSURL(); got != tc.wantJWKS {
				t.Errorf("JWKS URL %q, want %q", got, tc.wantJWKS)
			}
		})
	}
}

// TestHelpNamesEveryVariable: --help lists each flag with its variable.
func TestHelpNamesEveryVariable(t *testing.T) {
	var out bytes.Buffer
	_, err := ParseConfig([]string{"--help"}, envOf(nil), &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: err = %v", err)
	}
	for flagName, env := range envNames {
		if !strings.Contains(out.String(), "-"+flagName) || !strings.Contains(out.String(), "["+env+"]") {
			t.Errorf("--help does not show -%s [%s]", flagName, env)
		}
	}
	count := 0
	newFlagSet(&Config{}, io.Discard).VisitAll(func(f *flag.Flag) {
		count++
		if envNames[f.Name] == "" {
			t.Errorf("flag --%s has no environment variable", f.Name)
		}
	})
	if count != len(envNames) {
		t.Errorf("%d flags, %d environment variables", count, len(envNames))
	}
}
