package cognitoapi_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/internal/srp"
	"github.com/locognito/locognito/server"
	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// srpStart sends USER_SRP_AUTH with a fresh client key.
func (e *authEnv) srpStart(t *testing.T, c storage.Client, username string) (*srp.Client, *cip.InitiateAuthOutput) {
	t.Helper()
	cl := srp.NewClient()
	params := map[string]string{"USERNAME": username, "SRP_A": cl.SRPA()}
	if c.Secret != "" {
		params["SECRET_HASH"] = userpool.SecretHash(c.Secret, username, c.ClientID)
	}
	out, err := e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(c.ClientID), AuthParameters: params,
	})
	if err != nil {
		t.Fatalf("USER_SRP_AUTH: %v", err)
	}
	if out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("challenge = %q, want PASSWORD_VERIFIER", out.ChallengeName)
	}
	return cl, out
}

// srpResponses computes the PASSWORD_VERIFIER answer as
// amazon-cognito-identity-js would, for the given timestamp string.
func (e *authEnv) srpResponses(t *testing.T, c storage.Client, cl *srp.Client, ch *cip.InitiateAuthOutput, password, timestamp string) map[string]string {
	t.Helper()
	p := ch.ChallengeParameters
	sig, err := cl.Signature(srp.Challenge{
		PoolID: e.pool.ID, UserIDForSRP: p["USER_ID_FOR_SRP"], Password: password,
		SaltHex: p["SALT"], SRPB: p["SRP_B"], SecretBlock: p["SECRET_BLOCK"], Timestamp: timestamp,
	})
	if err != nil {
		t.Fatalf("client signature: %v", err)
	}
	r := map[string]string{
		"USERNAME":                    p["USER_ID_FOR_SRP"],
		"PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
		"PASSWORD_CLAIM_SIGNATURE":    sig,
		"TIMESTAMP":                   timestamp,
	}
	if c.Secret != "" {
		r["SECRET_HASH"] = userpool.SecretHash(c.Secret, p["USER_ID_FOR_SRP"], c.ClientID)
	}
	return r
}

func (e *authEnv) srpRespond(c storage.Client, session *string, r map[string]string) (*cip.RespondToAuthChallengeOutput, error) {
	return e.ts.Client.RespondToAuthChallenge(e.ctx, &cip.RespondToAuthChallengeInput{
		ClientId: aws.String(c.ClientID), ChallengeName: types.ChallengeNameTypePasswordVerifier,
		Session: session, ChallengeResponses: r,
	})
}

// srpSignIn runs the whole exchange with the server's current time.
func (e *authEnv) srpSignIn(t *testing.T, c storage.Client, username, password string) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	cl, ch := e.srpStart(t, c, username)
	r := e.srpResponses(t, c, cl, ch, password, srp.FormatTimestamp(e.ts.Clock.Now()))
	return e.srpRespond(c, ch.Session, r)
}

var hexPattern = regexp.MustCompile(`^[0-9a-f]+$`)

