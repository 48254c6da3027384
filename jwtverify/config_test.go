package jwtverify_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/locognito/locognito/jwtverify"
)

func TestNewRejectsConfig(t *testing.T) {
	base := func() jwtverify.Config {
		return jwtverify.Config{UserPoolID: poolID, ClientIDs: []string{clientID}, TokenUse: jwtverify.TokenUseAccess}
	}
	tests := []struct {
		name    string
		mutate  func(c *jwtverify.Config)
		wantErr string
	}{
		{"no issuer", func(c *jwtverify.Config) { c.UserPoolID = "" }, "UserPoolID or Issuer is required"},
		{"pool and issuer", func(c *jwtverify.Config) { c.Issuer = "http://127.0.0.1:9229/" + poolID }, "not both"},
		{"cognito-local pool id", func(c *jwtverify.Config) { c.UserPoolID = "local_4OSa3kzS" }, "invalid user pool id"},
		{"pool id without region", func(c *jwtverify.Config) { c.UserPoolID = "AbC123xYz" }, "invalid user pool id"},
		{"pool id with upper-case region", func(c *jwtverify.Config) { c.UserPoolID = "US-east-1_AbC123xYz" }, "invalid user pool id"},
		{"pool id with a path", func(c *jwtverify.Config) { c.UserPoolID = "us-east-1_AbC/../x" }, "invalid user pool id"},
		{"region mismatch", func(c *jwtverify.Config) { c.Region = "eu-west-1" }, "does not match"},
		{"region with issuer", func(c *jwtverify.Config) {
			c.UserPoolID, c.Region, c.Issuer = "", "us-east-1", "http://127.0.0.1:9229/"+poolID
		}, "Region needs UserPoolID"},
		{"issuer without scheme", func(c *jwtverify.Config) { c.UserPoolID, c.Issuer = "", "127.0.0.1:9229/"+poolID }, "Issuer"},
		{"issuer ftp", func(c *jwtverify.Config) { c.UserPoolID, c.Issuer = "", "ftp://h/"+poolID }, "absolute http(s) URL"},
		{"issuer with query", func(c *jwtverify.Config) { c.UserPoolID, c.Issuer = "", "http://h/p?x=1" }, "without query"},
		{"issuer trailing slash", func(c *jwtverify.Config) { c.UserPoolID, c.Issuer = "", "http://h/"+poolID+"/" }, "slash"},
		{"JWKS URL relative", func(c *jwtverify.Config) { c.JWKSURL = "/jwks.json" }, "JWKSURL"},
		{"no client ids", func(c *jwtverify.Config) { c.ClientIDs = nil }, "ClientIDs is required"},
		{"empty client id", func(c *jwtverify.Config) { c.ClientIDs = []string{""} }, "empty client id"},
		{"client ids and skip", func(c *jwtverify.Config) { c.SkipClientIDCheck = true }, "mutually exclusive"},
		{"no token use", func(c *jwtverify.Config) { c.TokenUse = "" }, "TokenUse must be"},
		{"token use refresh", func(c *jwtverify.Config) { c.TokenUse = "refresh" }, "TokenUse must be"},
		{"token use and skip", func(c *jwtverify.Config) { c.SkipTokenUseCheck = true }, "mutually exclusive"},
		{"scope with a space", func(c *jwtverify.Config) { c.RequiredScopes = []string{"a b"} }, "invalid scope"},
		{"empty scope", func(c *jwtverify.Config) { c.RequiredScopes = []string{""} }, "invalid scope"},
		{"scope with a quote", func(c *jwtverify.Config) { c.RequiredScopes = []string{`a"b`} }, "invalid scope"},
		{"empty group", func(c *jwtverify.Config) { c.RequiredGroups = []string{""} }, "empty group"},
		{"negative leeway", func(c *jwtverify.Config) { c.Leeway = -1 }, "negative Leeway"},
		{"negative penalty", func(c *jwtverify.Config) { c.PenaltyWindow = -1 }, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base()
			tt.mutate(&cfg)
			v, err := jwtverify.New(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New = %v, %v; want error containing %q", v, err, tt.wantErr)
			}
		})
	}
}

