// Command loadrun is a bounded load run against locognito on 127.0.0.1. It
// measures the hot paths (password sign-in, client credentials, access-token
// verification, JWKS, refresh, code exchange) for a fixed time and
// concurrency, measures in the same run the raw cryptography each path is
// bound by (bcrypt, RSA-2048 signing and verification), and prints both side
// by side with the ceiling the cryptography allows.
//
//	go run ./cmd/loadrun                                  # in-process server, memory
//	go run ./cmd/loadrun --database-url postgres://...    # in-process, Postgres
//	go run ./cmd/loadrun --target http://127.0.0.1:9229   # a running locognito
//
// It only ever talks to loopback addresses. It exits 1 when a scenario's
// error rate exceeds 1% or the setup fails, 2 on a bad flag.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

// maxErrorRate is the share of failed requests a scenario may have before
// the run counts as failed.
const maxErrorRate = 0.01

// settleTime is the pause between setup and measuring (shorter when the
// scenarios are).
const settleTime = 2 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command-line flags.
type options struct {
	Target      string
	DatabaseURL string
	Duration    time.Duration
	Concurrency int
	MaxRequests int
	Codes       int
	BcryptCost  int
	CryptoTime  time.Duration
	Scenarios   []string
	JSON        bool
	CPUProfile  string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var scenarios string
	fs := flag.NewFlagSet("loadrun", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Target, "target", "", "base URL of a running locognito (loopback only, e.g. http://127.0.0.1:9229); empty starts one in-process")
	fs.StringVar(&o.DatabaseURL, "database-url", "", "Postgres URL for the in-process server (loopback host only); empty keeps it in memory")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "how long each scenario runs")
	fs.IntVar(&o.Concurrency, "concurrency", 8, "requests in flight per scenario")
	fs.IntVar(&o.MaxRequests, "max-requests", 200000, "hard cap on requests per scenario")
	fs.IntVar(&o.Codes, "codes", 0, "authorization codes made (untimed) before the code-exchange scenario, which stops when they run out; 0 makes 1.25 × its crypto ceiling × --duration")
	fs.IntVar(&o.BcryptCost, "bcrypt-cost", 10, "bcrypt cost of the in-process server and of the measured bcrypt floor (with --target, give the target's)")
	fs.DurationVar(&o.CryptoTime, "crypto-time", time.Second, "how long each raw crypto measurement runs")
	fs.StringVar(&scenarios, "scenarios", strings.Join(scenarioIDs(), ","), "comma-separated scenarios to run")
	fs.BoolVar(&o.JSON, "json", false, "print the results as JSON")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of the scenarios (server and load generator) to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch {
	case o.Duration <= 0:
		return o, errors.New("--duration must be positive")
	case o.Concurrency < 1:
		return o, errors.New("--concurrency must be at least 1")
	case o.MaxRequests < 1:
		return o, errors.New("--max-requests must be at least 1")
	case o.Codes < 0:
		return o, errors.New("--codes must not be negative")
	case o.BcryptCost < 4 || o.BcryptCost > 31:
		return o, errors.New("--bcrypt-cost must be 4-31")
	case o.CryptoTime <= 0:
		return o, errors.New("--crypto-time must be positive")
	case o.Target != "" && o.DatabaseURL != "":
		return o, errors.New("--database-url is for the in-process server; it cannot go with --target")
	}
	if o.Target != "" {
		if err := checkLoopbackURL(o.Target); err != nil {
			return o, fmt.Errorf("--target: %w", err)
		}
		o.Target = strings.TrimRight(o.Target, "/")
	}
	if o.DatabaseURL != "" {
		if err := checkLoopbackDatabase(o.DatabaseURL); err != nil {
			return o, fmt.Errorf("--database-url: %w", err)
		}
	}
	for _, id := range strings.Split(scenarios, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		if !knownScenario(id) {
			return o, fmt.Errorf("--scenarios: unknown scenario %q (known: %s)", id, strings.Join(scenarioIDs(), ", "))
		}
		o.Scenarios = append(o.Scenarios, id)
	}
	if len(o.Scenarios) == 0 {
		return o, errors.New("--scenarios: none given")
	}
	return o, nil
}

