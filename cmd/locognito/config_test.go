package main

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// envOf returns an env lookup over m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseConfigDefaults(t *testing.T) {
	cfg, err := ParseConfig(nil, envOf(nil), io.Discard)
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	want := Config{
		Addr: "127.0.0.1:9229", IssuerMode: "local", Region: "us-east-1", BcryptCost: 10,
		SRPTimestampSkew: 5 * time.Minute, LogLevel: slog.LevelInfo, LogFormat: "text",
	}
	if cfg != want {
		t.Errorf("defaults = %+v\nwant       %+v", cfg, want)
	}
}

func TestParseConfigPrecedence(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		want func(Config) bool
	}{
		{"env fills in", nil, map[string]string{"LOCOGNITO_ADDR": "0.0.0.0:1234"},
			func(c Config) bool { return c.Addr == "0.0.0.0:1234" }},
		{"flag beats env", []string{"--addr", "127.0.0.1:1"}, map[string]string{"LOCOGNITO_ADDR": "0.0.0.0:1234"},
			func(c Config) bool { return c.Addr == "127.0.0.1:1" }},
		{"flag equal sign", []string{"--region=eu-west-1"}, nil,
			func(c Config) bool { return c.Region == "eu-west-1" }},
		{"database url from env", nil, map[string]string{"LOCOGNITO_DATABASE_URL": "postgres://u@h:5432/db"},
			func(c Config) bool { return c.DatabaseURL == "postgres://u@h:5432/db" }},
		{"seed file", []string{"--config", "seed.yaml"}, nil,
			func(c Config) bool { return c.SeedFile == "seed.yaml" }},
		{"seed file from env", nil, map[string]string{"LOCOGNITO_CONFIG": "s.yaml"},
			func(c Config) bool { return c.SeedFile == "s.yaml" }},
		{"public url trailing slash dropped", []string{"--public-url", "http://localhost:9229/"}, nil,
			func(c Config) bool { return c.PublicURL == "http://localhost:9229" }},
		{"issuer mode aws", nil, map[string]string{"LOCOGNITO_ISSUER_MODE": "aws"},
			func(c Config) bool { return c.IssuerMode == "aws" }},
		{"durations", []string{"--key-rotation", "24h"}, map[string]string{"LOCOGNITO_KEY_PUBLISH_DELAY": "5m"},
			func(c Config) bool { return c.KeyRotation == 24*time.Hour && c.KeyPublishDelay == 5*time.Minute }},
		{"bools from env", nil, map[string]string{"LOCOGNITO_ALLOW_UNSIGNED": "true", "LOCOGNITO_DISABLE_LOCKOUT": "1"},
			func(c Config) bool { return c.AllowUnsigned && c.DisableLockout }},
		{"bool flag beats env", []string{"--allow-unsigned=false"}, map[string]string{"LOCOGNITO_ALLOW_UNSIGNED": "true"},
			func(c Config) bool { return !c.AllowUnsigned }},
		{"srp timestamp skew from env", nil, map[string]string{"LOCOGNITO_SRP_TIMESTAMP_SKEW": "90s"},
			func(c Config) bool { return c.SRPTimestampSkew == 90*time.Second }},
		{"bcrypt cost", nil, map[string]string{"LOCOGNITO_BCRYPT_COST": "4"},
			func(c Config) bool { return c.BcryptCost == 4 }},
		{"fixed code", []string{"--fixed-code", "123456"}, nil,
			func(c Config) bool { return c.FixedCode == "123456" }},
		{"log settings", []string{"--log-level", "debug"}, map[string]string{"LOCOGNITO_LOG_FORMAT": "json"},
			func(c Config) bool { return c.LogLevel == slog.LevelDebug && c.LogFormat == "json" }},
		{"empty env is unset", nil, map[string]string{"LOCOGNITO_REGION": ""},
			func(c Config) bool { return c.Region == "us-east-1" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig(tt.args, envOf(tt.env), io.Discard)
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			if !tt.want(cfg) {
				t.Errorf("config = %+v", cfg)
			}
		})
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"unknown flag", []string{"--nope"}, nil, "flag provided but not defined: -nope"},
		{"positional argument", []string{"serve"}, nil, `unexpected argument "serve"`},
		{"bad addr", []string{"--addr", "9229"}, nil, `invalid --addr "9229"`},
		{"bad port", []string{"--addr", "127.0.0.1:99999"}, nil, "bad port"},
		{"bad issuer mode", []string{"--issuer-mode", "cognito"}, nil, `invalid --issuer-mode "cognito": want local or aws`},
		{"bad issuer mode from env", nil, map[string]string{"LOCOGNITO_ISSUER_MODE": "x"}, `invalid --issuer-mode "x"`},
		{"bad region", []string{"--region", "mars"}, nil, `invalid --region "mars"`},
		{"bad duration", []string{"--key-rotation", "daily"}, nil, `invalid value "daily" for flag -key-rotation`},
		{"bad duration from env", nil, map[string]string{"LOCOGNITO_KEY_ROTATION": "daily"}, `invalid value "daily" for LOCOGNITO_KEY_ROTATION`},
		{"negative rotation", []string{"--key-rotation", "-1h"}, nil, "must not be negative"},
		{"bcrypt cost too low", []string{"--bcrypt-cost", "3"}, nil, "invalid --bcrypt-cost 3: want 4-31"},
		{"bool from env", nil, map[string]string{"LOCOGNITO_DISABLE_LOCKOUT": "yes"}, `invalid value "yes" for LOCOGNITO_DISABLE_LOCKOUT`},
		{"bad log level", []string{"--log-level", "verbose"}, nil, `invalid value "verbose" for flag -log-level`},
		{"bad log format", nil, map[string]string{"LOCOGNITO_LOG_FORMAT": "xml"}, `invalid --log-format "xml"`},
		{"relative public url", []string{"--public-url", "localhost:9229"}, nil, "invalid --public-url"},
		{"public url with query", []string{"--public-url", "http://localhost/?a=b"}, nil, "invalid --public-url"},
		{"database url scheme", []string{"--database-url", "mysql://u:hunter2@h/db"}, nil, "invalid --database-url"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig(tt.args, envOf(tt.env), io.Discard)
			var usage *UsageError
			if !errors.As(err, &usage) {
				t.Fatalf("ParseConfig error = %v, want a *UsageError", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %q, want it to contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows the database password", err)
			}
		})
	}
}

func TestParseConfigHelp(t *testing.T) {
	var out strings.Builder
	_, err := ParseConfig([]string{"--help"}, envOf(nil), &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("error = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"-addr", "LOCOGNITO_ADDR", "-database-url", "LOCOGNITO_KEY_ROTATION", "-issuer-mode"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, out.String())
		}
	}
}

func TestListenURL(t *testing.T) {
	for _, tt := range []struct{ addr, want string }{
		{"127.0.0.1:9229", "http://127.0.0.1:9229"},
		{"0.0.0.0:9229", "http://127.0.0.1:9229"},
		{"[::]:9229", "http://127.0.0.1:9229"},
		{"[::1]:9229", "http://[::1]:9229"},
		{"192.168.1.5:80", "http://192.168.1.5:80"},
	} {
		if got := listenURL(fakeAddr(tt.addr)); got != tt.want {
			t.Errorf("listenURL(%s) = %s, want %s", tt.addr, got, tt.want)
		}
	}
}

type fakeAddr string

func (a fakeAddr) Network() string { return "tcp" }
func (a fakeAddr) String() string  { return string(a) }
