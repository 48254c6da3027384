package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

// grantKindChallenge namespaces NEW_PASSWORD_REQUIRED sessions in Grants.
const grantKindChallenge = "challenge"

// challengeSession is what a challenge Session is bound to (spec §7.1).
type challengeSession struct {
	Challenge   string `json:"challenge"`
	UsernameKey string `json:"username_key"`
	// Sub tells a user deleted and re-created under the same name apart.
	Sub string `json:"sub"`
}

// newSession stores a single-use session for the user's next answer to
// challenge and returns its opaque handle. Only the handle's hash is stored.
func (s *Service) newSession(ctx context.Context, c storage.Client, u storage.User, challenge string) (string, error) {
	handle := ids.Token(192) // 256 chars, inside Cognito's 20–2048
	data, err := json.Marshal(challengeSession{Challenge: challenge, UsernameKey: u.UsernameKey, Sub: u.Sub})
	if err != nil {
		return "", fmt.Errorf("encode session: %w", err)
	}
	now := s.Clock.Now()
	err = s.Store.CreateGrant(ctx, storage.Grant{
		Kind: grantKindChallenge, ID: grantKey(handle), PoolID: u.PoolID, ClientID: c.ClientID,
		Data: data, CreatedAt: now, ExpiresAt: now.Add(authSessionValidity(c)),
	})
	if err != nil {
		return "", fmt.Errorf("store session: %w", err)
	}
	return handle, nil
}

// newPasswordChallenge answers a sign-in with a temporary password.
func (s *Service) newPasswordChallenge(ctx context.Context, p storage.Pool, c storage.Client, u storage.User) (AuthOutput, error) {
	session, err := s.newSession(ctx, c, u, ChallengeNewPasswordRequired)
	if err != nil {
		return AuthOutput{}, err
	}
	// Both parameters are JSON documents inside a string (spec §7.1);
	// Cognito's example leaves sub out of userAttributes.
	attrs := maps.Clone(u.Attributes)
	delete(attrs, "sub")
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrsJSON, err := json.Marshal(attrs)
	if err != nil {
		return AuthOutput{}, fmt.Errorf("encode attributes: %w", err)
	}
	required := []string{}
	for _, name := range missingRequired(p, u.Attributes) {
		required = append(required, "userAttributes."+name)
	}
	requiredJSON, err := json.Marshal(required)
	if err != nil {
		return AuthOutput{}, fmt.Errorf("encode required attributes: %w", err)
	}
	return AuthOutput{
		ChallengeName: ChallengeNewPasswordRequired,
		Session:       session,
		ChallengeParameters: map[string]string{
			"USER_ID_FOR_SRP":    u.Username,
			"requiredAttributes": string(requiredJSON),
			"userAttributes":     string(attrsJSON),
		},
	}, nil
}

// loadSession checks a Session handle for challenge by client and returns
// the bound record and user, without consuming it.
func (s *Service) loadSession(ctx context.Context, p storage.Pool, c storage.Client, handle, challenge string) (storage.Grant, storage.User, error) {
	if handle == "" {
		return storage.Grant{}, storage.User{}, errInvalidSession
	}
	g, err := s.Store.GetGrant(ctx, grantKindChallenge, grantKey(handle))
	if errors.Is(err, storage.ErrNotFound) {
		return g, storage.User{}, errInvalidSession
	}
	if err != nil {
		return g, storage.User{}, fmt.Errorf("get session: %w", err)
	}
	var cs challengeSession
	if g.Consumed || g.ClientID != c.ClientID || g.PoolID != p.ID || json.Unmarshal(g.Data, &cs) != nil || cs.Challenge != challenge {
		return g, storage.User{}, errInvalidSession
	}
	if !s.Clock.Now().Before(g.ExpiresAt) {
		return g, storage.User{}, errExpiredSession
	}
	u, err := s.Store.GetUser(ctx, p.ID, cs.UsernameKey)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && u.Sub != cs.Sub) {
		return g, storage.User{}, errInvalidSession
	}
	if err != nil {
		return g, storage.User{}, fmt.Errorf("get user: %w", err)
	}
	return g, u, nil
}

// consumeSession marks the session used; a second use loses the race.
func (s *Service) consumeSession(ctx context.Context, g storage.Grant) error {
	_, err := s.Store.ConsumeGrant(ctx, g.Kind, g.ID)
	if errors.Is(err, storage.ErrConflict) || errors.Is(err, storage.ErrNotFound) {
		return errInvalidSession
	}
	if err != nil {
		return fmt.Errorf("consume session: %w", err)
	}
	return nil
}

