package userpool

import (
	"context"
	"fmt"
	"time"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// Lockout after failed sign-ins (spec §11.2): from the 5th consecutive
// failure a lock of 1 s that doubles with every further failure, capped at
// 15 min. Attempts during a lock are refused without counting, so they do
// not extend it. The count resets on a successful sign-in or after 15 quiet
// minutes.
const (
	lockoutThreshold = 5
	lockoutBase      = time.Second
	lockoutCap       = 15 * time.Minute
	lockoutQuiet     = 15 * time.Minute
)

var errPasswordAttemptsExceeded = exception.New(exception.NotAuthorized, "Password attempts exceeded")

// liveFailures is the failure count that still counts at now.
func liveFailures(u storage.User, now time.Time) int {
	if u.FailedAttempts > 0 && now.Sub(u.LastFailureAt) >= lockoutQuiet {
		return 0
	}
	return u.FailedAttempts
}

// lockDuration is how long n consecutive failures lock the user.
func lockDuration(n int) time.Duration {
	if n < lockoutThreshold {
		return 0
	}
	shift := n - lockoutThreshold
	if shift >= 10 { // 2^10 s already exceeds the cap; also avoids overflow
		return lockoutCap
	}
	return min(lockoutBase<<shift, lockoutCap)
}

// checkLockout refuses a sign-in attempt while the user is locked.
func (s *Service) checkLockout(u storage.User) error {
	if s.DisableLockout {
		return nil
	}
	now := s.Clock.Now()
	n := liveFailures(u, now)
	if d := lockDuration(n); d > 0 && now.Before(u.LastFailureAt.Add(d)) {
		return errPasswordAttemptsExceeded
	}
	return nil
}

// recordFailure counts a wrong password against the user.
func (s *Service) recordFailure(ctx context.Context, u storage.User) error {
	if s.DisableLockout {
		return nil
	}
	now := s.Clock.Now()
	err := s.Store.UpdateUser(ctx, u.PoolID, u.UsernameKey, func(u *storage.User) error {
		u.FailedAttempts = liveFailures(*u, now) + 1
		u.LastFailureAt = now
		return nil
	})
	if err != nil {
		return fmt.Errorf("record failed sign-in: %w", err)
	}
	return nil
}

// resetFailures clears the count after a successful password check.
func (s *Service) resetFailures(ctx context.Context, u storage.User) error {
	if u.FailedAttempts == 0 {
		return nil
	}
	err := s.Store.UpdateUser(ctx, u.PoolID, u.UsernameKey, func(u *storage.User) error {
		if u.FailedAttempts == 0 {
			return storage.ErrNoChange
		}
		u.FailedAttempts, u.LastFailureAt = 0, time.Time{}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reset failed sign-ins: %w", err)
	}
	return nil
}
