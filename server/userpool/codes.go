package userpool

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// Code purposes: keys of storage.User.Codes.
const (
	purposeSignUp = "signup"
	purposeForgot = "forgot"
)

// purposeVerify is the purpose of an attribute-verification code.
func purposeVerify(attr string) string { return "verify:" + attr }

// supersededSuffix keys the hashes of codes a newer code replaced, so that
// using one answers ExpiredCodeException rather than CodeMismatchException
// (spec §7.1: "expired or superseded").
const supersededSuffix = "#superseded"

// maxSuperseded bounds the replaced hashes kept per purpose.
const maxSuperseded = 10

// Code lifetimes (spec §11.2).
const (
	signUpCodeTTL = 24 * time.Hour
	verifyCodeTTL = 24 * time.Hour
	forgotCodeTTL = time.Hour
)

var (
	errCodeMismatch = exception.New(exception.CodeMismatch, "Invalid verification code provided, please try again.")
	errExpiredCode  = exception.New(exception.ExpiredCode, "Invalid code provided, please request a code again.")
)

// newCode returns a fresh 6-digit code, or the configured fixed code.
func (s *Service) newCode() string {
	if s.FixedCode != "" {
		return s.FixedCode
	}
	return ids.Code()
}

func hashCode(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// setCode makes code the outstanding code of purpose on u. The code it
// replaces is remembered as superseded until it would have expired.
func setCode(u *storage.User, purpose, code string, now time.Time, ttl time.Duration) {
	if u.Codes == nil {
		u.Codes = map[string]storage.Code{}
	}
	if old, ok := u.Codes[purpose]; ok && now.Before(old.ExpiresAt) {
		sup := u.Codes[purpose+supersededSuffix]
		hashes := append(splitHashes(sup.Hash), old.Hash)
		if len(hashes) > maxSuperseded {
			hashes = hashes[len(hashes)-maxSuperseded:]
		}
		exp := sup.ExpiresAt
		if old.ExpiresAt.After(exp) {
			exp = old.ExpiresAt
		}
		u.Codes[purpose+supersededSuffix] = storage.Code{Hash: strings.Join(hashes, ","), ExpiresAt: exp}
	}
	u.Codes[purpose] = storage.Code{Hash: hashCode(code), ExpiresAt: now.Add(ttl)}
}

func splitHashes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// checkCode compares code with u's outstanding code of purpose without
// consuming it: ExpiredCodeException when there is none, it has expired or
// code is one a newer code replaced; CodeMismatchException otherwise.
func checkCode(u storage.User, purpose, code string, now time.Time) error {
	cur, ok := u.Codes[purpose]
	given := hashCode(code)
	if ok && constantTimeEqual(cur.Hash, given) {
		if !now.Before(cur.ExpiresAt) {
			return errExpiredCode
		}
		return nil
	}
	if sup, found := u.Codes[purpose+supersededSuffix]; found && now.Before(sup.ExpiresAt) {
		if slices.ContainsFunc(splitHashes(sup.Hash), func(h string) bool { return constantTimeEqual(h, given) }) {
			return errExpiredCode
		}
	}
	if !ok || !now.Before(cur.ExpiresAt) {
		return errExpiredCode
	}
	return errCodeMismatch
}

// clearCode removes the code of purpose and its superseded predecessors.
func clearCode(u *storage.User, purpose string) {
	delete(u.Codes, purpose)
	delete(u.Codes, purpose+supersededSuffix)
}

// contact is where a message goes: an attribute of the user and its medium.
type contact struct {
	Attr   string // email or phone_number
	Medium string // EMAIL or SMS
	Dest   string // the attribute's value
}

// CodeDelivery is Cognito's CodeDeliveryDetailsType.
type CodeDelivery struct {
	Destination    string // masked
	DeliveryMedium string
	AttributeName  string
}

func contactFor(u storage.User, attr string) (contact, bool) {
	v := u.Attributes[attr]
	if v == "" {
		return contact{}, false
	}
	medium := "EMAIL"
	if attr == "phone_number" {
		medium = "SMS"
	}
	return contact{Attr: attr, Medium: medium, Dest: v}, true
}

// signUpContact is the auto-verified attribute Cognito sends sign-up and
// verification codes to. With both auto-verified, the phone wins, as in
// Cognito. ok is false when the pool auto-verifies nothing the user has.
func signUpContact(p storage.Pool, u storage.User) (contact, bool) {
	for _, attr := range []string{"phone_number", "email"} {
		if slices.Contains(p.AutoVerified, attr) {
			if c, ok := contactFor(u, attr); ok {
				return c, true
			}
		}
	}
	return contact{}, false
}

// anyContact is where locognito files a message when Cognito would send
// none (nothing auto-verified): the user's email, else phone, else nothing.
// The outbox keeps it so that local tests can still read the code.
func anyContact(u storage.User) contact {
	for _, attr := range []string{"email", "phone_number"} {
		if c, ok := contactFor(u, attr); ok {
			return c
		}
	}
	return contact{}
}

// recoveryContact is the verified contact a password-reset code goes to:
// the pool's AccountRecoverySetting order when it has one, else a verified
// phone before a verified email (Cognito's legacy order).
func recoveryContact(p storage.Pool, u storage.User) (contact, bool) {
	for _, attr := range recoveryOrder(p) {
		if u.Attributes[attr+"_verified"] != "true" {
			continue
		}
		if c, ok := contactFor(u, attr); ok {
			return c, true
		}
	}
	return contact{}, false
}

// mask hides a destination the way Cognito's CodeDeliveryDetails does:
// "jane@example.com" → "j***@e***", "+15555550100" → "+*******0100".
func mask(c contact) string {
	switch c.Attr {
	case "email":
		local, domain, _ := strings.Cut(c.Dest, "@")
		return firstRune(local) + "***@" + firstRune(domain) + "***"
	case "phone_number":
		r := []rune(c.Dest)
		if len(r) <= 5 {
			return strings.Repeat("*", len(r))
		}
		return string(r[0]) + strings.Repeat("*", len(r)-5) + string(r[len(r)-4:])
	}
	return ""
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// delivery is the masked CodeDeliveryDetails of c.
func delivery(c contact) *CodeDelivery {
	return &CodeDelivery{Destination: mask(c), DeliveryMedium: c.Medium, AttributeName: c.Attr}
}