// respondNewPassword answers NEW_PASSWORD_REQUIRED: USERNAME, NEW_PASSWORD
// and userAttributes.<name> for missing required attributes.
func (s *Service) respondNewPassword(ctx context.Context, p storage.Pool, c storage.Client, in RespondInput) (AuthOutput, error) {
	r := in.ChallengeResponses
	username, newPassword := r["USERNAME"], r["NEW_PASSWORD"]
	if username == "" {
		return AuthOutput{}, missingParameter("USERNAME")
	}
	if err := CheckSecretHash(c, username, r["SECRET_HASH"]); err != nil {
		return AuthOutput{}, err
	}
	if newPassword == "" {
		return AuthOutput{}, missingParameter("NEW_PASSWORD")
	}
	g, u, err := s.loadSession(ctx, p, c, in.Session, ChallengeNewPasswordRequired)
	if err != nil {
		return AuthOutput{}, err
	}
	// USERNAME may be what the user typed or USER_ID_FOR_SRP; either way it
	// must name the session's user.
	if named, err := s.FindUser(ctx, p, username); err != nil || named.UsernameKey != u.UsernameKey {
		return AuthOutput{}, errInvalidSession
	}
	if u.Status != "FORCE_CHANGE_PASSWORD" {
		return AuthOutput{}, errInvalidSession
	}
	if !u.Enabled {
		return AuthOutput{}, exception.New(exception.NotAuthorized, "User is disabled.")
	}
	attrs := map[string]string{}
	for k, v := range r {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok {
			if c.WriteAttributes != nil && !slices.Contains(c.WriteAttributes, name) {
				return AuthOutput{}, exception.Newf(exception.NotAuthorized, "A client attempted to write unauthorized attribute")
			}
			attrs[name] = v
		}
	}
	// Validate everything before the session is spent, so a policy error
	// can be corrected with the same session.
	if _, err := newPasswordAttributes(p, u, attrs); err != nil {
		return AuthOutput{}, err
	}
	if err := CheckPasswordPolicy(p.PasswordPolicy, newPassword); err != nil {
		return AuthOutput{}, err
	}
	if err := s.consumeSession(ctx, g); err != nil {
		return AuthOutput{}, err
	}
	u, err = s.CompleteNewPassword(ctx, p, u, newPassword, attrs)
	if err != nil {
		return AuthOutput{}, err
	}
	return s.issueTokens(ctx, p, c, u)
}

// CompleteNewPassword replaces a FORCE_CHANGE_PASSWORD user's temporary
// password (and fills missing required attributes from attrs, keyed by
// attribute name): policy check, new bcrypt hash and SRP verifier, status
// CONFIRMED. The hosted UI calls it after PasswordSignIn returned
// ErrNewPasswordRequired; RespondToAuthChallenge after checking the session.
func (s *Service) CompleteNewPassword(ctx context.Context, pool storage.Pool, user storage.User, newPassword string, attrs map[string]string) (storage.User, error) {
	merged, err := newPasswordAttributes(pool, user, attrs)
	if err != nil {
		return storage.User{}, err
	}
	if err := CheckPasswordPolicy(pool.PasswordPolicy, newPassword); err != nil {
		return storage.User{}, err
	}
	// bcrypt runs outside the storage update, which may hold a transaction.
	fresh := user
	if err := s.SetPassword(pool, &fresh, newPassword); err != nil {
		return storage.User{}, err
	}
	now := s.Clock.Now()
	var out storage.User
	err = s.Store.UpdateUser(ctx, pool.ID, user.UsernameKey, func(u *storage.User) error {
		if u.Sub != user.Sub || u.Status != "FORCE_CHANGE_PASSWORD" {
			return errInvalidSession
		}
		for k, v := range merged {
			if u.Attributes == nil {
				u.Attributes = map[string]string{}
			}
			u.Attributes[k] = v
		}
		u.PasswordHash, u.SRPSalt, u.SRPVerifier = fresh.PasswordHash, fresh.SRPSalt, fresh.SRPVerifier
		u.Status = "CONFIRMED"
		u.TempPasswordExpiresAt = time.Time{}
		u.FailedAttempts, u.LastFailureAt = 0, time.Time{}
		u.LastModifiedAt = now
		out = *u
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return storage.User{}, errInvalidSession
	}
	if err != nil {
		if exception.Code(err) != exception.Internal {
			return storage.User{}, err
		}
		return storage.User{}, fmt.Errorf("complete new password: %w", err)
	}
	return out, nil
}

// newPasswordAttributes validates attributes sent with a new password and
// returns the ones to write. Required attributes that already have a value
// may not be changed (spec §7.1); the remaining required ones must be given.
func newPasswordAttributes(p storage.Pool, u storage.User, attrs map[string]string) (map[string]string, error) {
	schema := map[string]storage.SchemaAttribute{}
	for _, a := range p.Schema {
		schema[a.Name] = a
	}
	out := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		a, known := schema[name]
		if !known && IsStandardAttribute(name) {
			a, known = storage.SchemaAttribute{Name: name, Mutable: true}, true
		}
		if !known {
			return nil, exception.Newf(exception.InvalidParameter,
				"Attributes did not conform to the schema: %s: Attribute does not exist in the schema.", name)
		}
		switch {
		case name == "sub" || strings.HasSuffix(name, "_verified") || a.DeveloperOnly || strings.HasPrefix(name, "dev:"):
			return nil, exception.New(exception.NotAuthorized, "A client attempted to write unauthorized attribute")
		case u.Attributes[name] != "" && (a.Required || !a.Mutable):
			return nil, exception.Newf(exception.NotAuthorized, "Cannot modify an already provided %s", name)
		}
		if len(attrs[name]) > 2048 {
			return nil, exception.Newf(exception.InvalidParameter,
				"Attributes did not conform to the schema: %s: String must be no longer than 2048 characters", name)
		}
		if attrs[name] != "" {
			out[name] = attrs[name]
		}
	}
	merged := maps.Clone(u.Attributes)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, out)
	if missing := missingRequired(p, merged); len(missing) > 0 {
		return nil, exception.New(exception.InvalidParameter, "Invalid attributes given, "+joinAnd(missing)+" is missing")
	}
	return out, nil
}

// missingRequired lists the pool's required attributes the user lacks.
func missingRequired(p storage.Pool, attrs map[string]string) []string {
	var out []string
	for _, a := range p.Schema {
		if a.Required && a.Name != "sub" && attrs[a.Name] == "" {
			out = append(out, a.Name)
		}
	}
	return out
}

// joinAnd joins names as "a", "a and b", "a, b and c".
func joinAnd(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
