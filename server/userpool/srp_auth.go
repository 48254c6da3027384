package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/internal/srp"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// grantKindSRP namespaces USER_SRP_AUTH state in Grants, keyed by the hash
// of SECRET_BLOCK.
const grantKindSRP = "srp"

// defaultSRPTimestampSkew bounds how far PASSWORD_VERIFIER's TIMESTAMP may
// be from the server's clock (spec §9.3) unless configured.
const defaultSRPTimestampSkew = 5 * time.Minute

func (s *Service) srpTimestampSkew() time.Duration {
	if s.SRPTimestampSkew > 0 {
		return s.SRPTimestampSkew
	}
	return defaultSRPTimestampSkew
}

func init() { setSRPVerifierHook = setSRPVerifier }

// setSRPVerifier stores a fresh 16-byte salt and v = g^x mod N for the new
// password, so USER_SRP_AUTH works for every password locognito sets. x
// binds the pool name and the internal username (spec §9.3).
func setSRPVerifier(p storage.Pool, u *storage.User, password string) error {
	if u.Username == "" {
		return errors.New("srp verifier: user has no username yet")
	}
	salt := srp.NewSalt()
	v, err := srp.Verifier(salt, srp.PoolName(p.ID), u.Username, password)
	if err != nil {
		return fmt.Errorf("srp verifier: %w", err)
	}
	u.SRPSalt, u.SRPVerifier = salt, v
	return nil
}

// srpState is what InitiateAuth keeps for RespondToAuthChallenge. It holds
// the server's private b for at most AuthSessionValidity.
type srpState struct {
	A, B, PrivB  string // hex
	UsernameKey  string
	Sub          string
	UserIDForSRP string
	// Typed is USERNAME as given to InitiateAuth; SDKs compute the
	// challenge response's SECRET_HASH over it or over USER_ID_FOR_SRP.
	Typed      string
	SessionKey string
	// Fake marks the challenge of an unknown user under
	// PreventUserExistenceErrors=ENABLED: it always fails.
	Fake bool
}

// srpAuth runs USER_SRP_AUTH: it answers with the PASSWORD_VERIFIER challenge.
func (s *Service) srpAuth(ctx context.Context, p storage.Pool, c storage.Client, params map[string]string) (AuthOutput, error) {
	if !flowAllowed(c, FlowUserSRP) {
		return AuthOutput{}, exception.New(exception.InvalidParameter, "USER_SRP_AUTH is not enabled for the client.")
	}
	username, srpA := params["USERNAME"], params["SRP_A"]
	if username == "" {
		return AuthOutput{}, missingParameter("USERNAME")
	}
	if srpA == "" {
		return AuthOutput{}, missingParameter("SRP_A")
	}
	if err := CheckSecretHash(c, username, params["SECRET_HASH"]); err != nil {
		return AuthOutput{}, err
	}
	a, err := srp.CheckA(srpA)
	if err != nil {
		// A ≡ 0 (mod N) would let anyone pass; Cognito's error type for it
		// is unknown (spec §9.2), so it fails like a wrong password.
		return AuthOutput{}, errIncorrectCredentials
	}
	u, err := s.signInUser(ctx, p, c, username)
	if errors.Is(err, errIncorrectCredentials) {
		return s.fakeSRPChallenge(ctx, p, c, username, a)
	}
	if err != nil {
		return AuthOutput{}, err
	}
	if err := s.beforePassword(u); err != nil {
		return AuthOutput{}, err
	}
	v, err := srp.ParseHex(u.SRPVerifier)
	if err != nil || u.SRPSalt == "" {
		// Only a bcrypt hash (e.g. imported): SRP cannot prove this password.
		s.log().InfoContext(ctx, "USER_SRP_AUTH refused: the user has no SRP verifier; set the password through locognito to enable SRP", "pool_id", p.ID)
		return AuthOutput{}, errIncorrectCredentials
	}
	st := srpState{UsernameKey: u.UsernameKey, Sub: u.Sub, UserIDForSRP: u.Username, Typed: username}
	return s.srpChallenge(ctx, p, c, st, a, v, u.SRPSalt)
}

// grantKindPoolSecret holds per-pool server secrets in Grants; they never
// expire and go with the pool.
const grantKindPoolSecret = "pool_secret"