func TestConfigEndpoints(t *testing.T) {
	tests := []struct {
		name               string
		cfg                jwtverify.Config
		wantIssuer, wantJW string
	}{
		{
			name:       "real Cognito, region from pool id",
			cfg:        jwtverify.Config{UserPoolID: "eu-central-1_vTci8DPwj"},
			wantIssuer: "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_vTci8DPwj",
			wantJW:     "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_vTci8DPwj/.well-known/jwks.json",
		},
		{
			name:       "real Cognito, region given",
			cfg:        jwtverify.Config{Region: "eu-central-1", UserPoolID: "eu-central-1_vTci8DPwj"},
			wantIssuer: "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_vTci8DPwj",
			wantJW:     "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_vTci8DPwj/.well-known/jwks.json",
		},
		{
			name:       "GovCloud",
			cfg:        jwtverify.Config{UserPoolID: "us-gov-west-1_AbC123xYz"},
			wantIssuer: "https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_AbC123xYz",
			wantJW:     "https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_AbC123xYz/.well-known/jwks.json",
		},
		{
			name:       "locognito issuer",
			cfg:        jwtverify.Config{Issuer: "http://127.0.0.1:9229/" + poolID},
			wantIssuer: "http://127.0.0.1:9229/" + poolID,
			wantJW:     "http://127.0.0.1:9229/" + poolID + "/.well-known/jwks.json",
		},
		{
			name: "locognito in AWS-issuer mode, by issuer",
			cfg: jwtverify.Config{Issuer: "https://cognito-idp.us-east-1.amazonaws.com/" + poolID,
				JWKSURL: "http://127.0.0.1:9229/" + poolID + "/.well-known/jwks.json"},
			wantIssuer: "https://cognito-idp.us-east-1.amazonaws.com/" + poolID,
			wantJW:     "http://127.0.0.1:9229/" + poolID + "/.well-known/jwks.json",
		},
		{
			name:       "locognito in AWS-issuer mode, by pool id",
			cfg:        jwtverify.Config{UserPoolID: poolID, JWKSURL: "http://127.0.0.1:9229/" + poolID + "/.well-known/jwks.json"},
			wantIssuer: "https://cognito-idp.us-east-1.amazonaws.com/" + poolID,
			wantJW:     "http://127.0.0.1:9229/" + poolID + "/.well-known/jwks.json",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.SkipClientIDCheck, tt.cfg.SkipTokenUseCheck = true, true
			v, err := jwtverify.New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if v.Issuer() != tt.wantIssuer || v.JWKSURL() != tt.wantJW {
				t.Fatalf("issuer, JWKS = %q, %q; want %q, %q", v.Issuer(), v.JWKSURL(), tt.wantIssuer, tt.wantJW)
			}
		})
	}
}

// awsTransport maps one AWS URL to a local server and refuses everything
// else, so no test reaches the network.
type awsTransport struct {
	from string
	to   *url.URL
	hits atomic.Int64
}

func (a *awsTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.String() != a.from {
		return nil, fmt.Errorf("unexpected request to %s", r.URL)
	}
	a.hits.Add(1)
	r2 := r.Clone(r.Context())
	r2.URL.Scheme, r2.URL.Host = a.to.Scheme, a.to.Host
	r2.URL.Path = "/" + poolID + "/.well-known/jwks.json"
	r2.Host = ""
	return http.DefaultTransport.RoundTrip(r2)
}

// TestRealCognitoConfigWithoutNetwork configures a real Cognito pool by id
// and serves its JWKS locally through the HTTP client's transport.
func TestRealCognitoConfigWithoutNetwork(t *testing.T) {
	const pool = "eu-central-1_vTci8DPwj"
	const iss = "https://cognito-idp.eu-central-1.amazonaws.com/" + pool
	e := newEnv(t)
	to, _ := url.Parse(e.srv.URL)
	tr := &awsTransport{from: iss + "/.well-known/jwks.json", to: to}
	v, err := jwtverify.New(jwtverify.Config{
		UserPoolID: pool,
		ClientIDs:  []string{clientID},
		TokenUse:   jwtverify.TokenUseID,
		Now:        e.clock.Now,
		HTTPClient: &http.Client{Transport: tr},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := v.Verify(ctx, sign(keyID, kidID, idClaims(iss)))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c.Issuer != iss || c.Username != "janedoe" {
		t.Fatalf("claims = %+v", c)
	}
	// The locognito issuer of the same pool is another issuer.
	_, err = v.Verify(ctx, sign(keyID, kidID, idClaims(e.srv.issuer())))
	wantErr(t, err, jwtverify.ErrIssuer)
	if tr.hits.Load() != 1 || e.srv.hits.Load() != 1 {
		t.Fatalf("transport hits %d, server hits %d; want 1, 1", tr.hits.Load(), e.srv.hits.Load())
	}
}
