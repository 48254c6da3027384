package userpool

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// SecretHash is Base64(HMAC-SHA256(secret, username ‖ clientId)) (spec §8).
func SecretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// CheckSecretHash enforces SECRET_HASH for clients with a secret; a hash
// sent to a secretless client is ignored.
func CheckSecretHash(c storage.Client, username, given string) error {
	if c.Secret == "" {
		return nil
	}
	if given == "" {
		return exception.Newf(exception.NotAuthorized, "Client %s is configured for secret but secret was not received", c.ClientID)
	}
	if !constantTimeEqual(SecretHash(c.Secret, username, c.ClientID), given) {
		return exception.Newf(exception.NotAuthorized, "Unable to verify secret hash for client %s", c.ClientID)
	}
	return nil
}

// CheckClientSecret compares a raw client secret (RevokeToken,
// GetTokensFromRefreshToken, /oauth2/*) in constant time.
func CheckClientSecret(c storage.Client, given string) bool {
	if c.Secret == "" {
		return true
	}
	return constantTimeEqual(c.Secret, given)
}
