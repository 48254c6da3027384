package userpool

import (
	"crypto/subtle"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/bcrypt"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// passwordSymbols are the characters Cognito counts as symbols (spec §11.2);
// an inner space counts too.
const passwordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// CheckPasswordPolicy returns InvalidPasswordException naming the first rule
// the password breaks, in Cognito's order: length, upper, lower, digit, symbol.
func CheckPasswordPolicy(pp storage.PasswordPolicy, password string) error {
	if len(password) > 256 || strings.TrimSpace(password) != password {
		return exception.New(exception.InvalidParameter,
			"1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$")
	}
	var upper, lower, digit, symbol bool
	for _, r := range password {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(passwordSymbols, r):
			symbol = true
		case unicode.IsSpace(r):
			// other whitespace counts for nothing
		}
	}
	fail := func(rule string) error {
		return exception.New(exception.InvalidPassword, "Password did not conform with policy: "+rule)
	}
	switch {
	case len([]rune(password)) < max(pp.MinimumLength, 6):
		return fail("Password not long enough")
	case pp.RequireUppercase && !upper:
		return fail("Password must have uppercase characters")
	case pp.RequireLowercase && !lower:
		return fail("Password must have lowercase characters")
	case pp.RequireNumbers && !digit:
		return fail("Password must have numeric characters")
	case pp.RequireSymbols && !symbol:
		return fail("Password must have symbol characters")
	}
	return nil
}

// hashPassword returns the bcrypt hash at the service's cost.
func (s *Service) hashPassword(password string) ([]byte, error) {
	cost := s.BcryptCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return nil, fmt.Errorf("bcrypt: %w", err)
	}
	return h, nil
}

// SetPassword stores a new password on u: bcrypt hash (and, for SRP, a fresh
// salt and verifier). The caller checks the policy first.
func (s *Service) SetPassword(p storage.Pool, u *storage.User, password string) error {
	h, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	return s.setSRPVerifier(p, u, password)
}

// setSRPVerifier is replaced when SRP lands; until then no verifier is kept.
var setSRPVerifierHook func(p storage.Pool, u *storage.User, password string) error

func (s *Service) setSRPVerifier(p storage.Pool, u *storage.User, password string) error {
	if setSRPVerifierHook == nil {
		return nil
	}
	return setSRPVerifierHook(p, u, password)
}

// PasswordMatches compares password with u's bcrypt hash.
func PasswordMatches(u storage.User, password string) bool {
	return len(u.PasswordHash) > 0 && bcrypt.CompareHashAndPassword(u.PasswordHash, []byte(password)) == nil
}

// constantTimeEqual compares two strings without leaking where they differ.
func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