// run is the program; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadrun:", err)
		return 2
	}
	rep, err := execute(ctx, o, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "loadrun:", err)
		return 1
	}
	if o.JSON {
		err = rep.writeJSON(stdout)
	} else {
		err = rep.writeTable(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadrun: write report:", err)
		return 1
	}
	if bad := rep.failed(); len(bad) > 0 {
		fmt.Fprintf(stderr, "loadrun: error rate above %.0f%% in: %s\n", maxErrorRate*100, strings.Join(bad, ", "))
		return 1
	}
	return 0
}

// execute starts or reaches the target, measures the crypto floor, sets up
// the pool and runs every scenario. Progress goes to progress.
func execute(ctx context.Context, o options, progress io.Writer) (*report, error) {
	rep := &report{
		Cores: cores(), Duration: o.Duration.String(), Concurrency: o.Concurrency,
		MaxRequests: o.MaxRequests, LoadBefore: loadavg(),
	}
	hc := newHTTPClient(o.Concurrency)
	defer hc.CloseIdleConnections()

	base := o.Target
	rep.Target, rep.Storage = base, "target's"
	if base == "" {
		t, err := startServer(ctx, o.DatabaseURL, o.BcryptCost)
		if err != nil {
			return nil, err
		}
		defer func() {
			if err := t.Close(); err != nil {
				fmt.Fprintln(progress, "loadrun: stop server:", err)
			}
		}()
		base = t.URL
		rep.Target, rep.Storage = "in-process "+t.URL, t.Storage
	}

	fmt.Fprintln(progress, "loadrun: creating a pool, clients and a user through the AWS SDK")
	env, err := setUp(ctx, base, hc)
	if err != nil {
		return nil, fmt.Errorf("set up pool: %w", err)
	}
	defer func() {
		if err := env.tearDown(context.WithoutCancel(ctx)); err != nil {
			fmt.Fprintln(progress, "loadrun: delete pool:", err)
		}
	}()
	// Creating the pool makes the server top up its buffer of spare RSA keys
	// in the background; let that finish before anything is measured.
	if err := sleep(ctx, min(settleTime, o.Duration)); err != nil {
		return nil, err
	}

	bench, err := newCryptoBench(o.BcryptCost)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(progress, "loadrun: measuring raw crypto (%s each)\n", o.CryptoTime)
	rep.Crypto = cryptoFloor{BcryptCost: o.BcryptCost}
	if rep.Crypto.Before, err = bench.measure(o.CryptoTime); err != nil {
		return nil, err
	}
	if o.Codes == 0 {
		o.Codes = enoughCodes(rep.Crypto.Before, rep.Cores, o.Duration)
	}

	stopProfile := func() {}
	if o.CPUProfile != "" {
		if stopProfile, err = startCPUProfile(o.CPUProfile); err != nil {
			return nil, err
		}
	}
	for _, sc := range selectScenarios(o.Scenarios) {
		if ctx.Err() != nil {
			stopProfile()
			return nil, ctx.Err()
		}
		fmt.Fprintf(progress, "loadrun: %s\n", sc.Name)
		rep.Scenarios = append(rep.Scenarios, runScenario(ctx, env, sc, o, o.Target == ""))
	}
	stopProfile()

	fmt.Fprintln(progress, "loadrun: measuring raw crypto again")
	if rep.Crypto.After, err = bench.measure(o.CryptoTime); err != nil {
		return nil, err
	}
	rep.LoadAfter = loadavg()
	rep.Crypto.cryptoCosts = rep.Crypto.Before.lower(rep.Crypto.After)
	for i := range rep.Scenarios {
		rep.Scenarios[i].applyFloor(rep.Crypto.cryptoCosts, rep.Cores)
	}
	return rep, nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// startCPUProfile profiles the process into path until the returned stop.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}, nil
}
