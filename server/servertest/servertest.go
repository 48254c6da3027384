// Package servertest starts a real locognito server on 127.0.0.1 for tests,
// with a fake clock and an AWS SDK client pointed at it, so API tests drive
// the same HTTP surface users do.
package servertest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/server"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
)

// Epoch is the fake clock's starting time in every test server.
var Epoch = time.Date(2026, 3, 5, 7, 8, 9, 0, time.UTC)

// TestServer is a running server plus what tests need to drive it.
type TestServer struct {
	URL    string
	Server *server.Server
	Store  storage.Storage
	Clock  *clock.Fake
	// Client is an AWS SDK client for cognito-idp pointed at URL.
	Client *cip.Client
	HTTP   *httptest.Server
}

// Option adjusts the config or store before the server starts.
type Option func(*options)

type options struct {
	cfg   server.Config
	store storage.Storage
}

// WithStore runs the server on store instead of a fresh memory store.
func WithStore(s storage.Storage) Option { return func(o *options) { o.store = s } }

// WithConfig edits the server config (PublicURL, Clock and Log are set by Start).
func WithConfig(f func(*server.Config)) Option { return func(o *options) { f(&o.cfg) } }

// Start runs a server until the test ends.
func Start(t testing.TB, opts ...Option) *TestServer {
	t.Helper()
	o := options{cfg: server.Config{BcryptCost: 4}}
	for _, f := range opts {
		f(&o)
	}
	if o.store == nil {
		o.store = memory.New()
	}
	clk := clock.NewFake(Epoch)
	if o.cfg.Clock == nil {
		o.cfg.Clock = clk
	} else if fc, ok := o.cfg.Clock.(*clock.Fake); ok {
		clk = fc
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	url := "http://" + l.Addr().String()
	o.cfg.PublicURL = url
	srv, err := server.New(context.Background(), o.cfg, o.store)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	hs := &httptest.Server{Listener: l, Config: &http.Server{Handler: srv.Handler()}}
	hs.Start()
	t.Cleanup(hs.Close)
	return &TestServer{
		URL: url, Server: srv, Store: o.store, Clock: clk, HTTP: hs,
		Client: NewClient(url),
	}
}

// NewClient returns an AWS SDK cognito-idp client for a locognito at url,
// configured exactly as a user would: a base endpoint and static credentials.
func NewClient(url string) *cip.Client {
	return cip.New(cip.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDLOCOGNITO", "secret", ""),
		RetryMaxAttempts: 1,
	})
}
