package userpool

import (
	"testing"
	"time"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

func TestTakeQuotaRollingHour(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var u storage.User
	for i := range 5 {
		if err := takeQuota(&u, "ChangePassword", start.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if err := takeQuota(&u, "ChangePassword", start.Add(10*time.Minute)); !exception.Is(err, exception.LimitExceeded) {
		t.Fatalf("6th call: %v, want LimitExceeded", err)
	}
	// Other actions have their own quota.
	if err := takeQuota(&u, "VerifyUserAttribute", start.Add(10*time.Minute)); err != nil {
		t.Errorf("other action: %v", err)
	}
	// One hour after the first call, one slot is free again.
	if err := takeQuota(&u, "ChangePassword", start.Add(time.Hour)); err != nil {
		t.Errorf("after the first call left the window: %v", err)
	}
	if err := takeQuota(&u, "ChangePassword", start.Add(time.Hour)); !exception.Is(err, exception.LimitExceeded) {
		t.Errorf("the window is full again: %v", err)
	}
	if n := len(u.Quota["ChangePassword"]); n != 5 {
		t.Errorf("%d calls kept, want the 5 in the window", n)
	}
}
