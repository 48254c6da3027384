package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Run parses the configuration, serves the App until ctx ends (SIGINT or
// SIGTERM in main), then lets in-flight requests finish for up to 10 s.
// Logs go to stderr, the startup summary to stdout.
func Run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	cfg, err := ParseConfig(args, env, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	app, err := New(cfg, nil, log)
	if err != nil {
		return &UsageError{Err: err}
	}
	l, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr, err)
	}
	srv := &http.Server{
		Handler:           app.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(l) }()
	app.printBanner(stdout, l.Addr().String())

	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// printBanner says what the server accepts, so a wrong issuer or JWKS URL
// is visible at start rather than as 401s later. No secret is printed.
func (a *App) printBanner(w io.Writer, addr string) {
	fmt.Fprintf(w, "resource-server listening on %s\n", addr)
	fmt.Fprintf(w, "  issuer:     %s\n", a.verifier.Issuer())
	fmt.Fprintf(w, "  jwks:       %s\n", a.verifier.JWKSURL())
	fmt.Fprintf(w, "  client ids: %v\n", a.cfg.acceptedClients())
	if a.oauth != nil {
		fmt.Fprintf(w, "  sign in:    %s/login (hosted UI %s, client %s)\n", a.cfg.AppURL, a.cfg.Domain, a.cfg.ClientID)
	} else {
		fmt.Fprintln(w, "  browser sign-in off (set COGNITO_DOMAIN and COGNITO_CLIENT_ID)")
	}
}
