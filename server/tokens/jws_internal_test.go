package tokens

import "testing"

// OIDC Core's example: the access token and the at_hash of the ID token
// issued with it (spec §14.2).
func TestAtHashOIDCVector(t *testing.T) {
	if got, want := atHash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"), "77QmUPtjPfzWtF2AnpK9RQ"; got != want {
		t.Fatalf("atHash = %q, want %q", got, want)
	}
}
