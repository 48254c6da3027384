package userpool

import (
	"context"
	"fmt"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// Outbox message kinds (storage.Message.Kind).
const (
	KindConfirmationCode  = "confirmation_code"
	KindResetCode         = "reset_code"
	KindVerificationCode  = "verification_code"
	KindTemporaryPassword = "temporary_password"
)

// send files what Cognito would have e-mailed or texted in the outbox
// (spec §7.2: locognito sends nothing; tests and the dev endpoint read it).
// The log line names the event and, for codes, the code itself, so that a
// developer running locognito by hand can confirm a sign-up from the log;
// temporary passwords are never logged, only filed.
func (s *Service) send(ctx context.Context, p storage.Pool, u storage.User, kind string, to contact, secret string) error {
	err := s.Store.AddMessage(ctx, storage.Message{
		PoolID: p.ID, Username: u.Username, Kind: kind,
		Destination: to.Dest, Medium: to.Medium, Attribute: to.Attr,
		Code: secret, CreatedAt: s.Clock.Now(),
	})
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	attrs := []any{"pool_id", p.ID, "username", u.Username, "kind", kind, "medium", to.Medium}
	if kind != KindTemporaryPassword {
		attrs = append(attrs, "code", secret)
	}
	s.log().InfoContext(ctx, "outbox message", attrs...)
	return nil
}

// Messages returns the outbox of the pool, oldest first: all of it when
// username is empty, else the user's messages. username may be anything
// the user signs in with (an alias, the e-mail of an e-mail-as-username
// pool); a user deleted since keeps their messages under the name given.
func (s *Service) Messages(ctx context.Context, poolID, username string) ([]storage.Message, error) {
	p, err := s.Pool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if username != "" {
		u, err := s.FindUser(ctx, p, username)
		switch {
		case err == nil:
			username = u.Username
		case !exception.Is(err, exception.UserNotFound):
			return nil, err
		}
	}
	msgs, err := s.Store.ListMessages(ctx, p.ID, username)
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	return msgs, nil
}
