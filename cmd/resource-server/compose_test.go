package main

import (
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/locognito/locognito/server/seed"
)

const repoRoot = "../.."

// TestComposeService checks the resource-server service of
// docker-compose.yml without Docker: its environment parses, the image has
// the binary, and its settings agree with the locognito service and the
// seed it runs with (issuer, JWKS and token URLs, client id, secret,
// callback and sign-out URLs).
func TestComposeService(t *testing.T) {
	var c struct {
		Services map[string]struct {
			Build       string            `yaml:"build"`
			Entrypoint  []string          `yaml:"entrypoint"`
			Environment map[string]string `yaml:"environment"`
			Ports       []string          `yaml:"ports"`
			DependsOn   map[string]any    `yaml:"depends_on"`
		} `yaml:"services"`
	}
	must(t, "docker-compose.yml", yaml.Unmarshal([]byte(readRepoFile(t, "docker-compose.yml")), &c))
	rs, ok := c.Services["resource-server"]
	if !ok {
		t.Fatal("no resource-server service")
	}
	lg := c.Services["locognito"]
	if _, ok := rs.DependsOn["locognito"]; !ok {
		t.Error("resource-server does not depend on locognito")
	}

	// The image built from the Dockerfile has the binary the entrypoint runs.
	df := readRepoFile(t, "Dockerfile")
	if rs.Build != "." || !reflect.DeepEqual(rs.Entrypoint, []string{"/usr/local/bin/resource-server"}) ||
		!strings.Contains(df, "./cmd/resource-server") || !strings.Contains(df, "/out/resource-server /usr/local/bin/resource-server") {
		t.Errorf("resource-server build %q entrypoint %v: the Dockerfile must build and copy cmd/resource-server", rs.Build, rs.Entrypoint)
	}

	known := map[string]bool{}
	for _, v := range envNames {
		known[v] = true
	}
	for k := range rs.Environment {
		if !known[k] {
			t.Errorf("environment %s is not a resource-server setting", k)
		}
	}
	cfg, err := ParseConfig(nil, envOf(rs.Environment), io.Discard)
	must(t, "the compose environment does not parse", err)
	if _, err := New(cfg, nil, nil); err != nil {
		t.Fatalf("New: %v", err)
	}
	host, port, _ := net.SplitHostPort(cfg.ListenAddr)
	if host != "0.0.0.0" {
		t.Errorf("LISTEN_ADDR %s: inside a container the listener must not be loopback", cfg.ListenAddr)
	}
	if len(rs.Ports) != 1 || !strings.HasSuffix(rs.Ports[0], ":"+port+":"+port) {
		t.Errorf("ports %v do not publish %s", rs.Ports, port)
	}
	if u, _ := url.Parse(cfg.AppURL); u == nil || u.Port() != port {
		t.Errorf("APP_URL %s is not on the published port %s", cfg.AppURL, port)
	}

	// Browsers and token issuers see locognito's public URL; the container
	// reaches it by service name on its listen port.
	public := lg.Environment["LOCOGNITO_PUBLIC_URL"]
	_, lgPort, _ := net.SplitHostPort(lg.Environment["LOCOGNITO_ADDR"])
	internal := "http://locognito:" + lgPort
	s, err := seed.Load(filepath.Join(repoRoot, "testdata", "seed.yaml"))
	must(t, "seed", err)
	pool := s.Pools[0]
	for name, got := range map[string][2]string{
		"COGNITO_ISSUER":    {cfg.Issuer, public + "/" + pool.ID},
		"COGNITO_DOMAIN":    {cfg.Domain, public},
		"COGNITO_JWKS_URL":  {cfg.JWKSURL, internal + "/" + pool.ID + "/.well-known/jwks.json"},
		"COGNITO_TOKEN_URL": {cfg.TokenURL, internal + "/oauth2/token"},
	} {
		if got[0] != got[1] {
			t.Errorf("%s = %q, want %q", name, got[0], got[1])
		}
	}

	clients := map[string]seed.Client{}
	for _, cl := range pool.Clients {
		clients[cl.ID] = cl
	}
	for _, id := range cfg.ClientIDs {
		if _, ok := clients[id]; !ok {
			t.Errorf("COGNITO_CLIENT_IDS names %s, which the seed does not create", id)
		}
	}
	web, ok := clients[cfg.ClientID]
	if !ok {
		t.Fatalf("COGNITO_CLIENT_ID %s is not a seed client", cfg.ClientID)
	}
	if web.Secret != cfg.ClientSecret {
		t.Error("COGNITO_CLIENT_SECRET is not the seed client's secret")
	}
	if !contains(web.CallbackURLs, cfg.AppURL+callbackPath) || !contains(web.LogoutURLs, cfg.AppURL+"/") {
		t.Errorf("seed client %s registers callbacks %v and sign-out URLs %v; the demo uses %s and %s/",
			web.ID, web.CallbackURLs, web.LogoutURLs, cfg.AppURL+callbackPath, cfg.AppURL)
	}
}

// TestReadmeDocumentsEveryVariable keeps the README's table of the demo's
// settings in step with the flags.
func TestReadmeDocumentsEveryVariable(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	for flagName, env := range envNames {
		row := "| `--" + flagName + "` | `" + env + "` |"
		if !strings.Contains(readme, row) {
			t.Errorf("README has no row starting %s", row)
		}
	}
}

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, name))
	must(t, "read "+name, err)
	return string(b)
}
