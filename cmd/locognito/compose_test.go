package main

import (
	"flag"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/locognito/locognito/server/seed"
)

// Docker is not available where the tests run, so these tests check what
// can go wrong in docker-compose.yml and the Dockerfile without it: YAML
// syntax, env names the program knows, values it accepts, and that the
// wiring between the services agrees.

const repoRoot = "../.."

type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       string            `yaml:"build"`
		Entrypoint  []string          `yaml:"entrypoint"` // the resource-server service runs the image's second binary
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
		Volumes     []string          `yaml:"volumes"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck *struct {
			Test     []string `yaml:"test"`
			Interval string   `yaml:"interval"`
			Timeout  string   `yaml:"timeout"`
			Retries  int      `yaml:"retries"`
		} `yaml:"healthcheck"`
		Restart string `yaml:"restart"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

func TestDockerCompose(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true) // a misspelt compose key fails here
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}

	pg, ok := c.Services["postgres"]
	if !ok || pg.Image != "postgres:15" || pg.Healthcheck == nil {
		t.Fatalf("postgres service = %+v, want image postgres:15 with a healthcheck", pg)
	}
	app, ok := c.Services["locognito"]
	if !ok {
		t.Fatal("no locognito service")
	}
	if app.Build != "." {
		t.Errorf("locognito build = %q, want the repository's Dockerfile", app.Build)
	}
	if app.DependsOn["postgres"].Condition != "service_healthy" {
		t.Errorf("locognito does not wait for a healthy postgres")
	}

	// Every variable is one the program reads, and together they parse.
	known := map[string]bool{}
	newFlagSet(&Config{}, io.Discard).VisitAll(func(f *flag.Flag) { known[envName(f.Name)] = true })
	for k := range app.Environment {
		if !known[k] {
			t.Errorf("environment %s is not a locognito setting", k)
		}
	}
	cfg, err := ParseConfig(nil, envOf(app.Environment), io.Discard)
	if err != nil {
		t.Fatalf("the compose environment does not parse: %v", err)
	}
	if host, _, _ := net.SplitHostPort(cfg.Addr); host != "0.0.0.0" {
		t.Errorf("LOCOGNITO_ADDR %s: inside a container the listener must not be loopback", cfg.Addr)
	}

	// The database URL reaches the postgres service with its credentials.
	u, err := url.Parse(cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	pass, _ := u.User.Password()
	if u.Hostname() != "postgres" || u.User.Username() != pg.Environment["POSTGRES_USER"] ||
		pass != pg.Environment["POSTGRES_PASSWORD"] || strings.TrimPrefix(u.Path, "/") != pg.Environment["POSTGRES_DB"] {
		t.Errorf("LOCOGNITO_DATABASE_URL does not match the postgres service's user, password and database")
	}

	// The seed is mounted where LOCOGNITO_CONFIG points, and is valid.
	mounted := false
	for _, v := range app.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) >= 2 && parts[1] == cfg.SeedFile {
			mounted = true
			if _, err := seed.Load(filepath.Join(repoRoot, parts[0])); err != nil {
				t.Errorf("mounted seed %s: %v", parts[0], err)
			}
		}
	}
	if !mounted {
		t.Errorf("LOCOGNITO_CONFIG %s is not a mounted file", cfg.SeedFile)
	}

	// The published port is the one locognito listens on.
	_, port, _ := net.SplitHostPort(cfg.Addr)
	if len(app.Ports) != 1 || !strings.HasSuffix(app.Ports[0], ":"+port+":"+port) {
		t.Errorf("ports %v do not publish %s", app.Ports, port)
	}
	if pu, _ := url.Parse(cfg.PublicURL); pu == nil || pu.Port() != port {
		t.Errorf("LOCOGNITO_PUBLIC_URL %s does not use the published port %s", cfg.PublicURL, port)
	}
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	for _, want := range []string{
		"FROM golang:1.26 AS build",
		"CGO_ENABLED=0 go build",
		"./cmd/locognito",
		"FROM gcr.io/distroless/static",
		"ENV LOCOGNITO_ADDR=0.0.0.0:9229",
		"EXPOSE 9229",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	// The image's default environment parses.
	for _, line := range strings.Split(df, "\n") {
		if kv, ok := strings.CutPrefix(line, "ENV "); ok {
			k, v, _ := strings.Cut(kv, "=")
			if _, err := ParseConfig(nil, envOf(map[string]string{k: v}), io.Discard); err != nil {
				t.Errorf("Dockerfile %s: %v", line, err)
			}
		}
	}
}
