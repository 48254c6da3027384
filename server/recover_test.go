package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRecoverPanics(t *testing.T) {
	var logs bytes.Buffer
	h := recoverPanics(slog.New(slog.NewTextHandler(&logs, nil)), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom at a secret place")
	}))
	ts := httptest.NewServer(h)
	defer ts.Close()

	for _, tt := range []struct {
		name     string
		target   string
		wantBody map[string]string
	}{
		{"JSON API", "AWSCognitoIdentityProviderService.SignUp", map[string]string{"__type": "InternalErrorException", "message": "Internal server error."}},
		{"OAuth endpoint", "", map[string]string{"error": "server_error"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/", strings.NewReader("{}"))
			if tt.target != "" {
				req.Header.Set("X-Amz-Target", tt.target)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("request failed instead of a 500: %v", err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			var got map[string]string
			if resp.StatusCode != http.StatusInternalServerError || json.Unmarshal(body, &got) != nil {
				t.Fatalf("status %d body %s", resp.StatusCode, body)
			}
			for k, v := range tt.wantBody {
				if got[k] != v {
					t.Errorf("%s = %q, want %q (body %s)", k, got[k], v, body)
				}
			}
			if strings.Contains(string(body), "boom") || strings.Contains(string(body), "goroutine") {
				t.Errorf("panic detail leaked to the client: %s", body)
			}
		})
	}
	if !strings.Contains(logs.String(), "boom at a secret place") || !strings.Contains(logs.String(), "stack=") {
		t.Errorf("panic not logged with its stack: %s", logs.String())
	}
}
