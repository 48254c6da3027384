package cognitoapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/locognito/locognito/server"
	"github.com/locognito/locognito/server/servertest"
)

// fakeSigV4 is a well-formed SigV4 Authorization header; locognito checks
// its shape, not the signature (spec §6).
const fakeSigV4 = "AWS4-HMAC-SHA256 Credential=AKIDLOCOGNITO/20260305/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd"

// postAPI sends a raw JSON API request; target "" sends no X-Amz-Target.
func postAPI(t *testing.T, url, target string, body []byte, signed bool) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	if signed {
		req.Header.Set("Authorization", fakeSigV4)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response body %q is not a JSON object: %v", raw, err)
	}
	return resp, out
}

const apiTarget = "AWSCognitoIdentityProviderService."

func TestDispatchErrors(t *testing.T) {
	ts := servertest.Start(t)
	tests := []struct {
		name     string
		target   string
		body     []byte
		unsigned bool
		wantType string
		wantMsg  string // "" = any
	}{
		{"malformed JSON", apiTarget + "CreateUserPool", []byte(`{"PoolName":`), false, "SerializationException", ""},
		{"wrong member type", apiTarget + "CreateUserPool", []byte(`{"PoolName": 5}`), false, "SerializationException", ""},
		{"nested wrong type", apiTarget + "CreateUserPool",
			[]byte(`{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":"8"}}}`), false, "SerializationException", ""},
		{"array body", apiTarget + "DescribeUserPool", []byte(`[]`), false, "SerializationException", ""},
		{"trailing data", apiTarget + "DescribeUserPool", []byte(`{} {}`), false, "SerializationException", ""},
		{"echo-only member not an object", apiTarget + "CreateUserPool", []byte(`{"PoolName":"p","EmailConfiguration":"x"}`), false, "SerializationException", ""},
		{"unknown action", apiTarget + "MakeCoffee", []byte(`{}`), false, "UnknownOperationException", ""},
		{"foreign service", "AWSCognitoIdentityService.CreateUserPool", []byte(`{}`), false, "UnknownOperationException", ""},
		{"no target", "", []byte(`{}`), false, "UnknownOperationException", ""},
		{"unsigned admin call", apiTarget + "CreateUserPool", []byte(`{"PoolName":"p"}`), true, "MissingAuthenticationTokenException", ""},
		{"oversized body", apiTarget + "CreateUserPool",
			[]byte(`{"PoolName":"` + strings.Repeat("a", 2<<20) + `"}`), false, "SerializationException", ""},
		{"missing required member", apiTarget + "DescribeUserPool", []byte(`{}`), false, "InvalidParameterException",
			"1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
		{"empty body is an empty object", apiTarget + "ListUserPools", nil, false, "InvalidParameterException",
			"1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null"},
		{"bad pool id", apiTarget + "DescribeUserPool", []byte(`{"UserPoolId":"nounderscore"}`), false, "InvalidParameterException",
			`1 validation error detected: Value 'nounderscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := postAPI(t, ts.URL, tt.target, tt.body, !tt.unsigned)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status = %d, want 400", resp.StatusCode)
			}
			if body["__type"] != tt.wantType {
				t.Errorf("__type = %v, want %s (body %v)", body["__type"], tt.wantType, body)
			}
			msg, _ := body["message"].(string)
			if msg == "" || (tt.wantMsg != "" && msg != tt.wantMsg) {
				t.Errorf("message = %q, want %q", msg, tt.wantMsg)
			}
			if got := resp.Header.Get("x-amzn-ErrorType"); got != tt.wantType {
				t.Errorf("x-amzn-ErrorType = %q", got)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/x-amz-json-1.1" {
				t.Errorf("Content-Type = %q", got)
			}
			if resp.Header.Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId")
			}
		})
	}
}

func TestUnsignedAdminCall(t *testing.T) {
	ts := servertest.Start(t)
	// A plain http.Post, as a script without SigV4 would send it.
	resp, err := http.Post(ts.URL+"/", "application/x-amz-json-1.1", strings.NewReader(`{"MaxResults":10}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("x-amzn-ErrorType") != "UnknownOperationException" {
		t.Errorf("no target: status %d type %q", resp.StatusCode, resp.Header.Get("x-amzn-ErrorType"))
	}
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/", strings.NewReader(`{"MaxResults":10}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", apiTarget+"ListUserPools")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || body["__type"] != "MissingAuthenticationTokenException" {
		t.Errorf("unsigned ListUserPools: status %d body %v, want 400 MissingAuthenticationTokenException", resp.StatusCode, body)
	}

	// A public action needs no signature, and AllowUnsigned admits admin
	// actions.
	resp2, body2 := postAPI(t, ts.URL, apiTarget+"SignUp", []byte(`{}`), false)
	if body2["__type"] == "MissingAuthenticationTokenException" {
		t.Errorf("public SignUp refused as unsigned: %d %v", resp2.StatusCode, body2)
	}
	open := servertest.Start(t, servertest.WithConfig(func(c *server.Config) { c.AllowUnsigned = true }))
	resp3, body3 := postAPI(t, open.URL, apiTarget+"ListUserPools", []byte(`{"MaxResults":10}`), false)
	if resp3.StatusCode != http.StatusOK || body3["UserPools"] == nil {
		t.Errorf("AllowUnsigned ListUserPools: %d %v", resp3.StatusCode, body3)
	}
}

func TestDispatchSuccessShape(t *testing.T) {
	ts := servertest.Start(t)
	resp, body := postAPI(t, ts.URL, apiTarget+"CreateUserPool", []byte(`{"PoolName":"shape"}`), true)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/x-amz-json-1.1" || resp.Header.Get("x-amzn-RequestId") == "" {
		t.Fatalf("CreateUserPool: %d %v %v", resp.StatusCode, resp.Header, body)
	}
	pool, _ := body["UserPool"].(map[string]any)
	id, _ := pool["Id"].(string)
	// Dates are epoch-second numbers, as the SDKs expect.
	if _, ok := pool["CreationDate"].(float64); !ok {
		t.Errorf("CreationDate = %#v, want a JSON number", pool["CreationDate"])
	}
	if pool["CreationDate"] != float64(servertest.Epoch.Unix()) {
		t.Errorf("CreationDate = %v, want %d", pool["CreationDate"], servertest.Epoch.Unix())
	}
	resp, body = postAPI(t, ts.URL, apiTarget+"DeleteUserPool", []byte(`{"UserPoolId":"`+id+`"}`), true)
	if resp.StatusCode != http.StatusOK || len(body) != 0 {
		t.Errorf("DeleteUserPool: %d %v, want 200 {}", resp.StatusCode, body)
	}
}
