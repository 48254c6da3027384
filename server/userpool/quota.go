package userpool

import (
	"context"
	"time"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// Hourly per-user quotas of the code and password actions (spec §11.2). Real
// Cognito documents ranges for some; these are the values locognito uses.
var hourlyQuota = map[string]int{
	"ResendConfirmationCode":           5,
	"ConfirmSignUp":                    15,
	"ChangePassword":                   5,
	"ConfirmForgotPassword":            5,
	"GetUserAttributeVerificationCode": 5,
	"VerifyUserAttribute":              15,
}

// errLimitExceeded is Cognito's answer once a quota is used up.
var errLimitExceeded = exception.New(exception.LimitExceeded, "Attempt limit exceeded, please try after some time.")

// takeQuota records one call of action on u at now, or returns
// LimitExceededException when the last hour already holds the action's
// quota. A refused call is not recorded, so the window is a rolling hour
// from the calls that were let through. It runs inside an UpdateUser
// callback: the caller persists u.
func takeQuota(u *storage.User, action string, now time.Time) error {
	limit, ok := hourlyQuota[action]
	if !ok {
		return nil
	}
	if u.Quota == nil {
		u.Quota = map[string][]time.Time{}
	}
	recent := u.Quota[action][:0:0]
	for _, t := range u.Quota[action] {
		if now.Sub(t) < time.Hour {
			recent = append(recent, t)
		}
	}
	if len(recent) >= limit {
		u.Quota[action] = recent
		return errLimitExceeded
	}
	u.Quota[action] = append(recent, now)
	return nil
}

// countedUpdate runs fn on the user in one UpdateUser, after taking one call
// of action's hourly quota. fn's error is a refusal (a wrong code, a wrong
// status): it is returned only once the update is stored, so a refused call
// still counts against the quota. fn must therefore refuse before it changes
// anything. An over-quota call stores nothing. op names the update in
// internal errors (updateUserErr).
func (s *Service) countedUpdate(ctx context.Context, p storage.Pool, u storage.User, now time.Time, action, op string, fn func(x *storage.User) error) error {
	var refused error
	err := s.Store.UpdateUser(ctx, p.ID, u.UsernameKey, func(x *storage.User) error {
		refused = nil // the storage contract does not promise one run of the callback
		if err := takeQuota(x, action, now); err != nil {
			return err
		}
		refused = fn(x)
		return nil
	})
	if err := updateUserErr(op, err); err != nil {
		return err
	}
	return refused
}
