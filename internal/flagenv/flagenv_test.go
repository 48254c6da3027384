package flagenv

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	envName := func(f string) string { return "T_" + strings.ToUpper(f) }
	for _, tt := range []struct {
		name      string
		args      []string
		env       map[string]string
		wantAddr  string
		wantDelay time.Duration
		wantErr   string // substring of a *UsageError; "help" for flag.ErrHelp
	}{
		{name: "defaults", wantAddr: "a", wantDelay: time.Second},
		{name: "env fills unset flags", env: map[string]string{"T_ADDR": "b", "T_DELAY": "2s"}, wantAddr: "b", wantDelay: 2 * time.Second},
		{name: "flag beats env", args: []string{"-addr", "c"}, env: map[string]string{"T_ADDR": "b"}, wantAddr: "c", wantDelay: time.Second},
		{name: "empty env is unset", env: map[string]string{"T_ADDR": ""}, wantAddr: "a", wantDelay: time.Second},
		{name: "bad env value", env: map[string]string{"T_DELAY": "soon"}, wantErr: `invalid value "soon" for T_DELAY`},
		{name: "bad flag", args: []string{"-nope"}, wantErr: "flag provided but not defined"},
		{name: "stray argument", args: []string{"x"}, wantErr: `unexpected argument "x"`},
		{name: "help", args: []string{"-h"}, wantErr: "help"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			addr := fs.String("addr", "a", "")
			delay := fs.Duration("delay", time.Second, "")
			err := Parse(fs, tt.args, func(k string) string { return tt.env[k] }, envName)
			var usage *UsageError
			switch {
			case tt.wantErr == "help":
				if !errors.Is(err, flag.ErrHelp) {
					t.Fatalf("err = %v, want flag.ErrHelp", err)
				}
			case tt.wantErr != "":
				if !errors.As(err, &usage) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want a UsageError containing %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case *addr != tt.wantAddr || *delay != tt.wantDelay:
				t.Errorf("addr %q delay %v, want %q %v", *addr, *delay, tt.wantAddr, tt.wantDelay)
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	for _, tt := range []struct {
		name       string
		err        error
		want       int
		wantStderr string
	}{
		{"success", nil, 0, ""},
		{"help", flag.ErrHelp, 0, ""},
		{"usage", Usagef("bad --addr"), 2, "prog: bad --addr\nRun 'prog --help' for the list of flags.\n"},
		{"wrapped usage", fmt.Errorf("start: %w", Usagef("bad")), 2, "prog: start: bad\nRun 'prog --help' for the list of flags.\n"},
		{"failure", errors.New("listen: in use"), 1, "prog: listen: in use\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			if got := ExitCode("prog", tt.err, &stderr); got != tt.want || stderr.String() != tt.wantStderr {
				t.Errorf("ExitCode = %d, stderr %q; want %d, %q", got, stderr.String(), tt.want, tt.wantStderr)
			}
		})
	}
}