// fakeSecret keys the fake challenges of the pool's unknown users. It is
// kept in storage, so the fake salt and USER_ID_FOR_SRP of a name stay the
// same across restarts and replicas: a prober comparing two attempts sees
// what it would see for a real user.
func (s *Service) fakeSecret(ctx context.Context, poolID string) ([]byte, error) {
	id := poolID + "/srp_fake"
	g, err := s.Store.GetGrant(ctx, grantKindPoolSecret, id)
	if err == nil {
		return g.Data, nil
	}
	if !errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("get fake-challenge secret: %w", err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("fake-challenge secret: %w", err)
	}
	err = s.Store.CreateGrant(ctx, storage.Grant{Kind: grantKindPoolSecret, ID: id, PoolID: poolID, Data: b, CreatedAt: s.Clock.Now()})
	if errors.Is(err, storage.ErrAlreadyExists) {
		// Another request or replica made it first: use theirs.
		return s.fakeSecret(ctx, poolID)
	}
	if err != nil {
		return nil, fmt.Errorf("store fake-challenge secret: %w", err)
	}
	return b, nil
}

// fakeSRPChallenge answers USER_SRP_AUTH for an unknown user as if the user
// existed (spec §11.4): salt, verifier and, in email/phone-as-username pools,
// the UUID username are derived from the name, so repeated attempts agree.
func (s *Service) fakeSRPChallenge(ctx context.Context, p storage.Pool, c storage.Client, username string, a *big.Int) (AuthOutput, error) {
	secret, err := s.fakeSecret(ctx, p.ID)
	if err != nil {
		return AuthOutput{}, err
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(p.ID + "\x00" + UsernameKey(p, username)))
	sum := m.Sum(nil) // 32 bytes
	userID := username
	if len(p.UsernameAttrs) > 0 && (strings.Contains(username, "@") || strings.HasPrefix(username, "+")) {
		var id uuid.UUID
		copy(id[:], sum[16:])
		id[6] = id[6]&0x0f | 0x40 // version 4
		id[8] = id[8]&0x3f | 0x80 // RFC 4122 variant
		userID = id.String()
	}
	v := new(big.Int).Exp(srp.G, new(big.Int).SetBytes(sum), srp.N)
	st := srpState{UserIDForSRP: userID, Typed: username, Fake: true}
	return s.srpChallenge(ctx, p, c, st, a, v, hex.EncodeToString(sum[:16]))
}

// srpChallenge draws b, stores the state under a fresh SECRET_BLOCK and
// returns PASSWORD_VERIFIER.
func (s *Service) srpChallenge(ctx context.Context, p storage.Pool, c storage.Client, st srpState, a, v *big.Int, salt string) (AuthOutput, error) {
	b, bPub := srp.NewServerKey(v)
	block := make([]byte, 512) // Cognito's blocks are opaque ~1–2 KB blobs
	if _, err := rand.Read(block); err != nil {
		return AuthOutput{}, fmt.Errorf("secret block: %w", err)
	}
	secretBlock := base64.StdEncoding.EncodeToString(block)
	session := ids.Token(192)
	st.A, st.B, st.PrivB, st.SessionKey = a.Text(16), bPub.Text(16), b.Text(16), grantKey(session)
	data, err := json.Marshal(st)
	if err != nil {
		return AuthOutput{}, fmt.Errorf("encode srp state: %w", err)
	}
	now := s.Clock.Now()
	err = s.Store.CreateGrant(ctx, storage.Grant{
		Kind: grantKindSRP, ID: grantKey(secretBlock), PoolID: p.ID, ClientID: c.ClientID,
		Data: data, CreatedAt: now, ExpiresAt: now.Add(authSessionValidity(c)),
	})
	if err != nil {
		return AuthOutput{}, fmt.Errorf("store srp state: %w", err)
	}
	return AuthOutput{
		ChallengeName: ChallengePasswordVerifier,
		Session:       session,
		ChallengeParameters: map[string]string{
			"SALT":            salt,
			"SRP_B":           st.B,
			"SECRET_BLOCK":    secretBlock,
			"USERNAME":        st.UserIDForSRP,
			"USER_ID_FOR_SRP": st.UserIDForSRP,
		},
	}, nil
}

