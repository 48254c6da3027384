package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/oauth/oauthtest"
	"github.com/locognito/locognito/server/servertest"
)

// The admin user the fixture adds next to oauthtest's jane (who is in no
// group).
const (
	adminUser     = "root"
	adminPassword = "Adm1nPassw0rd!"
)

// demo is a running locognito (oauthtest's pool: a public web client, a
// client_credentials machine client with notes/read and notes/write, user
// jane) plus the demo resource server on httptest, configured the way the
// README configures it for locognito, with the browser side signing in
// through a confidential code client registered for the demo's URL.
type demo struct {
	*oauthtest.Fixture
	URL string // the demo's base URL (APP_URL)
	App *App
	// NotesWeb is the demo's browser-side client: confidential, code
	// flow, callback URL/auth/callback, sign-out URL URL/.
	NotesWeb oauthtest.Client
	// JWKSFetches counts the demo's requests for the pool's JWKS.
	JWKSFetches atomic.Int64
	Logs        *logBuffer
}

func startDemo(t *testing.T, opts ...servertest.Option) *demo {
	t.Helper()
	d := &demo{Fixture: oauthtest.New(t, opts...), Logs: &logBuffer{}}
	ctx := context.Background()
	api := d.TS.Client

	_, err := api.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(d.PoolID), GroupName: aws.String(groupAdmin)})
	must(t, "CreateGroup", err)
	d.CreateUser(t, adminUser, adminPassword, "root@example.com")
	_, err = api.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{
		UserPoolId: aws.String(d.PoolID), Username: aws.String(adminUser), GroupName: aws.String(groupAdmin),
	})
	must(t, "AdminAddUserToGroup", err)

	// The demo's URL must be known before its client is registered, and
	// the client before the demo is configured: listen first.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, "listen", err)
	d.URL = "http://" + l.Addr().String()
	d.NotesWeb = d.CreateClient(t, "notes-web", true, []types.OAuthFlowType{types.OAuthFlowTypeCode},
		[]string{"openid", "email", "profile", scopeUser, scopeRead, scopeWrite},
		[]string{d.URL + callbackPath}, func(in *cip.CreateUserPoolClientInput) {
			in.LogoutURLs = []string{d.URL + "/"}
		})

	cfg, err := ParseConfig(nil, envOf(map[string]string{
		"LISTEN_ADDR":           l.Addr().String(),
		"COGNITO_ISSUER":        d.Issuer(),
		"COGNITO_CLIENT_IDS":    d.Web.ID + "," + d.Machine.ID,
		"COGNITO_DOMAIN":        d.TS.URL,
		"COGNITO_CLIENT_ID":     d.NotesWeb.ID,
		"COGNITO_CLIENT_SECRET": d.NotesWeb.Secret,
		"APP_URL":               d.URL,
	}), io.Discard)
	must(t, "ParseConfig", err)
	cfg.Now = d.TS.Clock.Now // tokens carry the fake clock's times
	client := &http.Client{Transport: countJWKS{next: http.DefaultTransport, n: &d.JWKSFetches}}
	d.App, err = New(cfg, client, slog.New(slog.NewTextHandler(d.Logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	must(t, "New", err)
	hs := &httptest.Server{Listener: l, Config: &http.Server{Handler: d.App.Handler()}}
	hs.Start()
	t.Cleanup(hs.Close)
	return d
}

// countJWKS counts requests for a JWKS on their way out.
type countJWKS struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (c countJWKS) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/.well-known/jwks.json") {
		c.n.Add(1)
	}
	return c.next.RoundTrip(r)
}

// logBuffer collects the demo's logs; the server's goroutines write while
// the test may read.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *logBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *logBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// signIn signs a user in through the API with USER_PASSWORD_AUTH on the
// fixture's public web client.
func (d *demo) signIn(t *testing.T, username, password string) *types.AuthenticationResultType {
	t.Helper()
	out, err := d.TS.Client.InitiateAuth(context.Background(), &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		ClientId: aws.String(d.Web.ID),
		AuthParameters: map[string]string{
			"USERNAME": username, "PASSWORD": password,
		},
	})
	must(t, "InitiateAuth", err)
	if out.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth: no tokens (challenge %s)", out.ChallengeName)
	}
	return out.AuthenticationResult
}

// machineToken gets a client_credentials access token of the machine
// client for scope, as a worker would: POST /oauth2/token with Basic auth.
func (d *demo) machineToken(t *testing.T, scope string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, d.TS.URL+"/oauth2/token", strings.NewReader(url.Values{
		"grant_type": {"client_credentials"}, "scope": {scope},
	}.Encode()))
	must(t, "request", err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(d.Machine.ID, d.Machine.Secret)
	resp, err := http.DefaultClient.Do(req)
	must(t, "POST /oauth2/token", err)
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || out.AccessToken == "" {
		t.Fatalf("client_credentials %s: status %d, err %v", scope, resp.StatusCode, err)
	}
	return out.AccessToken
}

// response is an API answer with its body read.
type response struct {
	Status int
	Header http.Header
	Body   string
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// call sends a request to the demo with an optional bearer token.
func (d *demo) call(t *testing.T, method, path, token, body string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, d.URL+path, rd)
	must(t, "request", err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, http.DefaultClient, req)
}

func do(t *testing.T, c *http.Client, req *http.Request) response {
	t.Helper()
	resp, err := c.Do(req)
	must(t, req.Method+" "+req.URL.Path, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, "read body", err)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// wantStatus fails unless r has the status and, when challenge is not
// empty, a WWW-Authenticate header containing it.
func wantStatus(t *testing.T, what string, r response, status int, challenge string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.Status, status, r.Body)
	}
	if challenge != "" && !strings.Contains(r.Header.Get("WWW-Authenticate"), challenge) {
		t.Fatalf("%s: WWW-Authenticate %q, want it to contain %q", what, r.Header.Get("WWW-Authenticate"), challenge)
	}
}

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func must(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
