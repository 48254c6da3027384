package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runMainEnv makes the test binary run main() instead of the tests, so the
// tests below see the real exit codes and signal handling.
const runMainEnv = "GO_TEST_LOCOGNITO_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// mainCommand runs the program's main in a subprocess with args and a clean
// LOCOGNITO_* environment plus env.
func mainCommand(t *testing.T, args []string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, envPrefix) {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(append(cmd.Env, runMainEnv+"=1"), env...)
	return cmd
}

func TestMainExitCodes(t *testing.T) {
	for _, tt := range []struct {
		name       string
		args, env  []string
		wantCode   int
		wantStderr string
	}{
		{"bad flag value", []string{"--issuer-mode", "nope"}, nil, 2, `locognito: invalid --issuer-mode "nope"`},
		{"unknown flag", []string{"--frobnicate"}, nil, 2, "flag provided but not defined"},
		{"bad env value", nil, []string{"LOCOGNITO_BCRYPT_COST=lots"}, 2, `invalid value "lots" for LOCOGNITO_BCRYPT_COST`},
		{"help", []string{"--help"}, nil, 0, "LOCOGNITO_DATABASE_URL"},
		{"missing seed file", []string{"--addr", "127.0.0.1:0", "--config", "testdata/nope.yaml"}, nil, 1, "testdata/nope.yaml"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			cmd := mainCommand(t, tt.args, tt.env...)
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatalf("run: %v", err)
			}
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantStderr, stderr.String())
			}
		})
	}
}

func TestMainShutsDownOnSIGTERM(t *testing.T) {
	var stderr syncBuffer
	cmd := mainCommand(t, []string{"--bcrypt-cost", "4"}, "LOCOGNITO_ADDR=127.0.0.1:0")
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Scan()
		first <- sc.Text()
		for sc.Scan() { // drain the rest of the banner
		}
	}()
	var base string
	select {
	case line := <-first:
		rest, ok := strings.CutPrefix(line, "locognito is listening on ")
		if !ok {
			t.Fatalf("first stdout line = %q", line)
		}
		base, _, _ = strings.Cut(rest, " ")
	case <-time.After(20 * time.Second):
		t.Fatalf("no banner; stderr:\n%s", stderr.String())
	}
	waitHealthy(t, base)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit within 20s of SIGTERM")
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("stderr lacks the shutdown log:\n%s", stderr.String())
	}
}
