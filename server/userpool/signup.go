package userpool

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// User statuses locognito produces (spec §11.1).
const (
	StatusUnconfirmed         = "UNCONFIRMED"
	StatusConfirmed           = "CONFIRMED"
	StatusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	StatusResetRequired       = "RESET_REQUIRED"
)

// usernameRE is Cognito's UsernameType pattern (spec §2).
var usernameRE = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)

const maxUsernameLen = 128

// CheckUsername applies Cognito's length and pattern to a username as given.
func CheckUsername(username string) error {
	if n := utf8.RuneCountInString(username); n < 1 || n > maxUsernameLen {
		return exception.Newf(exception.InvalidParameter,
			"1 validation error detected: Value '%s' at 'username' failed to satisfy constraint: Member must have length less than or equal to %d",
			username, maxUsernameLen)
	}
	if !usernameRE.MatchString(username) {
		return exception.Newf(exception.InvalidParameter,
			`1 validation error detected: Value '%s' at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+`,
			username)
	}
	return nil
}

// newUserSpec describes a user about to be created.
type newUserSpec struct {
	Username   string
	Attributes []UserAttribute
	Mode       writeMode
	Client     *storage.Client // public writes: its WriteAttributes apply
	Sub        string          // fixed sub (seeds); empty = random
}

// newUser builds (but does not store) a user: username rules, the
// attribute write, required attributes. In UsernameAttributes pools the
// given name must be an email or phone number; it becomes that attribute
// and the internal username is the sub (spec §2).
func (s *Service) newUser(p storage.Pool, spec newUserSpec) (storage.User, error) {
	if err := CheckUsername(spec.Username); err != nil {
		return storage.User{}, err
	}
	if err := validateAttributes(p, spec.Client, spec.Attributes, spec.Mode); err != nil {
		return storage.User{}, err
	}
	sub := spec.Sub
	if sub == "" {
		sub = ids.UUID()
	}
	username, attrs := spec.Username, spec.Attributes
	if len(p.UsernameAttrs) > 0 {
		attr := usernameAttribute(p, spec.Username)
		if attr == "" {
			return storage.User{}, exception.New(exception.InvalidParameter, "Username should be either an email or a phone number.")
		}
		sa, _ := schemaAttribute(p, attr)
		if err := checkAttributeValue(sa, spec.Username); err != nil {
			return storage.User{}, err
		}
		// The sign-in name is the attribute's value; one passed in
		// UserAttributes as well gives way to it.
		attrs = slices.DeleteFunc(slices.Clone(attrs), func(a UserAttribute) bool { return a.Name == attr })
		attrs = append(attrs, UserAttribute{Name: attr, Value: spec.Username})
		username = sub
	} else {
		if slices.Contains(p.AliasAttrs, "email") && strings.Contains(username, "@") && looksLikeEmail(username) {
			return storage.User{}, exception.New(exception.InvalidParameter,
				"Username cannot be of email format, since user pool is configured for email alias.")
		}
		if slices.Contains(p.AliasAttrs, "phone_number") && looksLikePhone(username) {
			return storage.User{}, exception.New(exception.InvalidParameter,
				"Username cannot be of phone number format, since user pool is configured for phone number alias.")
		}
	}
	now := s.Clock.Now()
	u := storage.User{
		PoolID: p.ID, Username: username, UsernameKey: UsernameKey(p, username), Sub: sub,
		Enabled: true, CreatedAt: now, LastModifiedAt: now,
	}
	applyAttributes(&u, attrs, spec.Mode)
	u.Attributes["sub"] = sub
	if err := checkRequired(p, u); err != nil {
		return storage.User{}, err
	}
	return u, nil
}

// usernameAttribute is the UsernameAttributes attribute a sign-in name is.
func usernameAttribute(p storage.Pool, name string) string {
	if slices.Contains(p.UsernameAttrs, "email") && strings.Contains(name, "@") {
		return "email"
	}
	if slices.Contains(p.UsernameAttrs, "phone_number") && strings.HasPrefix(name, "+") {
		return "phone_number"
	}
	return ""
}

// checkNewUserFree refuses a user whose username or sign-in values are
// taken. existsMsg is the action's UsernameExistsException message. It
// returns the aliases ForceAliasCreation takes from other users.
func (s *Service) checkNewUserFree(ctx context.Context, p storage.Pool, u storage.User, existsMsg string, force bool) ([]clash, error) {
	_, err := s.Store.GetUser(ctx, p.ID, u.UsernameKey)
	if err == nil {
		return nil, exception.New(exception.UsernameExists, existsMsg)
	}
	if !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("get user: %w", err)
	}
	clashes, err := s.signInClashes(ctx, p, u, identifyingAttrs)
	if err != nil {
		return nil, err
	}
	return resolveClashes(p, clashes, true, force)
}

// createUser stores u, mapping a lost race on the username to
// UsernameExistsException.
func (s *Service) createUser(ctx context.Context, u storage.User, existsMsg string) error {
	err := s.Store.CreateUser(ctx, u)
	if errors.Is(err, storage.ErrAlreadyExists) {
		return exception.New(exception.UsernameExists, existsMsg)
	}
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// SignUpInput is SignUp's request.
type SignUpInput struct {
	ClientID   string
	SecretHash string
	Username   string
	Password   string
	Attributes []UserAttribute
}

// SignUpOutput is SignUp's response. Delivery is set only when the code
// went to an auto-verified contact.
type SignUpOutput struct {
	UserConfirmed bool
	UserSub       string
	Delivery      *CodeDelivery
}

const signUpExists = "User already exists"

// SignUp registers an UNCONFIRMED user and sends a confirmation code
// (spec §7.1).
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (SignUpOutput, error) {
	p, c, err := s.PoolAndClient(ctx, in.ClientID)
	if err != nil {
		return SignUpOutput{}, err
	}
	if err := CheckSecretHash(c, in.Username, in.SecretHash); err != nil {
		return SignUpOutput{}, err
	}
	if p.AdminCreateOnly {
		return SignUpOutput{}, exception.New(exception.NotAuthorized, "SignUp is not permitted for this user pool")
	}
	u, err := s.newUser(p, newUserSpec{Username: in.Username, Attributes: in.Attributes, Mode: writeSignUp, Client: &c})
	if err != nil {
		return SignUpOutput{}, err
	}
	if err := CheckPasswordPolicy(p.PasswordPolicy, in.Password); err != nil {
		return SignUpOutput{}, err
	}
	if _, err := s.checkNewUserFree(ctx, p, u, signUpExists, false); err != nil {
		return SignUpOutput{}, err
	}
	if err := s.SetPassword(p, &u, in.Password); err != nil {
		return SignUpOutput{}, err
	}
	u.Status = StatusUnconfirmed
	code := s.newCode()
	setCode(&u, purposeSignUp, code, s.Clock.Now(), signUpCodeTTL)
	if err := s.createUser(ctx, u, signUpExists); err != nil {
		return SignUpOutput{}, err
	}
	out := SignUpOutput{UserSub: u.Sub}
	to, auto := signUpContact(p, u)
	if auto {
		out.Delivery = delivery(to)
	} else {
		to = anyContact(u)
	}
	if err := s.send(ctx, p, u, KindConfirmationCode, to, code); err != nil {
		return SignUpOutput{}, err
	}
	return out, nil
}
