// Package oauthtest sets up a running locognito with a pool ready for the
// hosted UI and OAuth endpoints (resource server, app clients of every kind,
// a confirmed user), and drives a cookie-keeping browser through the hosted
// UI the way a person would: GET the form, read its CSRF token, POST it.
// Everything goes through the real HTTP surface and the AWS SDK.
package oauthtest

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/storage/postgres/pgtest"
)

// The fixture user's credentials.
const (
	Username = "jane"
	Password = "Passw0rd!"
	Email    = "jane@example.com"
)

// Client is an app client of the fixture.
type Client struct {
	ID     string
	Secret string
}

// Fixture is a running server with a pool configured for OAuth.
type Fixture struct {
	TS     *servertest.TestServer
	PoolID string
	// Web is public, code flow, PKCE optional, openid email phone profile
	// aws.cognito.signin.user.admin notes/read.
	Web Client
	// Other is a second public code client of the pool (SSO), with implicit
	// too and a different callback.
	Other Client
	// Server is confidential, code flow, openid email.
	Server Client
	// Machine is confidential, client_credentials, notes/read notes/write.
	Machine Client
	// Callback receives the hosted UI's redirects (for real browsers); its
	// URL is registered on every code client.
	Callback *Callback
	// OtherCallback is registered on Other only.
	OtherCallback string
	LogoutURL     string
}

// Issuer is the pool's issuer URL (discovery lives under it).
func (f *Fixture) Issuer() string { return f.TS.URL + "/" + f.PoolID }

// Backends runs fn once per storage backend: memory, and Postgres in a
// fresh schema (skipped locally without TEST_DATABASE_URL, failing under
// CI=true).
func Backends(t *testing.T, fn func(t *testing.T, opts ...servertest.Option)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) { fn(t) })
	t.Run("postgres", func(t *testing.T) { fn(t, servertest.WithStore(pgtest.Open(t))) })
}

// New starts a server and creates the fixture pool through the AWS SDK.
func New(t testing.TB, opts ...servertest.Option) *Fixture {
	t.Helper()
	ts := servertest.Start(t, opts...)
	ctx := context.Background()
	api := ts.Client
	f := &Fixture{TS: ts, Callback: NewCallback(t)}
	f.OtherCallback = "http://localhost:9/other"
	f.LogoutURL = "http://localhost:9/signed-out"

	pool, err := api.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName:               aws.String("hosted-ui"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
	})
	must(t, "CreateUserPool", err)
	f.PoolID = *pool.UserPool.Id

	_, err = api.CreateResourceServer(ctx, &cip.CreateResourceServerInput{
		UserPoolId: aws.String(f.PoolID), Identifier: aws.String("notes"), Name: aws.String("Notes API"),
		Scopes: []types.ResourceServerScopeType{
			{ScopeName: aws.String("read"), ScopeDescription: aws.String("Read notes")},
			{ScopeName: aws.String("write"), ScopeDescription: aws.String("Write notes")},
		},
	})
	must(t, "CreateResourceServer", err)

	code := []types.OAuthFlowType{types.OAuthFlowTypeCode}
	f.Web = f.createClient(t, "web", false, code,
		[]string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin", "notes/read"},
		[]string{f.Callback.URL})
	f.Other = f.createClient(t, "other", false, []types.OAuthFlowType{types.OAuthFlowTypeCode, types.OAuthFlowTypeImplicit},
		[]string{"openid", "email"}, []string{f.OtherCallback})
	f.Server = f.createClient(t, "server", true, code, []string{"openid", "email"}, []string{f.Callback.URL})
	f.Machine = f.createClient(t, "machine", true, []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		[]string{"notes/read", "notes/write"}, nil)

	f.CreateUser(t, Username, Password, Email)
	return f
}

func (f *Fixture) createClient(t testing.TB, name string, secret bool, flows []types.OAuthFlowType, scopes, callbacks []string) Client {
	t.Helper()
	return f.CreateClient(t, name, secret, flows, scopes, callbacks, nil)
}

// CreateClient adds an OAuth app client; edit, when set, adjusts the input
// before it is sent.
func (f *Fixture) CreateClient(t testing.TB, name string, secret bool, flows []types.OAuthFlowType, scopes, callbacks []string, edit func(*cip.CreateUserPoolClientInput)) Client {
	t.Helper()
	in := &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(f.PoolID), ClientName: aws.String(name),
		GenerateSecret:                  secret,
		AllowedOAuthFlowsUserPoolClient: true,
		AllowedOAuthFlows:               flows,
		AllowedOAuthScopes:              scopes,
		CallbackURLs:                    callbacks,
		SupportedIdentityProviders:      []string{"COGNITO"},
		ExplicitAuthFlows:               []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	}
	if len(callbacks) > 0 {
		in.LogoutURLs = []string{f.LogoutURL}
	}
	if edit != nil {
		edit(in)
	}
	out, err := f.TS.Client.CreateUserPoolClient(context.Background(), in)
	must(t, "CreateUserPoolClient "+name, err)
	return Client{ID: *out.UserPoolClient.ClientId, Secret: aws.ToString(out.UserPoolClient.ClientSecret)}
}

