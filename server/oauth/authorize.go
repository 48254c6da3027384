package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ory/fosite"

	"github.com/locognito/locognito/storage"
)

// AuthorizeRequest is a validated /oauth2/authorize request.
type AuthorizeRequest struct {
	Pool         storage.Pool
	Client       storage.Client
	RedirectURI  string
	ResponseType string // "code" or "token"
	State        string
	Scopes       []string // effective: the requested ones, or all allowed
	Nonce        string
	Challenge    string
	Method       string
}

// PageError is an authorize failure that must not redirect (unknown client,
// unregistered redirect URI): the hosted UI shows it as an error page.
type PageError struct {
	Status  int
	Code    string // e.g. redirect_mismatch
	Message string
}

func (e *PageError) Error() string { return e.Code + ": " + e.Message }

// RedirectError is an authorize failure reported to the client at its
// registered redirect URI with error and state (RFC 6749 §4.1.2.1).
type RedirectError struct {
	RedirectURI string
	Fragment    bool // implicit requests answer in the fragment
	Code        string
	State       string
	cause       error
}

func (e *RedirectError) Error() string { return "authorize: " + e.Code }

// Reason is a log-safe explanation (fosite's hint), when there is one.
func (e *RedirectError) Reason() string {
	if e.cause == nil {
		return ""
	}
	return reason(e.cause)
}
func (e *RedirectError) Unwrap() error { return e.cause }

// Location is where the browser is sent.
func (e *RedirectError) Location() string {
	v := url.Values{"error": {e.Code}}
	if e.State != "" {
		v.Set("state", e.State)
	}
	return withParams(e.RedirectURI, v, e.Fragment)
}

// reservedScopes are Cognito's own scopes; email, phone and profile need
// openid as well (spec §10).
var reservedScopes = []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}

// pkceChallenge is a BASE64URL(SHA-256) value: 43 characters.
var pkceChallenge = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// ParseAuthorize validates an authorize query the way Cognito does, before
// anyone signs in. An unknown client or an unregistered redirect_uri is a
// *PageError; any other problem a *RedirectError.
func (p *Provider) ParseAuthorize(ctx context.Context, q url.Values) (*AuthorizeRequest, error) {
	clientID := q.Get("client_id")
	if clientID == "" {
		return nil, &PageError{Status: http.StatusBadRequest, Code: "invalid_request", Message: "A client_id is required."}
	}
	client, err := p.Store.GetClient(ctx, clientID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, &PageError{Status: http.StatusBadRequest, Code: "invalid_request", Message: "The client does not exist."}
	}
	if err != nil {
		return nil, fmt.Errorf("get client: %w", err)
	}
	redirect := q.Get("redirect_uri")
	if redirect == "" || !slices.Contains(client.CallbackURLs, redirect) {
		return nil, &PageError{Status: http.StatusBadRequest, Code: "redirect_mismatch",
			Message: "The redirect_uri is not registered for this client."}
	}
	pool, err := p.Store.GetPool(ctx, client.PoolID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, &PageError{Status: http.StatusBadRequest, Code: "invalid_request", Message: "The client does not exist."}
	}
	if err != nil {
		return nil, fmt.Errorf("get pool: %w", err)
	}
	ar := &AuthorizeRequest{
		Pool: pool, Client: client, RedirectURI: redirect, State: q.Get("state"),
		ResponseType: q.Get("response_type"), Nonce: q.Get("nonce"),
		Challenge: q.Get("code_challenge"), Method: q.Get("code_challenge_method"),
	}
	fail := func(code string) error {
		return &RedirectError{RedirectURI: redirect, Fragment: ar.ResponseType == "token", Code: code, State: ar.State}
	}

	var flow string
	switch ar.ResponseType {
	case "code":
		flow = FlowCode
	case "token":
		flow = FlowImplicit
	default:
		return nil, fail("invalid_request")
	}
	if idp := q.Get("identity_provider"); idp != "" && idp != "COGNITO" {
		return nil, fail("invalid_request")
	}
	if !allowsFlow(client, flow) || !slices.Contains(client.SupportedIdentityProviders, "COGNITO") {
		return nil, fail("unauthorized_client")
	}

	scopes, ok := effectiveScopes(client, q.Get("scope"))
	if !ok {
		return nil, fail("invalid_scope")
	}
	ar.Scopes = scopes

	if flow == FlowCode {
		switch {
		case ar.Challenge == "" && ar.Method != "",
			ar.Challenge != "" && ar.Method != "S256", // plain or absent
			ar.Challenge != "" && !pkceChallenge.MatchString(ar.Challenge),
			ar.Challenge == "" && client.RequirePKCE:
			return nil, fail("invalid_request")
		}
	}
	return ar, nil
}