func TestSRPSignIn(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t)
		secret := e.client(t, withSecret)
		e.user(t, "janedoe", testPassword)

		cl, ch := e.srpStart(t, c, "janedoe")
		p := ch.ChallengeParameters
		if p["USERNAME"] != "janedoe" || p["USER_ID_FOR_SRP"] != "janedoe" {
			t.Errorf("USERNAME %q USER_ID_FOR_SRP %q", p["USERNAME"], p["USER_ID_FOR_SRP"])
		}
		if !hexPattern.MatchString(p["SALT"]) || !hexPattern.MatchString(p["SRP_B"]) || p["SECRET_BLOCK"] == "" {
			t.Errorf("ChallengeParameters = %v", p)
		}
		if len(aws.ToString(ch.Session)) < 20 {
			t.Errorf("Session %q", aws.ToString(ch.Session))
		}
		out, err := e.srpRespond(c, ch.Session, e.srpResponses(t, c, cl, ch, testPassword, srp.FormatTimestamp(e.ts.Clock.Now())))
		if err != nil {
			t.Fatal(err)
		}
		r := out.AuthenticationResult
		if r == nil || aws.ToString(r.RefreshToken) == "" || r.ExpiresIn != 3600 {
			t.Fatalf("want tokens, got %+v", out)
		}
		if got := claims(t, aws.ToString(r.AccessToken))["username"]; got != "janedoe" {
			t.Errorf("username claim = %v", got)
		}

		t.Run("with SECRET_HASH", func(t *testing.T) {
			if _, err := e.srpSignIn(t, secret, "janedoe", testPassword); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("without Session", func(t *testing.T) {
			// The Session is optional; SECRET_BLOCK carries the state.
			cl, ch := e.srpStart(t, c, "janedoe")
			if _, err := e.srpRespond(c, nil, e.srpResponses(t, c, cl, ch, testPassword, srp.FormatTimestamp(e.ts.Clock.Now()))); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("admin", func(t *testing.T) {
			cl := srp.NewClient()
			ch, err := e.ts.Client.AdminInitiateAuth(e.ctx, &cip.AdminInitiateAuthInput{
				UserPoolId: aws.String(e.pool.ID), ClientId: aws.String(c.ClientID), AuthFlow: types.AuthFlowTypeUserSrpAuth,
				AuthParameters: map[string]string{"USERNAME": "janedoe", "SRP_A": cl.SRPA()},
			})
			if err != nil {
				t.Fatal(err)
			}
			r := e.srpResponses(t, c, cl, &cip.InitiateAuthOutput{ChallengeParameters: ch.ChallengeParameters}, testPassword, srp.FormatTimestamp(e.ts.Clock.Now()))
			out, err := e.ts.Client.AdminRespondToAuthChallenge(e.ctx, &cip.AdminRespondToAuthChallengeInput{
				UserPoolId: aws.String(e.pool.ID), ClientId: aws.String(c.ClientID),
				ChallengeName: types.ChallengeNameTypePasswordVerifier, Session: ch.Session, ChallengeResponses: r,
			})
			if err != nil {
				t.Fatal(err)
			}
			if out.AuthenticationResult == nil {
				t.Fatal("no tokens")
			}
		})
	})
}

func TestSRPErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t)
		hidden := e.client(t, withHiddenUsers)
		e.user(t, "janedoe", testPassword)
		e.user(t, "imported", testPassword, withoutVerifier)
		const incorrect = "Incorrect username or password."
		now := func() string { return srp.FormatTimestamp(e.ts.Clock.Now()) }

		t.Run("wrong password", func(t *testing.T) {
			// SRP failures count toward the lockout of every flow.
			for i := 0; i < 5; i++ {
				_, err := e.srpSignIn(t, c, "janedoe", "Wrong0ne!")
				wantErr[*types.NotAuthorizedException](t, err, incorrect)
			}
			_, err := e.passwordAuth(c, "janedoe", testPassword)
			wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")
			e.ts.Clock.Advance(time.Second)
			if _, err := e.srpSignIn(t, c, "janedoe", testPassword); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("secret block reused", func(t *testing.T) {
			cl, ch := e.srpStart(t, c, "janedoe")
			r := e.srpResponses(t, c, cl, ch, testPassword, now())
			if _, err := e.srpRespond(c, ch.Session, r); err != nil {
				t.Fatal(err)
			}
			_, err := e.srpRespond(c, ch.Session, r)
			wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
		})
		t.Run("expired", func(t *testing.T) {
			cl, ch := e.srpStart(t, c, "janedoe")
			e.ts.Clock.Advance(3 * time.Minute)
			_, err := e.srpRespond(c, ch.Session, e.srpResponses(t, c, cl, ch, testPassword, now()))
			wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session is expired.")
		})
		t.Run("another client", func(t *testing.T) {
			cl, ch := e.srpStart(t, c, "janedoe")
			_, err := e.srpRespond(hidden, ch.Session, e.srpResponses(t, c, cl, ch, testPassword, now()))
			wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user.")
		})
		t.Run("space-padded day", func(t *testing.T) {
			e.ts.Clock.Set(time.Date(2026, 3, 5, 7, 8, 9, 0, time.UTC))
			cl, ch := e.srpStart(t, c, "janedoe")
			_, err := e.srpRespond(c, ch.Session, e.srpResponses(t, c, cl, ch, testPassword, "Thu Mar  5 07:08:09 UTC 2026"))
			wantErr[*types.InvalidParameterException](t, err, "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
		})
		t.Run("zero-padded day", func(t *testing.T) {
			e.ts.Clock.Set(time.Date(2026, 3, 5, 7, 8, 9, 0, time.UTC))
			cl, ch := e.srpStart(t, c, "janedoe")
			_, err := e.srpRespond(c, ch.Session, e.srpResponses(t, c, cl, ch, testPassword, "Thu Mar 05 07:08:09 UTC 2026"))
			wantErr[*types.NotAuthorizedException](t, err, incorrect)
		})
		t.Run("timestamp too far off", func(t *testing.T) {
			cl, ch := e.srpStart(t, c, "janedoe")
			old := srp.FormatTimestamp(e.ts.Clock.Now().Add(-10 * time.Minute))
			_, err := e.srpRespond(c, ch.Session, e.srpResponses(t, c, cl, ch, testPassword, old))
			wantErr[*types.NotAuthorizedException](t, err, incorrect)
		})
		t.Run("A is a multiple of N", func(t *testing.T) {
			_, err := e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
				AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(c.ClientID),
				AuthParameters: map[string]string{"USERNAME": "janedoe", "SRP_A": srp.N.Text(16)},
			})
			wantErr[*types.NotAuthorizedException](t, err, incorrect)
		})
		t.Run("missing SRP_A", func(t *testing.T) {
			_, err := e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
				AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(c.ClientID),
				AuthParameters: map[string]string{"USERNAME": "janedoe"},
			})
			wantErr[*types.InvalidParameterException](t, err, "Missing required parameter SRP_A")
		})
		t.Run("user without verifier", func(t *testing.T) {
			_, err := e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
				AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(c.ClientID),
				AuthParameters: map[string]string{"USERNAME": "imported", "SRP_A": srp.NewClient().SRPA()},
			})
			wantErr[*types.NotAuthorizedException](t, err, incorrect)
		})
		t.Run("unknown user, LEGACY", func(t *testing.T) {
			_, err := e.ts.Client.InitiateAuth(e.ctx, &cip.InitiateAuthInput{
				AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(c.ClientID),
				AuthParameters: map[string]string{"USERNAME": "nobody", "SRP_A": srp.NewClient().SRPA()},
			})
			wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
		})
		t.Run("unknown user, ENABLED: a stable fake challenge", func(t *testing.T) {
			_, first := e.srpStart(t, hidden, "nobody")
			cl, second := e.srpStart(t, hidden, "nobody")
			for _, k := range []string{"SALT", "USER_ID_FOR_SRP", "USERNAME"} {
				if first.ChallengeParameters[k] != second.ChallengeParameters[k] {
					t.Errorf("%s changed between attempts: %q, %q", k, first.ChallengeParameters[k], second.ChallengeParameters[k])
				}
			}
			if first.ChallengeParameters["SRP_B"] == second.ChallengeParameters["SRP_B"] {
				t.Error("SRP_B repeated; b must be fresh per attempt")
			}
			_, real := e.srpStart(t, hidden, "janedoe")
			if len(first.ChallengeParameters) != len(real.ChallengeParameters) {
				t.Errorf("fake challenge has members %v, real %v", first.ChallengeParameters, real.ChallengeParameters)
			}
			_, err := e.srpRespond(hidden, second.Session, e.srpResponses(t, hidden, cl, second, testPassword, now()))
			wantErr[*types.NotAuthorizedException](t, err, incorrect)
		})
	})
}

