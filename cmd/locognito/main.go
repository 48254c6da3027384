// Command locognito runs a local Amazon Cognito user-pool emulator: the
// cognito-idp JSON API, OAuth2/OIDC endpoints and the hosted UI on one port.
//
//	go run ./cmd/locognito                      # 127.0.0.1:9229, in memory
//	go run ./cmd/locognito --config seed.yaml   # with pools, clients and users
//
// Every flag has a LOCOGNITO_* environment fallback; see --help.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/locognito/locognito/internal/flagenv"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal starts the graceful shutdown, restore the
	// default handling so that a second Ctrl-C ends the process at once.
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := flagenv.ExitCode("locognito", Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr), os.Stderr)
	stop()
	os.Exit(code)
}
