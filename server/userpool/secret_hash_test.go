package userpool

import "testing"

// Vectors from spec §14.1, computed independently of this code.
func TestSecretHashVectors(t *testing.T) {
	const s2, c2 = "k3v9s0d2l5q8x1c4n7b0m3z6a9s2d5f8g1h4j7k0l3p6o9i2u5y8", "7k2mq9x4b1n8c3v6z0p5r2t7wy"
	tests := []struct{ secret, client, username, want string }{
		{"secret123", "1example23456789", "alice", "ZPWNNR8hNprrYD0cVewTv1CNnDuK6KgdJLAXQCHwsMQ="},
		{s2, c2, "janedoe", "fCaZ3aoDQnxMxvYMdf+VbDkT8S6X6fZY3KmRvEafw5Q="},
		{s2, c2, "jane@example.com", "bkmWIExF1r0A50MCg8IV1Kd9ocX4rzr/Lz53e2ZFFNg="},
		{s2, c2, "c00c29ac-d0f1-4015-9677-2050463f38a6", "Hx636XZoJSfcwF/c4R+zxokUXsK3KJ34xkh4iO3uYSA="},
	}
	for _, tt := range tests {
		if got := SecretHash(tt.secret, tt.username, tt.client); got != tt.want {
			t.Errorf("SecretHash(%q) = %q, want %q", tt.username, got, tt.want)
		}
	}
}
