package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
	"github.com/locognito/locognito/storage/postgres/pgtest"
)

// forEachBackend runs f against a server on memory storage and on a fresh
// Postgres schema (skipped locally without TEST_DATABASE_URL).
func forEachBackend(t *testing.T, f func(t *testing.T, opts ...servertest.Option)) {
	t.Helper()
	t.Run("memory", func(t *testing.T) { f(t) })
	t.Run("postgres", func(t *testing.T) { f(t, servertest.WithStore(pgtest.Open(t))) })
}

func get(t *testing.T, u string, v any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("GET %s: Content-Type %q", u, ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: decode: %v", u, err)
	}
	return resp.StatusCode
}

func TestHealthOK(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		ts := servertest.Start(t, opts...)
		var body map[string]string
		if status := get(t, ts.URL+"/health", &body); status != http.StatusOK {
			t.Errorf("status = %d, want 200", status)
		}
		if body["status"] != "ok" || body["storage"] != "ok" {
			t.Errorf("body = %v", body)
		}
	})
}

// downStore is a store whose database does not answer.
type downStore struct{ storage.Storage }

func (downStore) Ping(context.Context) error {
	return errors.New("dial tcp 10.0.0.9:5432: connect: connection refused")
}

func TestHealthStorageDown(t *testing.T) {
	ts := servertest.Start(t, servertest.WithStore(downStore{memory.New()}))
	var body map[string]string
	if status := get(t, ts.URL+"/health", &body); status != http.StatusServiceUnavailable {
		t.Errorf("status = %d, want 503", status)
	}
	if body["status"] == "ok" || body["storage"] != "unreachable" {
		t.Errorf("body = %v", body)
	}
	if _, leaked := body["error"]; leaked {
		t.Errorf("body shows the driver error: %v", body)
	}
}

type devMessage struct {
	PoolID, Username, Kind, Destination, Medium, Attribute, Code string
}

func (m *devMessage) UnmarshalJSON(b []byte) error {
	var raw map[string]string
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*m = devMessage{raw["pool_id"], raw["username"], raw["kind"], raw["destination"], raw["medium"], raw["attribute"], raw["code"]}
	if raw["created_at"] == "" {
		return errors.New("message without created_at")
	}
	return nil
}

func messagesURL(base, pool, username string) string {
	q := url.Values{"pool": {pool}}
	if username != "" {
		q.Set("username", username)
	}
	return base + "/_locognito/messages?" + q.Encode()
}

func TestDevMessagesShowsSignUpCode(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		ctx := context.Background()
		ts := servertest.Start(t, opts...)
		pool, err := ts.Client.CreateUserPool(ctx, &cip.CreateUserPoolInput{
			PoolName:               aws.String("dev"),
			AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
			UsernameConfiguration:  &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		})
		if err != nil {
			t.Fatalf("CreateUserPool: %v", err)
		}
		poolID := aws.ToString(pool.UserPool.Id)
		client, err := ts.Client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
			UserPoolId: aws.String(poolID), ClientName: aws.String("app"),
		})
		if err != nil {
			t.Fatalf("CreateUserPoolClient: %v", err)
		}
		clientID := client.UserPoolClient.ClientId

		var msgs []devMessage
		if status := get(t, messagesURL(ts.URL, poolID, ""), &msgs); status != http.StatusOK || len(msgs) != 0 {
			t.Fatalf("empty outbox: status %d, %d messages", status, len(msgs))
		}
		for _, name := range []string{"gina", "hank"} {
			if _, err := ts.Client.SignUp(ctx, &cip.SignUpInput{
				ClientId: clientID, Username: aws.String(name), Password: aws.String("Passw0rd!"),
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}},
			}); err != nil {
				t.Fatalf("SignUp %s: %v", name, err)
			}
		}

		// Any case works in a case-insensitive pool; only gina's message.
		if status := get(t, messagesURL(ts.URL, poolID, "GINA"), &msgs); status != http.StatusOK {
			t.Fatalf("status = %d", status)
		}
		if len(msgs) != 1 {
			t.Fatalf("got %d messages for gina, want 1: %+v", len(msgs), msgs)
		}
		m := msgs[0]
		if m.PoolID != poolID || m.Username != "gina" || m.Kind != "confirmation_code" ||
			m.Medium != "EMAIL" || m.Attribute != "email" || len(m.Code) != 6 {
			t.Errorf("message = %+v", m)
		}
		// The code from the endpoint confirms the sign-up.
		if _, err := ts.Client.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{
			ClientId: clientID, Username: aws.String("gina"), ConfirmationCode: aws.String(m.Code),
		}); err != nil {
			t.Errorf("ConfirmSignUp with the listed code: %v", err)
		}

		if get(t, messagesURL(ts.URL, poolID, ""), &msgs); len(msgs) != 2 {
			t.Errorf("whole outbox has %d messages, want 2", len(msgs))
		}
		if get(t, messagesURL(ts.URL, poolID, "nobody"), &msgs); len(msgs) != 0 {
			t.Errorf("unknown user has %d messages", len(msgs))
		}
	})
}

func TestDevMessagesErrors(t *testing.T) {
	ts := servertest.Start(t)
	var body map[string]string
	if status := get(t, messagesURL(ts.URL, "us-east-1_Nope12345", ""), &body); status != http.StatusNotFound {
		t.Errorf("unknown pool: status %d, want 404", status)
	}
	if body["error"] != "User pool us-east-1_Nope12345 does not exist." {
		t.Errorf("unknown pool: body %v", body)
	}
	if status := get(t, ts.URL+"/_locognito/messages", &body); status != http.StatusBadRequest {
		t.Errorf("no pool: status %d, want 400", status)
	}
}
