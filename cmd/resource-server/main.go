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
	"os"
	"os/signal"
	"syscall"

	"github.com/locognito/locognito/internal/flagenv"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal ends the process at once
	}()
	code := flagenv.ExitCode("resource-server", Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr), os.Stderr)
	stop()
	os.Exit(code)
}
