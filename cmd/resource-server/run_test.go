package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"
)

// TestRunServesUntilCancelled runs the program as main does: it prints where
// it listens and what it accepts, serves, and stops cleanly on cancel.
func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := &logBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"--listen-addr", "127.0.0.1:0"}, envOf(map[string]string{
			"COGNITO_ISSUER": "http://127.0.0.1:9/us-east-1_LocalDev1", "COGNITO_CLIENT_IDS": "web,m2m",
		}), stdout, io.Discard)
	}()
	addr := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)
	deadline := time.Now().Add(10 * time.Second)
	var m []string
	for m == nil {
		if time.Now().After(deadline) {
			t.Fatalf("no banner: %q", stdout.String())
		}
		select {
		case err := <-done:
			t.Fatalf("Run returned early: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
		m = addr.FindStringSubmatch(stdout.String())
	}
	for _, want := range []string{"issuer:     http://127.0.0.1:9/us-east-1_LocalDev1", "client ids: [web m2m]", "browser sign-in off"} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(stdout.String()) {
			t.Errorf("banner lacks %q:\n%s", want, stdout.String())
		}
	}
	resp, err := http.Get("http://" + m[1] + "/notes")
	must(t, "GET /notes", err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /notes without a token: %d, want 401", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestRunRefusesBadSettings(t *testing.T) {
	err := Run(context.Background(), nil, envOf(map[string]string{
		"COGNITO_USER_POOL_ID": "not-a-pool", "COGNITO_CLIENT_IDS": "x",
	}), io.Discard, io.Discard)
	var ue *UsageError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want a usage error (exit 2)", err)
	}
}
