// Command resource-server is a demo notes API that accepts Amazon Cognito
// access tokens, verified with jwtverify, and signs browsers in through the
// hosted UI. The same binary runs against real Cognito and against
// locognito; only its settings change.
//
//	# against `go run ./cmd/locognito --config testdata/seed.yaml`
//	COGNITO_ISSUER=http://127.0.0.1:9229/us-east-1_LocalDev1 \
//	COGNITO_CLIENT_IDS=2example23web4client5local,3example23m2m4client5local \
//	go run ./cmd/resource-server
//
// Every flag has an environment variable; see --help and the README.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal ends the process at once
	}()
	err := Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	var usage *UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "resource-server:", err)
		fmt.Fprintln(os.Stderr, "Run 'resource-server --help' for the list of flags.")
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "resource-server:", err)
		os.Exit(1)
	}
}