// In an email-as-username pool USER_ID_FOR_SRP is the internal (UUID)
// username, and the verifier is bound to it.
func TestSRPEmailAsUsername(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts, emailAsUsername)
		c := e.client(t)
		hidden := e.client(t, withHiddenUsers)
		internal := e.user(t, "jane@example.com", testPassword).Username

		cl, ch := e.srpStart(t, c, "jane@example.com")
		if got := ch.ChallengeParameters["USER_ID_FOR_SRP"]; got != internal {
			t.Fatalf("USER_ID_FOR_SRP = %q, want %s", got, internal)
		}
		if _, err := e.srpRespond(c, ch.Session, e.srpResponses(t, c, cl, ch, testPassword, srp.FormatTimestamp(e.ts.Clock.Now()))); err != nil {
			t.Fatal(err)
		}

		// The fake challenge of an unknown email looks the same: a UUID.
		_, fake := e.srpStart(t, hidden, "nobody@example.com")
		id := fake.ChallengeParameters["USER_ID_FOR_SRP"]
		if len(id) != 36 || strings.Count(id, "-") != 4 {
			t.Errorf("fake USER_ID_FOR_SRP = %q, want a UUID", id)
		}
	})
}

// SRP then NEW_PASSWORD_REQUIRED: the temporary password proven by SRP
// leads to the same challenge as with USER_PASSWORD_AUTH.
func TestSRPNewPasswordRequired(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		c := e.client(t)
		e.forceChangeUser(t, "janedoe")
		out, err := e.srpSignIn(t, c, "janedoe", tempPassword)
		if err != nil {
			t.Fatal(err)
		}
		if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
			t.Fatalf("challenge = %q, want NEW_PASSWORD_REQUIRED", out.ChallengeName)
		}
		if _, err := e.respondNewPassword(c, out.Session, map[string]string{"USERNAME": "janedoe", "NEW_PASSWORD": "N3w-Passw0rd"}); err != nil {
			t.Fatal(err)
		}
		// The new verifier was stored with the new password.
		if _, err := e.srpSignIn(t, c, "janedoe", "N3w-Passw0rd"); err != nil {
			t.Fatalf("SRP with the new password: %v", err)
		}
	})
}