// respondPasswordVerifier checks PASSWORD_CLAIM_SIGNATURE (spec §9.3).
func (s *Service) respondPasswordVerifier(ctx context.Context, p storage.Pool, c storage.Client, in RespondInput) (AuthOutput, error) {
	r := in.ChallengeResponses
	for _, k := range []string{"USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"} {
		if r[k] == "" {
			return AuthOutput{}, missingParameter(k)
		}
	}
	stamp, canonical, err := srp.ParseTimestamp(r["TIMESTAMP"])
	if err != nil {
		return AuthOutput{}, exception.New(exception.InvalidParameter, "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
	}
	if c.Secret != "" && r["SECRET_HASH"] == "" {
		return AuthOutput{}, CheckSecretHash(c, r["USERNAME"], "")
	}
	secretBlock := r["PASSWORD_CLAIM_SECRET_BLOCK"]
	block, err := base64.StdEncoding.DecodeString(secretBlock)
	if err != nil {
		return AuthOutput{}, errInvalidSession
	}
	st, err := s.takeSRPState(ctx, p, c, secretBlock, in.Session)
	if err != nil {
		return AuthOutput{}, err
	}
	if c.Secret != "" && CheckSecretHash(c, st.Typed, r["SECRET_HASH"]) != nil {
		if err := CheckSecretHash(c, r["USERNAME"], r["SECRET_HASH"]); err != nil {
			return AuthOutput{}, err
		}
	}
	if st.Fake {
		return AuthOutput{}, errIncorrectCredentials
	}
	u, err := s.Store.GetUser(ctx, p.ID, st.UsernameKey)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && u.Sub != st.Sub) {
		return AuthOutput{}, errIncorrectCredentials
	}
	if err != nil {
		return AuthOutput{}, fmt.Errorf("get user: %w", err)
	}
	if named, err := s.FindUser(ctx, p, r["USERNAME"]); err != nil || named.UsernameKey != u.UsernameKey {
		return AuthOutput{}, errIncorrectCredentials
	}
	if err := s.beforePassword(u); err != nil {
		return AuthOutput{}, err
	}
	if err := srp.CheckSkew(stamp, s.Clock.Now(), s.srpTimestampSkew()); err != nil {
		s.log().InfoContext(ctx, "PASSWORD_VERIFIER refused: TIMESTAMP too far from the server clock", "pool_id", p.ID, "skew_limit", s.srpTimestampSkew())
		return AuthOutput{}, errIncorrectCredentials
	}
	if !verifySRP(st, u, p.ID, block, canonical, r["PASSWORD_CLAIM_SIGNATURE"]) {
		if err := s.recordFailure(ctx, u); err != nil {
			return AuthOutput{}, err
		}
		return AuthOutput{}, errIncorrectCredentials
	}
	return s.signedIn(ctx, p, c, u)
}

// takeSRPState consumes the state of a SECRET_BLOCK: single use, bound to
// the client (and to the Session, when the client echoes it).
func (s *Service) takeSRPState(ctx context.Context, p storage.Pool, c storage.Client, secretBlock, session string) (srpState, error) {
	var st srpState
	g, err := s.Store.ConsumeGrant(ctx, grantKindSRP, grantKey(secretBlock))
	if errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrConflict) {
		return st, errInvalidSession
	}
	if err != nil {
		return st, fmt.Errorf("consume srp state: %w", err)
	}
	if g.ClientID != c.ClientID || g.PoolID != p.ID || json.Unmarshal(g.Data, &st) != nil {
		return st, errInvalidSession
	}
	if session != "" && !constantTimeEqual(grantKey(session), st.SessionKey) {
		return st, errInvalidSession
	}
	if !s.Clock.Now().Before(g.ExpiresAt) {
		return st, errExpiredSession
	}
	return st, nil
}

// verifySRP derives K from the stored exchange and the user's current
// verifier and checks the client's signature over the canonical TIMESTAMP.
func verifySRP(st srpState, u storage.User, poolID string, block []byte, timestamp, signature string) bool {
	a, errA := srp.ParseHex(st.A)
	bPub, errB := srp.ParseHex(st.B)
	b, errb := srp.ParseHex(st.PrivB)
	v, errV := srp.ParseHex(u.SRPVerifier)
	if errA != nil || errB != nil || errb != nil || errV != nil {
		return false
	}
	key, err := srp.ServerKey(a, bPub, b, v)
	if err != nil {
		return false
	}
	return srp.VerifySignature(key, srp.PoolName(poolID), u.Username, block, timestamp, signature)
}
