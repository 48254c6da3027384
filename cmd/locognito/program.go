package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/locognito/locognito/server"
	"github.com/locognito/locognito/server/seed"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
)

// shutdownTimeout bounds how long in-flight requests may finish on exit.
const shutdownTimeout = 10 * time.Second

// Program is one locognito process: storage, server, seed and listener.
// main runs it through Run; end-to-end tests start it directly on
// 127.0.0.1:0 and read URL.
type Program struct {
	Config Config
	// Stdout receives the startup banner (endpoints, pools, clients).
	Stdout io.Writer
	Log    *slog.Logger

	// Set by Start.
	Store  storage.Storage
	Server *server.Server
	URL    string   // public base URL, without trailing slash
	Addr   net.Addr // bound address

	http     *http.Server
	serveErr chan error
	stopBg   context.CancelFunc
	bg       sync.WaitGroup
	closed   sync.Once
}

// Run parses the configuration, starts the program and serves until ctx is
// cancelled (SIGINT/SIGTERM in main) or the listener fails, then shuts down.
// Logs go to stderr, the startup banner to stdout.
func Run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	cfg, err := ParseConfig(args, env, stderr)
	if err != nil {
		return err
	}
	p := &Program{Config: cfg, Stdout: stdout, Log: newLogger(cfg, stderr)}
	if err := p.Start(ctx); err != nil {
		return errors.Join(err, p.Close())
	}
	select {
	case <-ctx.Done():
		p.Log.Info("shutting down")
	case err = <-p.serveErr:
		p.Log.Error("server failed", "err", err)
	}
	if closeErr := p.Close(); closeErr != nil {
		return errors.Join(err, closeErr)
	}
	p.Log.Info("stopped")
	return err
}

// newLogger builds the process logger from the log flags.
func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Start opens storage, listens, applies the seed, ensures every pool has
// signing keys and serves in the background. On error the caller still
// calls Close to release what was opened.
func (p *Program) Start(ctx context.Context) error {
	if p.Log == nil {
		p.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: p.Config.LogLevel}))
	}
	if p.Stdout == nil {
		p.Stdout = io.Discard
	}
	cfg := p.Config

	// The seed is read before anything is opened so that a typo fails fast.
	var seedFile *seed.File
	if cfg.SeedFile != "" {
		f, err := seed.Load(cfg.SeedFile)
		if err != nil {
			return err
		}
		seedFile = f
	}

	store, err := openStore(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	p.Store = store

	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	p.Addr = l.Addr()
	p.URL = cfg.PublicURL
	if p.URL == "" {
		p.URL = listenURL(p.Addr)
	}

	srv, err := server.New(ctx, server.Config{
		PublicURL:        p.URL,
		IssuerMode:       cfg.IssuerMode,
		Region:           cfg.Region,
		FixedCode:        cfg.FixedCode,
		BcryptCost:       cfg.BcryptCost,
		KeyRotation:      cfg.KeyRotation,
		KeyPublishDelay:  cfg.KeyPublishDelay,
		AllowUnsigned:    cfg.AllowUnsigned,
		DisableLockout:   cfg.DisableLockout,
		SRPTimestampSkew: cfg.SRPTimestampSkew,
		Log:              p.Log,
	}, store)
	if err != nil {
		_ = l.Close()
		return fmt.Errorf("configure server: %w", err)
	}
	p.Server = srv

	if seedFile != nil {
		res, err := seed.Apply(ctx, srv.Pools, seedFile)
		if err != nil {
			_ = l.Close()
			return fmt.Errorf("apply seed %s: %w", cfg.SeedFile, err)
		}
		p.Log.Info("seed applied", "file", cfg.SeedFile, "pools", res.Pools, "clients", res.Clients,
			"users", res.Users, "changed", res.Changed)
	}
	if err := p.ensureKeys(ctx); err != nil {
		_ = l.Close()
		return err
	}

	bgCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	p.stopBg = stop
	p.startKeyRotation(bgCtx)
	p.startJanitor(bgCtx)

	p.http = &http.Server{
		Handler:           logRequests(p.Log, srv.Handler()),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(p.Log.Handler(), slog.LevelWarn),
	}
	p.serveErr = make(chan error, 1)
	go func() {
		if err := p.http.Serve(l); !errors.Is(err, http.ErrServerClosed) {
			p.serveErr <- err
		}
	}()
	p.Log.Info("locognito listening", "addr", p.Addr.String(), "url", p.URL,
		"storage", storageName(cfg.DatabaseURL), "issuer_mode", cfg.IssuerMode)
	return p.printBanner(ctx)
}

// ensureKeys gives every pool its signing keys, so JWKS is ready before the
// first request (pools created through the API get theirs on creation).
func (p *Program) ensureKeys(ctx context.Context) error {
	pools, err := p.Store.ListPools(ctx)
	if err != nil {
		return fmt.Errorf("list pools: %w", err)
	}
	for _, pool := range pools {
		if err := p.Server.Keys.Ensure(ctx, pool.ID); err != nil {
			return fmt.Errorf("signing keys of pool %s: %w", pool.ID, err)
		}
	}
	return nil
}

// Close stops serving (letting in-flight requests finish within
// shutdownTimeout), stops background work and closes storage. It is safe to
// call more than once and after a failed Start.
func (p *Program) Close() error {
	var errs []error
	p.closed.Do(func() {
		if p.http != nil {
			ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
			defer cancel()
			if err := p.http.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("shutdown: %w", err))
			}
		}
		if p.stopBg != nil {
			p.stopBg()
		}
		p.bg.Wait()
		if p.Store != nil {
			if err := p.Store.Close(); err != nil {
				errs = append(errs, fmt.Errorf("close storage: %w", err))
			}
		}
	})
	return errors.Join(errs...)
}

// openStore returns memory storage for an empty URL, Postgres otherwise.
func openStore(ctx context.Context, databaseURL string) (storage.Storage, error) {
	if databaseURL == "" {
		return memory.New(), nil
	}
	s, err := openPostgres(ctx, databaseURL)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return s, nil
}

func storageName(databaseURL string) string {
	if databaseURL == "" {
		return "memory"
	}
	return "postgres"
}