// CreateUser adds a CONFIRMED user with a permanent password and a verified
// email.
func (f *Fixture) CreateUser(t testing.TB, username, password, email string) {
	t.Helper()
	ctx := context.Background()
	_, err := f.TS.Client.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(f.PoolID), Username: aws.String(username),
		MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: aws.String(email)},
			{Name: aws.String("email_verified"), Value: aws.String("true")},
		},
	})
	must(t, "AdminCreateUser", err)
	_, err = f.TS.Client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(f.PoolID), Username: aws.String(username),
		Password: aws.String(password), Permanent: true,
	})
	must(t, "AdminSetUserPassword", err)
}

// AuthorizeURL is /oauth2/authorize with params.
func (f *Fixture) AuthorizeURL(params url.Values) string {
	return f.TS.URL + "/oauth2/authorize?" + params.Encode()
}

// CodeParams is a code-flow authorize query for c with the fixture callback.
func (f *Fixture) CodeParams(c Client, extra url.Values) url.Values {
	v := url.Values{
		"response_type": {"code"}, "client_id": {c.ID},
		"redirect_uri": {f.Callback.URL}, "state": {"st-" + c.ID[:6]},
	}
	for k, x := range extra {
		v[k] = x
	}
	return v
}

func must(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// Callback is a test HTTP server standing in for the app's redirect URI.
type Callback struct {
	URL string
	mu  sync.Mutex
	got []*url.URL
}

// NewCallback starts a callback server until the test ends.
func NewCallback(t testing.TB) *Callback {
	c := &Callback{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		u := *r.URL
		c.got = append(c.got, &u)
		c.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<!DOCTYPE html><title>Callback</title><p id=done>Signed in.</p>")
	}))
	t.Cleanup(srv.Close)
	c.URL = srv.URL + "/callback"
	return c
}

// Last returns the last request the callback received, or nil.
func (c *Callback) Last() *url.URL {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.got) == 0 {
		return nil
	}
	return c.got[len(c.got)-1]
}

// Browser is an HTTP client with cookies that does not follow redirects, so
// tests see every hop.
type Browser struct {
	HTTP *http.Client
	t    testing.TB
}

// NewBrowser returns a fresh browser (no cookies).
func NewBrowser(t testing.TB) *Browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Browser{t: t, HTTP: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Page is a fetched response with its body read.
type Page struct {
	Status   int
	Header   http.Header
	Body     string
	Location string
}

// Get fetches uri.
func (b *Browser) Get(uri string) Page {
	b.t.Helper()
	resp, err := b.HTTP.Get(uri)
	if err != nil {
		b.t.Fatalf("GET %s: %v", uri, err)
	}
	return read(b.t, resp)
}

// Post submits form to uri.
func (b *Browser) Post(uri string, form url.Values) Page {
	b.t.Helper()
	resp, err := b.HTTP.PostForm(uri, form)
	if err != nil {
		b.t.Fatalf("POST %s: %v", uri, err)
	}
	return read(b.t, resp)
}

func read(t testing.TB, resp *http.Response) Page {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return Page{Status: resp.StatusCode, Header: resp.Header, Body: string(body), Location: resp.Header.Get("Location")}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// CSRF returns the page's CSRF token.
func (p Page) CSRF(t testing.TB) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no _csrf field in page (status %d):\n%s", p.Status, p.Body)
	}
	return m[1]
}

// Resolve makes a Location absolute against base.
func Resolve(base, loc string) string {
	if strings.HasPrefix(loc, "/") {
		return base + loc
	}
	return loc
}

// OpenLogin follows an authorize URL to the login page and returns its URL
// and the page.
func (b *Browser) OpenLogin(base, authorizeURL string) (string, Page) {
	b.t.Helper()
	p := b.Get(authorizeURL)
	if p.Status != http.StatusFound || !strings.HasPrefix(p.Location, "/login?") {
		b.t.Fatalf("authorize: want 302 to /login, got %d Location %q\n%s", p.Status, p.Location, p.Body)
	}
	loginURL := base + p.Location
	page := b.Get(loginURL)
	if page.Status != http.StatusOK {
		b.t.Fatalf("GET /login: status %d\n%s", page.Status, page.Body)
	}
	return loginURL, page
}

// SignIn walks the hosted UI from authorizeURL with the credentials and
// returns the redirect to the client (its Location, parsed).
func (b *Browser) SignIn(base, authorizeURL, username, password string) *url.URL {
	b.t.Helper()
	loginURL, page := b.OpenLogin(base, authorizeURL)
	p := b.Post(loginURL, url.Values{
		"_csrf": {page.CSRF(b.t)}, "username": {username}, "password": {password},
		"signInSubmitButton": {"Sign in"},
	})
	if p.Status != http.StatusFound || !strings.HasPrefix(p.Location, "/oauth2/authorize?") {
		b.t.Fatalf("POST /login: want 302 to /oauth2/authorize, got %d Location %q\n%s", p.Status, p.Location, p.Body)
	}
	return b.Follow(base, p.Location)
}

// Follow GETs loc (relative to base) and returns the client redirect it
// answers with.
func (b *Browser) Follow(base, loc string) *url.URL {
	b.t.Helper()
	p := b.Get(Resolve(base, loc))
	if p.Status != http.StatusFound {
		b.t.Fatalf("GET %s: want 302, got %d\n%s", loc, p.Status, p.Body)
	}
	u, err := url.Parse(p.Location)
	if err != nil {
		b.t.Fatalf("parse Location %q: %v", p.Location, err)
	}
	return u
}
