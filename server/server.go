package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/server/cognitoapi"
	"github.com/locognito/locognito/server/discovery"
	"github.com/locognito/locognito/server/hostedui"
	"github.com/locognito/locognito/server/oauth"
	"github.com/locognito/locognito/server/tokens"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// Issuer modes (spec §3).
const (
	IssuerLocal = "local" // iss = <PublicURL>/<poolId>
	IssuerAWS   = "aws"   // iss = https://cognito-idp.<region>.amazonaws.com/<poolId>
)

// Config is everything New needs besides storage.
type Config struct {
	// PublicURL is the base URL clients use, without a trailing slash
	// (issuers, discovery, hosted-UI links).
	PublicURL  string
	IssuerMode string // IssuerLocal (default) or IssuerAWS
	Region     string // for new pool ids; default us-east-1
	FixedCode  string
	BcryptCost int
	// KeyRotation is the scheduled rotation interval; 0 = off.
	KeyRotation time.Duration
	// KeyPublishDelay is how long a new key is published before it signs.
	KeyPublishDelay time.Duration
	AllowUnsigned   bool
	DisableLockout  bool
	// SRPTimestampSkew bounds PASSWORD_VERIFIER's TIMESTAMP (default 5 min).
	SRPTimestampSkew time.Duration
	Log              *slog.Logger
	Clock            clock.Clock
}

// Server is the assembled application.
type Server struct {
	Config Config
	Store  storage.Storage
	Keys   *keys.Manager
	Tokens *tokens.Issuer
	Pools  *userpool.Service
	API    *cognitoapi.API
	OAuth  *oauth.Provider
	router *mux.Router
}

// New wires a Server on store.
func New(ctx context.Context, cfg Config, store storage.Storage) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.IssuerMode == "" {
		cfg.IssuerMode = IssuerLocal
	}
	if cfg.IssuerMode != IssuerLocal && cfg.IssuerMode != IssuerAWS {
		return nil, fmt.Errorf("server: unknown issuer mode %q", cfg.IssuerMode)
	}
	if cfg.BcryptCost == 0 {
		cfg.BcryptCost = 10
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	s := &Server{Config: cfg, Store: store}
	// New starts nothing in the background: scheduled rotation runs only
	// when the caller (cmd) starts s.Keys.Run.
	s.Keys = &keys.Manager{
		Store: store, Clock: cfg.Clock, Log: cfg.Log,
		PublishDelay: cfg.KeyPublishDelay, Interval: cfg.KeyRotation,
	}
	s.Tokens = &tokens.Issuer{Store: store, Keys: s.Keys, Clock: cfg.Clock, IssuerURL: s.IssuerURL}
	s.Pools = &userpool.Service{
		Store: store, Tokens: s.Tokens, Keys: s.Keys, Clock: cfg.Clock, Log: cfg.Log,
		Region: cfg.Region, BcryptCost: cfg.BcryptCost, FixedCode: cfg.FixedCode,
		DisableLockout: cfg.DisableLockout, SRPTimestampSkew: cfg.SRPTimestampSkew,
	}
	s.API = cognitoapi.New(s.Pools, cfg.Log)
	s.API.AllowUnsigned = cfg.AllowUnsigned

	r := mux.NewRouter()
	s.API.Mount(r)
	(&Health{Store: store, Log: cfg.Log}).Mount(r)
	(&DevMessages{Pools: s.Pools, Log: cfg.Log}).Mount(r)
	(&DevKeys{Store: store, Keys: s.Keys, DefaultDelay: cfg.KeyPublishDelay, Log: cfg.Log}).Mount(r)
	(&discovery.Handler{Store: store, Keys: s.Keys, PublicURL: cfg.PublicURL, IssuerURL: s.IssuerURL, Log: cfg.Log}).Mount(r)
	s.OAuth = oauth.New(store, s.Pools, s.Tokens, cfg.Clock, cfg.Log)
	s.OAuth.Mount(r)
	(&hostedui.UI{
		OAuth: s.OAuth, Pools: s.Pools, Store: store, Clock: cfg.Clock, Log: cfg.Log,
		Secure: strings.HasPrefix(cfg.PublicURL, "https://"),
	}).Mount(r)
	s.router = r
	return s, nil
}

// Handler returns the root HTTP handler.
func (s *Server) Handler() http.Handler { return recoverPanics(s.Config.Log, s.router) }

// IssuerURL returns the "iss" of the pool's tokens.
func (s *Server) IssuerURL(poolID string) string {
	if s.Config.IssuerMode == IssuerAWS {
		region, _, _ := strings.Cut(poolID, "_")
		return "https://cognito-idp." + region + ".amazonaws.com/" + poolID
	}
	return s.Config.PublicURL + "/" + poolID
}