// effectiveScopes applies Cognito's scope rules: no scope means all the
// client's scopes; every requested one must be allowed; email, phone and
// profile come only with openid.
func effectiveScopes(c storage.Client, raw string) ([]string, bool) {
	var scopes []string
	for _, s := range strings.Fields(raw) {
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	if len(scopes) == 0 {
		scopes = slices.Clone(c.AllowedOAuthScopes)
		// With openid not allowed, the OIDC-only scopes cannot be granted.
		if !slices.Contains(scopes, "openid") {
			scopes = slices.DeleteFunc(scopes, func(s string) bool {
				return s == "email" || s == "phone" || s == "profile"
			})
		}
		return scopes, true
	}
	for _, s := range scopes {
		if !slices.Contains(c.AllowedOAuthScopes, s) {
			return nil, false
		}
		if (s == "email" || s == "phone" || s == "profile") && !slices.Contains(scopes, "openid") {
			return nil, false
		}
		if !strings.Contains(s, "/") && !slices.Contains(reservedScopes, s) {
			return nil, false
		}
	}
	return scopes, true
}

// CompleteAuthorize finishes an authorize request for a signed-in user: it
// runs fosite's authorize handlers (code, PKCE and OIDC records, or the
// implicit tokens) and returns the redirect to the client.
func (p *Provider) CompleteAuthorize(ctx context.Context, ar *AuthorizeRequest, user storage.User, authTime time.Time) (string, error) {
	fail := func(code string, cause error) error {
		return &RedirectError{RedirectURI: ar.RedirectURI, Fragment: ar.ResponseType == "token",
			Code: code, State: ar.State, cause: cause}
	}
	// fosite sees only the parameters Cognito honours, already checked;
	// prompt, max_age, request objects and the like are dropped.
	form := url.Values{
		"client_id":     {ar.Client.ClientID},
		"redirect_uri":  {ar.RedirectURI},
		"response_type": {ar.ResponseType},
		"scope":         {strings.Join(ar.Scopes, " ")},
	}
	// fosite insists on a state; Cognito does not. The redirect is built
	// below from ar.State, so fosite's placeholder never leaves.
	state := ar.State
	if state == "" {
		state = "-"
	}
	for k, v := range map[string]string{
		"state": state, "nonce": ar.Nonce,
		"code_challenge": ar.Challenge, "code_challenge_method": ar.Method,
	} {
		if v != "" {
			form.Set(k, v)
		}
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, "/oauth2/authorize?"+form.Encode(), nil)
	if err != nil {
		return "", err
	}
	far, err := p.fosite.NewAuthorizeRequest(ctx, r)
	if err != nil {
		return "", fail(authorizeErrorCode(err), err)
	}
	for _, s := range ar.Scopes {
		far.GrantScope(s)
	}
	sess := &Session{
		PoolID: ar.Pool.ID, UsernameKey: user.UsernameKey, Username: user.Username,
		Subject: user.Sub, AuthTime: authTime, Nonce: ar.Nonce,
	}
	ctx, m := withMint(ctx)
	resp, err := p.fosite.NewAuthorizeResponse(ctx, far, sess)
	if err != nil {
		return "", fail(authorizeErrorCode(err), err)
	}

	v := url.Values{}
	if ar.ResponseType == "code" {
		v.Set("code", resp.GetCode())
	} else {
		if !m.done {
			return "", fail("server_error", errNoMint)
		}
		v.Set("access_token", m.result.AccessToken)
		if m.result.IDToken != "" {
			v.Set("id_token", m.result.IDToken)
		}
		v.Set("token_type", "Bearer")
		v.Set("expires_in", strconv.Itoa(m.result.ExpiresIn))
	}
	if ar.State != "" {
		v.Set("state", ar.State)
	}
	return withParams(ar.RedirectURI, v, ar.ResponseType == "token"), nil
}

// authorizeErrorCode maps a fosite authorize failure to the codes Cognito
// sends back (spec §10.1).
func authorizeErrorCode(err error) string {
	var fe *fosite.RFC6749Error
	if !errors.As(err, &fe) {
		return "server_error"
	}
	switch fe.ErrorField {
	case "invalid_scope", "unauthorized_client", "server_error", "invalid_request":
		return fe.ErrorField
	case "invalid_grant":
		return "unauthorized_client"
	}
	return "invalid_request"
}

// withParams appends v to uri's query, or sets it as the fragment.
func withParams(uri string, v url.Values, fragment bool) string {
	if fragment {
		return uri + "#" + v.Encode()
	}
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
	}
	return uri + sep + v.Encode()
}
