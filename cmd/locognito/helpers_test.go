package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/locognito/locognito/server/servertest"
)

// examplePath is the example seed of the README.
const examplePath = "../../testdata/seed.yaml"

// syncBuffer is a bytes.Buffer safe for the server's goroutines to write
// while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// running is a started Program with its output.
type running struct {
	*Program
	stdout, logs *syncBuffer
	client       *cip.Client
}

// startProgram starts the real program on 127.0.0.1:0 with bcrypt cost 4
// and the given extra flags, and stops it when the test ends.
func startProgram(t *testing.T, args ...string) *running {
	t.Helper()
	cfg, err := ParseConfig(append([]string{"--addr", "127.0.0.1:0", "--bcrypt-cost", "4", "--log-level", "debug"}, args...),
		envOf(nil), io.Discard)
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	r := &running{stdout: &syncBuffer{}, logs: &syncBuffer{}}
	r.Program = &Program{Config: cfg, Stdout: r.stdout, Log: slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if err := r.Start(context.Background()); err != nil {
		_ = r.Close()
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	waitHealthy(t, r.URL)
	r.client = servertest.NewClient(r.URL)
	return r
}

// waitHealthy polls GET /health until it answers 200.
func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/health not ready: %v", base, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// getJSON GETs url and decodes the JSON body into v, returning the status.
func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: decode: %v", url, err)
	}
	return resp.StatusCode
}

// withSearchPath points a Postgres URL at schema, so the program (which
// takes only a URL) uses a test's fresh schema.
func withSearchPath(t *testing.T, databaseURL, schema string) string {
	t.Helper()
	u, err := url.Parse(databaseURL)
	if err != nil {
		t.Fatalf("parse database url: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// jwtClaims decodes a JWT's payload without verifying it (the tests that
// verify signatures live with the token code).
func jwtClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %d parts", len(parts))
	}
	b, err := base64RawURL(parts[1])
	if err != nil {
		t.Fatalf("decode JWT payload: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(b, &claims); err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	return claims
}
