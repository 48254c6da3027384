package tokens

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/locognito/locognito/storage"
)

// grantFamily is the Grant kind that remembers when a token family began.
const grantFamily = "family"

// recordFamily notes the exact start of a new token family. A JWT's iat has
// whole seconds, so on its own it cannot tell whether a token minted in the
// same second as a global sign-out came before it (revoked) or after it (a
// fresh sign-in that must work); the family's start time can.
func (i *Issuer) recordFamily(ctx context.Context, poolID, clientID, originJTI string, now, expires time.Time) error {
	err := i.Store.CreateGrant(ctx, storage.Grant{
		Kind: grantFamily, ID: originJTI, PoolID: poolID, ClientID: clientID,
		CreatedAt: now, ExpiresAt: expires,
	})
	if err != nil {
		return fmt.Errorf("tokens: record family: %w", err)
	}
	return nil
}

// signedOutBefore reports whether a global sign-out at signedOut revokes the
// access token described by c.
func (i *Issuer) signedOutBefore(ctx context.Context, c AccessClaims, signedOut time.Time) (bool, error) {
	switch {
	case signedOut.IsZero() || c.IssuedAt.Unix() > signedOut.Unix():
		return false, nil
	case c.IssuedAt.Unix() < signedOut.Unix() || c.OriginJTI == "":
		// Without a family to ask, a same-second token is refused: better
		// than letting an older one through.
		return true, nil
	}
	g, err := i.Store.GetGrant(ctx, grantFamily, c.OriginJTI)
	if errors.Is(err, storage.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("tokens: get family: %w", err)
	}
	// Tokens refreshed from a family begun before the sign-out cannot have
	// been minted after it (the refresh is refused), so the family's start
	// decides.
	return !g.CreatedAt.After(signedOut), nil
}
