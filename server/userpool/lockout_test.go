package userpool

import (
	"testing"
	"time"

	"github.com/locognito/locognito/storage"
)

func TestLockDuration(t *testing.T) {
	tests := []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {4, 0},
		{5, time.Second}, {6, 2 * time.Second}, {7, 4 * time.Second},
		{14, 512 * time.Second},
		{15, 15 * time.Minute}, // 1024 s is over the cap
		{40, 15 * time.Minute}, {1 << 30, 15 * time.Minute},
	}
	for _, tt := range tests {
		if got := lockDuration(tt.failures); got != tt.want {
			t.Errorf("lockDuration(%d) = %v, want %v", tt.failures, got, tt.want)
		}
	}
}

func TestLiveFailuresResetAfterQuiet(t *testing.T) {
	last := time.Date(2026, 3, 5, 7, 0, 0, 0, time.UTC)
	u := storage.User{FailedAttempts: 7, LastFailureAt: last}
	if got := liveFailures(u, last.Add(15*time.Minute-time.Second)); got != 7 {
		t.Errorf("14:59 after the last failure: %d failures count, want 7", got)
	}
	if got := liveFailures(u, last.Add(15*time.Minute)); got != 0 {
		t.Errorf("15 quiet minutes: %d failures count, want 0", got)
	}
}
