package tokens

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// Access-token errors (spec §6, §7.4).
var (
	errInvalidAccess = exception.New(exception.NotAuthorized, "Invalid Access Token")
	errAccessExpired = exception.New(exception.NotAuthorized, "Access Token has expired")
	errAccessRevoked = exception.New(exception.NotAuthorized, "Access Token has been revoked")
)

// maxTokenSize bounds what VerifyAccess will decode; Cognito's access
// tokens are around 1 KB, with many groups a few KB.
const maxTokenSize = 16 << 10

// accessPayload is the part of an access token VerifyAccess reads. Pointers
// tell a missing claim from a zero one; a claim of the wrong JSON type fails
// decoding.
type accessPayload struct {
	Sub       string   `json:"sub"`
	Iss       string   `json:"iss"`
	ClientID  string   `json:"client_id"`
	TokenUse  string   `json:"token_use"`
	Scope     string   `json:"scope"`
	Username  string   `json:"username"`
	JTI       string   `json:"jti"`
	OriginJTI string   `json:"origin_jti"`
	Exp       *float64 `json:"exp"`
	Iat       *float64 `json:"iat"`
	AuthTime  *float64 `json:"auth_time"`
}

// VerifyAccess checks an access token presented to the API or userInfo:
// signature by a published key of its pool, issuer, token_use, expiry,
// revocation (family, global sign-out watermark, deleted or disabled user).
// Errors are NotAuthorizedException "Invalid Access Token" / "Access Token
// has expired" / "Access Token has been revoked".
func (i *Issuer) VerifyAccess(ctx context.Context, token string) (AccessClaims, error) {
	p, err := i.verifySignedAccess(ctx, token)
	if err != nil {
		return AccessClaims{}, err
	}
	poolID := poolOf(p.Iss)
	c := AccessClaims{
		PoolID: poolID, ClientID: p.ClientID, Username: p.Username, Sub: p.Sub,
		JTI: p.JTI, OriginJTI: p.OriginJTI, Scopes: strings.Fields(p.Scope),
		IssuedAt: unix(*p.Iat), ExpiresAt: unix(*p.Exp),
	}
	if p.AuthTime != nil {
		c.AuthTime = unix(*p.AuthTime)
	}
	if i.Clock.Now().After(c.ExpiresAt) {
		return AccessClaims{}, errAccessExpired
	}
	if revoked, err := i.accessRevoked(ctx, c); err != nil || revoked {
		if err == nil {
			err = errAccessRevoked
		}
		return AccessClaims{}, err
	}
	return c, nil
}

// verifySignedAccess parses the token strictly and checks everything that
// does not depend on time or state: the header, the signature by a
// published access key of the pool named by iss, iss itself, token_use and
// the presence of the claims VerifyAccess relies on. Every failure is
// "Invalid Access Token" except storage errors.
func (i *Issuer) verifySignedAccess(ctx context.Context, token string) (accessPayload, error) {
	var p accessPayload
	if len(token) > maxTokenSize {
		return p, errInvalidAccess
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return p, errInvalidAccess
	}
	var h struct {
		Alg  string          `json:"alg"`
		Kid  string          `json:"kid"`
		Crit json.RawMessage `json:"crit"`
	}
	rawHeader, err1 := b64.Strict().DecodeString(parts[0])
	rawPayload, err2 := b64.Strict().DecodeString(parts[1])
	sig, err3 := b64.Strict().DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || decodeObject(rawHeader, &h) != nil || decodeObject(rawPayload, &p) != nil {
		return p, errInvalidAccess
	}
	// The algorithm is pinned: "none", HS256 (with the public key as the
	// secret) and everything else never reach a verifier. We never honour
	// extensions, so a critical one means the token is not ours.
	if h.Alg != "RS256" || h.Kid == "" || h.Crit != nil {
		return p, errInvalidAccess
	}
	poolID := poolOf(p.Iss)
	if poolID == "" || i.IssuerURL(poolID) != p.Iss {
		return p, errInvalidAccess
	}
	pub, use, err := i.Keys.PublicKey(ctx, poolID, h.Kid)
	if errors.Is(err, keys.ErrKeyNotFound) {
		return p, errInvalidAccess
	}
	if err != nil {
		return p, fmt.Errorf("tokens: access token key: %w", err)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if use != keys.UseAccess || rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) != nil {
		return p, errInvalidAccess
	}
	if p.TokenUse != "access" || p.Exp == nil || p.Iat == nil || p.ClientID == "" || p.Sub == "" ||
		!finite(*p.Exp) || !finite(*p.Iat) || (p.AuthTime != nil && !finite(*p.AuthTime)) {
		return p, errInvalidAccess
	}
	return p, nil
}

// accessRevoked applies locognito's revocation state (spec §5.6): a revoked
// family, a deleted or disabled user, or a global sign-out at or after the
// token's iat. Client-credentials tokens have no user and no family.
func (i *Issuer) accessRevoked(ctx context.Context, c AccessClaims) (bool, error) {
	if c.OriginJTI != "" {
		revoked, err := i.Store.IsOriginRevoked(ctx, c.PoolID, c.OriginJTI)
		if err != nil {
			return false, fmt.Errorf("tokens: check revocation: %w", err)
		}
		if revoked {
			return true, nil
		}
	}
	if c.Username == "" {
		return false, nil
	}
	user, err := i.Store.GetUserBySub(ctx, c.PoolID, c.Sub)
	if errors.Is(err, storage.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("tokens: get user: %w", err)
	}
	if !user.Enabled || user.Username != c.Username {
		return true, nil
	}
	return i.signedOutBefore(ctx, c, user.SignedOutAt)
}

// decodeObject decodes a JSON object strictly: one value, nothing after it.
func decodeObject(data []byte, v any) error {
	if len(data) == 0 || data[0] != '{' {
		return errors.New("not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// poolOf returns the pool id of an issuer URL: what follows the last '/'.
func poolOf(iss string) string {
	i := strings.LastIndexByte(iss, '/')
	if i < 0 {
		return ""
	}
	return iss[i+1:]
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) && math.Abs(f) < 1e15 }

func unix(f float64) time.Time { return time.Unix(int64(f), 0).UTC() }
