package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// The measured requests are built by hand rather than through the AWS SDK:
// the server sees the same bytes, and the load generator, which shares the
// machine's cores with the server, spends less CPU per request.

// maxBody bounds what is read of an answer.
const maxBody = 1 << 20

// apiCall POSTs a cognito-idp JSON API action, as the SDK sends it, and
// decodes a 2xx answer into out.
func (e *env) apiCall(ctx context.Context, action string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.Base+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+action)
	return e.do(req, out)
}

// postToken POSTs form to /oauth2/token with HTTP Basic client
// authentication.
func (e *env) postToken(ctx context.Context, form url.Values, clientID, secret string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.Base+"/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	return e.do(req, out)
}

// get fetches uri and decodes a 2xx JSON answer into out.
func (e *env) get(ctx context.Context, uri string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return err
	}
	return e.do(req, out)
}

// failure is a failed request; its text is its kind, which the report
// counts. It never holds a token, code or password.
type failure string

func (f failure) Error() string { return string(f) }

// do sends req and decodes a 2xx JSON answer into out. A transport error,
// another status or an undecodable body is a failure naming the status and
// the error code of the body (__type or error), if any.
func (e *env) do(req *http.Request, out any) error {
	resp, err := e.HTTP.Do(req)
	if err != nil {
		return failure("transport: " + transportKind(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return failure(fmt.Sprintf("HTTP %d, body unreadable", resp.StatusCode))
	}
	if resp.StatusCode/100 != 2 {
		var errBody struct {
			Type  string `json:"__type"`
			Error string `json:"error"`
		}
		_ = json.Unmarshal(body, &errBody)
		return failure(strings.TrimSpace(fmt.Sprintf("HTTP %d %s%s", resp.StatusCode, errBody.Type, errBody.Error)))
	}
	if err := json.Unmarshal(body, out); err != nil {
		return failure(fmt.Sprintf("HTTP %d, body is not the expected JSON", resp.StatusCode))
	}
	return nil
}

// transportKind shortens a transport error for counting: timeouts, refused
// connections and resets, without the per-connection details.
func transportKind(err error) string {
	s := err.Error()
	for _, kind := range []string{"Client.Timeout", "deadline exceeded", "connection refused", "connection reset", "EOF", "context canceled"} {
		if strings.Contains(s, kind) {
			return kind
		}
	}
	return s
}