// --srp-timestamp-skew bounds TIMESTAMP: within it the proof is accepted,
// beyond it refused.
func TestSRPTimestampSkewConfigured(t *testing.T) {
	opts := []servertest.Option{servertest.WithConfig(func(c *server.Config) { c.SRPTimestampSkew = 30 * time.Minute })}
	e := newAuthEnv(t, opts)
	c := e.client(t)
	e.user(t, "janedoe", testPassword)
	for _, tt := range []struct {
		name   string
		offset time.Duration
		wantOK bool
	}{
		{"10 minutes off, inside 30", -10 * time.Minute, true},
		{"40 minutes off, beyond 30", -40 * time.Minute, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cl, ch := e.srpStart(t, c, "janedoe")
			stamp := srp.FormatTimestamp(e.ts.Clock.Now().Add(tt.offset))
			_, err := e.srpRespond(c, ch.Session, e.srpResponses(t, c, cl, ch, testPassword, stamp))
			if tt.wantOK && err != nil {
				t.Fatalf("want tokens, got %v", err)
			}
			if !tt.wantOK {
				wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
			}
		})
	}
}

// An unknown user's fake challenge stays the same after a restart (a new
// server on the same storage), as a real user's salt would: a prober
// comparing attempts across restarts learns nothing.
func TestSRPFakeChallengeStableAcrossRestart(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newAuthEnv(t, opts)
		hidden := e.client(t, withHiddenUsers)
		_, before := e.srpStart(t, hidden, "nobody")

		restarted := *e
		restarted.ts = servertest.Start(t, servertest.WithStore(e.ts.Store))
		_, after := restarted.srpStart(t, hidden, "nobody")
		for _, k := range []string{"SALT", "USER_ID_FOR_SRP"} {
			if before.ChallengeParameters[k] != after.ChallengeParameters[k] {
				t.Errorf("%s changed across a restart: %q, %q", k, before.ChallengeParameters[k], after.ChallengeParameters[k])
			}
		}
		_, other := restarted.srpStart(t, hidden, "somebody-else")
		if other.ChallengeParameters["SALT"] == after.ChallengeParameters["SALT"] {
			t.Error("two unknown names share a fake salt")
		}
	})
}
