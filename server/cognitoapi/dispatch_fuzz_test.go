package cognitoapi_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/server"
	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/storage/memory"
)

// FuzzDispatch sends random targets and bodies straight to the handler. No
// input may panic, and every answer is 200 or a Cognito error with HTTP 400:
// the memory store never fails, so InternalErrorException (500) is a bug.
func FuzzDispatch(f *testing.F) {
	srv, err := server.New(context.Background(), server.Config{
		PublicURL:     "http://localhost:9229",
		BcryptCost:    4,
		AllowUnsigned: true,
		Clock:         clock.NewFake(servertest.Epoch),
		Log:           slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, memory.New())
	if err != nil {
		f.Fatal(err)
	}
	// Fuzzed CreateUserPool calls would otherwise spend the run generating
	// RSA keys (slow under coverage instrumentation); real keys drawn in
	// turn from a few made once keep every exec cheap.
	srv.Keys.NewKey = fuzzKeys(f, 4)
	h := srv.Handler()
	call := func(action string, body []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+action)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	// A pool and a client give the seeds real ids to reach deeper code.
	rec := call("CreateUserPool", []byte(`{"PoolName":"fuzz"}`))
	var created struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil || created.UserPool.Id == "" {
		f.Fatalf("CreateUserPool: %d %s", rec.Code, rec.Body)
	}
	pool := created.UserPool.Id
	rec = call("CreateUserPoolClient", []byte(`{"UserPoolId":"`+pool+`","ClientName":"c","GenerateSecret":true}`))
	var client struct{ UserPoolClient struct{ ClientId string } }
	if err := json.Unmarshal(rec.Body.Bytes(), &client); err != nil || client.UserPoolClient.ClientId == "" {
		f.Fatalf("CreateUserPoolClient: %d %s", rec.Code, rec.Body)
	}
	cid := client.UserPoolClient.ClientId

	seeds := []struct{ action, body string }{
		{"CreateUserPool", `{"PoolName":"p","Schema":[{"Name":"x","AttributeDataType":"Number","NumberAttributeConstraints":{"MinValue":"9","MaxValue":"1"}}]}`},
		{"CreateUserPool", `{"PoolName":"p","UsernameAttributes":["email"],"Policies":{"PasswordPolicy":{"MinimumLength":6}},"LambdaConfig":{}}`},
		{"DescribeUserPool", `{"UserPoolId":"` + pool + `"}`},
		{"UpdateUserPool", `{"UserPoolId":"` + pool + `","UserPoolTags":{"a":"b"},"EmailConfiguration":null}`},
		{"ListUserPools", `{"MaxResults":1,"NextToken":"eA"}`},
		{"CreateUserPoolClient", `{"UserPoolId":"` + pool + `","ClientName":"c","AccessTokenValidity":86400,"TokenValidityUnits":{"AccessToken":"seconds"}}`},
		{"CreateUserPoolClient", `{"UserPoolId":"` + pool + `","ClientName":"c","AllowedOAuthFlowsUserPoolClient":true,"AllowedOAuthFlows":["code"],"AllowedOAuthScopes":["a/b"],"CallbackURLs":["http://[::1"]}`},
		{"UpdateUserPoolClient", `{"UserPoolId":"` + pool + `","ClientId":"` + cid + `","RefreshTokenValidity":315360000,"TokenValidityUnits":{"RefreshToken":"days"}}`},
		{"ListUserPoolClients", `{"UserPoolId":"` + pool + `","MaxResults":60}`},
		{"CreateGroup", `{"UserPoolId":"` + pool + `","GroupName":"g","Precedence":2147483647}`},
		{"AdminAddUserToGroup", `{"UserPoolId":"` + pool + `","GroupName":"g","Username":"u"}`},
		{"ListUsersInGroup", `{"UserPoolId":"` + pool + `","GroupName":"g","Limit":1}`},
		{"CreateResourceServer", `{"UserPoolId":"` + pool + `","Identifier":"api","Name":"api","Scopes":[{"ScopeName":"r","ScopeDescription":"d"}]}`},
		{"CreateUserPoolDomain", `{"UserPoolId":"` + pool + `","Domain":"fuzz-domain"}`},
		{"DescribeUserPoolDomain", `{"Domain":"fuzz-domain"}`},
		{"SignUp", `{"ClientId":"` + cid + `","Username":"u","Password":"Passw0rd!"}`},
		{"InitiateAuth", `{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"` + cid + `","AuthParameters":{"USERNAME":"u"}}`},
		{"AdminCreateUser", `{"UserPoolId":"` + pool + `","Username":"v"}`},
		{"ListUsers", `{"UserPoolId":"` + pool + `","Filter":"email ^= \"a\""}`},
		{"DeleteUserPool", `{"UserPoolId":"us-east-1_nope"}`},
		{"Nope", `{}`},
		{"", ``},
		{"CreateUserPool", `{"PoolName":1e999}`},
		{"CreateUserPool", "\xff\xfe"},
	}
	for _, s := range seeds {
		f.Add(s.action, []byte(s.body))
	}

	f.Fuzz(func(t *testing.T, action string, body []byte) {
		rec := call(action, body)
		if ct := rec.Header().Get("Content-Type"); ct != "application/x-amz-json-1.1" {
			t.Fatalf("%s: Content-Type %q", action, ct)
		}
		switch rec.Code {
		case http.StatusOK:
			var out map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
				t.Fatalf("%s: 200 with a body that is not a JSON object: %q", action, rec.Body)
			}
		case http.StatusBadRequest:
			var out struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Type == "" || out.Message == "" {
				t.Fatalf("%s: 400 with body %q", action, rec.Body)
			}
		default:
			t.Fatalf("%s %q: status %d, body %s", action, body, rec.Code, rec.Body)
		}
	})
}

// fuzzKeys pre-generates n RSA-2048 keys and hands them out in turn.
func fuzzKeys(f *testing.F, n int) func() (*rsa.PrivateKey, error) {
	keys := make([]*rsa.PrivateKey, n)
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			f.Fatal(err)
		}
		keys[i] = k
	}
	var next atomic.Uint64
	return func() (*rsa.PrivateKey, error) { return keys[next.Add(1)%uint64(n)], nil }
}
