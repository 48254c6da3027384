package userpool

import (
	"context"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// ChangePassword replaces the signed-in user's password after checking the
// previous one; 5 calls an hour (spec §7.2, §11.2).
func (s *Service) ChangePassword(ctx context.Context, accessToken, previous, proposed string) error {
	p, u, _, err := s.UserFromAccessToken(ctx, accessToken)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	err = s.Store.UpdateUser(ctx, p.ID, u.UsernameKey, func(x *storage.User) error {
		return takeQuota(x, "ChangePassword", now)
	})
	if err := updateUserErr("change password", err); err != nil {
		return err
	}
	if !PasswordMatches(u, previous) {
		return exception.New(exception.NotAuthorized, "Incorrect username or password.")
	}
	if err := CheckPasswordPolicy(p.PasswordPolicy, proposed); err != nil {
		return err
	}
	fresh := u
	if err := s.SetPassword(p, &fresh, proposed); err != nil {
		return err
	}
	err = s.Store.UpdateUser(ctx, p.ID, u.UsernameKey, func(x *storage.User) error {
		if x.Sub != u.Sub {
			return errTokenRevoked
		}
		x.PasswordHash, x.SRPSalt, x.SRPVerifier = fresh.PasswordHash, fresh.SRPSalt, fresh.SRPVerifier
		x.LastModifiedAt = now
		return nil
	})
	return updateUserErr("change password", err)
}
