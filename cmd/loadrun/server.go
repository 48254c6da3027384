package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/locognito/locognito/server"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
	"github.com/locognito/locognito/storage/postgres"
)

// inProcess is a locognito served from this process on 127.0.0.1:0, with
// production settings: the real clock, the given bcrypt cost (10 by
// default), lockout on and SigV4-signed admin calls. Unlike cmd/locognito it
// writes no per-request log line; only warnings and errors reach stderr.
type inProcess struct {
	URL     string
	Storage string
	store   storage.Storage
	http    *http.Server
	served  chan error
}

func startServer(ctx context.Context, databaseURL string, bcryptCost int) (*inProcess, error) {
	p := &inProcess{Storage: "memory"}
	if databaseURL == "" {
		p.store = memory.New()
	} else {
		s, err := postgres.Open(ctx, databaseURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		p.store, p.Storage = s, "postgres"
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = p.store.Close()
		return nil, fmt.Errorf("listen: %w", err)
	}
	p.URL = "http://" + l.Addr().String()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := server.New(ctx, server.Config{PublicURL: p.URL, BcryptCost: bcryptCost, Log: log}, p.store)
	if err != nil {
		_ = l.Close()
		_ = p.store.Close()
		return nil, fmt.Errorf("configure server: %w", err)
	}
	p.http = &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	p.served = make(chan error, 1)
	go func() { p.served <- p.http.Serve(l) }()
	return p, nil
}

// Close stops serving and closes storage.
func (p *inProcess) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	errShutdown := p.http.Shutdown(ctx)
	if err := <-p.served; !errors.Is(err, http.ErrServerClosed) {
		errShutdown = errors.Join(errShutdown, err)
	}
	return errors.Join(errShutdown, p.store.Close())
}
