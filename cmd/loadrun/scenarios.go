package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// scenario is one measured request type.
type scenario struct {
	ID   string // for --scenarios
	Name string // in the report
	// Crypto is the cryptography one request of this kind costs the server.
	Crypto cryptoCount
	// prepare sets the scenario up, untimed (clients, tokens, codes), and
	// returns the request the workers repeat. An error skips the scenario.
	prepare func(ctx context.Context, e *env, o options) (request, error)
}

// request performs one measured request. It returns nil on a 2xx answer
// with the expected content, errExhausted when it has nothing left to send,
// and otherwise an error whose text is its kind (status and error code).
type request func(ctx context.Context) error

// errExhausted ends a scenario whose requests use up something made in
// advance (authorization codes).
var errExhausted = errors.New("supply used up")

// cryptoCount is the expensive cryptography of one request.
type cryptoCount struct {
	Bcrypt, Sign, Verify int
}

func (c cryptoCount) String() string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(c.Bcrypt, "bcrypt")
	add(c.Sign, "RSA sign")
	add(c.Verify, "RSA verify")
	if len(parts) == 0 {
		return "none"
	}
	s := parts[0]
	for _, p := range parts[1:] {
		s += " + " + p
	}
	return s
}

// codeExchangeCrypto is an authorization-code redemption's crypto: the ID
// and access token (scope openid).
var codeExchangeCrypto = cryptoCount{Sign: 2}

// scenarios lists every scenario in the order they run.
var scenarios = []scenario{
	{
		ID: "password", Name: "InitiateAuth USER_PASSWORD_AUTH",
		Crypto:  cryptoCount{Bcrypt: 1, Sign: 2}, // password check; ID and access token
		prepare: preparePassword,
	},
	{
		ID: "client-credentials", Name: "token client_credentials",
		Crypto:  cryptoCount{Sign: 1}, // access token only
		prepare: prepareClientCredentials,
	},
	{
		ID: "get-user", Name: "GetUser (access token)",
		Crypto:  cryptoCount{Verify: 1}, // the access token's signature
		prepare: prepareGetUser,
	},
	{
		ID: "jwks", Name: "GET jwks.json",
		prepare: prepareJWKS,
	},
	{
		ID: "refresh", Name: "InitiateAuth REFRESH_TOKEN_AUTH",
		Crypto:  cryptoCount{Sign: 2}, // new ID and access token
		prepare: prepareRefresh,
	},
	{
		ID: "code", Name: "token authorization_code",
		Crypto:  codeExchangeCrypto,
		prepare: prepareCodeExchange,
	},
}

func scenarioIDs() []string {
	ids := make([]string, len(scenarios))
	for i, s := range scenarios {
		ids[i] = s.ID
	}
	return ids
}

func knownScenario(id string) bool { return slices.Contains(scenarioIDs(), id) }

// selectScenarios returns the scenarios named in ids, in run order.
func selectScenarios(ids []string) []scenario {
	var out []scenario
	for _, s := range scenarios {
		if slices.Contains(ids, s.ID) {
			out = append(out, s)
		}
	}
	return out
}

// authResult is the part of an InitiateAuth answer the scenarios check.
type authResult struct {
	AuthenticationResult struct {
		AccessToken string
		IdToken     string
	}
}

func (a *authResult) check() error {
	if a.AuthenticationResult.AccessToken == "" || a.AuthenticationResult.IdToken == "" {
		return errors.New("HTTP 200 without ID and access token")
	}
	return nil
}

func preparePassword(_ context.Context, e *env, _ options) (request, error) {
	return e.initiateAuth("USER_PASSWORD_AUTH", map[string]string{"USERNAME": loadUser, "PASSWORD": e.Password})
}

func prepareRefresh(ctx context.Context, e *env, _ options) (request, error) {
	tokens, err := e.signIn(ctx)
	if err != nil {
		return nil, err
	}
	// The client does not rotate refresh tokens (Cognito's default), so the
	// same token is redeemed over and over, as an SDK would until it expires.
	return e.initiateAuth("REFRESH_TOKEN_AUTH", map[string]string{"REFRESH_TOKEN": aws.ToString(tokens.RefreshToken)})
}

// initiateAuth is a request that runs InitiateAuth on the password client
// with the given flow and parameters, and expects tokens back.
func (e *env) initiateAuth(flow string, params map[string]string) (request, error) {
	body, err := json.Marshal(map[string]any{"AuthFlow": flow, "ClientId": e.PasswordClient, "AuthParameters": params})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		var out authResult
		if err := e.apiCall(ctx, "InitiateAuth", body, &out); err != nil {
			return err
		}
		return out.check()
	}, nil
}

func prepareGetUser(ctx context.Context, e *env, _ options) (request, error) {
	tokens, err := e.signIn(ctx)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(map[string]string{"AccessToken": aws.ToString(tokens.AccessToken)})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		var out struct{ Username string }
		if err := e.apiCall(ctx, "GetUser", body, &out); err != nil {
			return err
		}
		if out.Username != loadUser {
			return errors.New("HTTP 200 without the user")
		}
		return nil
	}, nil
}

func prepareJWKS(_ context.Context, e *env, _ options) (request, error) {
	uri := e.Base + "/" + e.PoolID + "/.well-known/jwks.json"
	return func(ctx context.Context) error {
		var out struct{ Keys []json.RawMessage }
		if err := e.get(ctx, uri, &out); err != nil {
			return err
		}
		if len(out.Keys) == 0 {
			return errors.New("HTTP 200 without keys")
		}
		return nil
	}, nil
}

// tokenAnswer is the part of an /oauth2/token answer the scenarios check.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	IDToken     string `json:"id_token"`
}

func prepareClientCredentials(ctx context.Context, e *env, _ options) (request, error) {
	id, secret, err := e.machineClient(ctx)
	if err != nil {
		return nil, err
	}
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {machineScope}}
	return func(ctx context.Context) error {
		var out tokenAnswer
		if err := e.postToken(ctx, form, id, secret, &out); err != nil {
			return err
		}
		if out.AccessToken == "" {
			return errors.New("HTTP 200 without access token")
		}
		return nil
	}, nil
}

// enoughCodes is how many codes the code exchange can use up in d: its
// crypto ceiling on cores (it is never reached) with a quarter more.
func enoughCodes(c cryptoCosts, cores int, d time.Duration) int {
	perCode := time.Duration(codeExchangeCrypto.Sign) * c.sign
	if perCode <= 0 {
		return 1000
	}
	return max(100, int(1.25*float64(cores)*d.Seconds()/perCode.Seconds()))
}

// prepareCodeExchange signs in once through the hosted UI, then collects
// authorization codes from /oauth2/authorize on that session (untimed), so
// the workers measure only their redemption at /oauth2/token.
func prepareCodeExchange(ctx context.Context, e *env, o options) (request, error) {
	id, secret, err := e.webClient(ctx)
	if err != nil {
		return nil, err
	}
	// One more than the cap: the probe request uses one.
	codes, err := e.mintCodes(ctx, id, min(o.Codes, o.MaxRequests)+1, o.Concurrency)
	if err != nil {
		return nil, err
	}
	var next atomic.Int64
	return func(ctx context.Context) error {
		i := next.Add(1) - 1
		if i >= int64(len(codes)) {
			return errExhausted
		}
		form := url.Values{
			"grant_type": {"authorization_code"}, "code": {codes[i]},
			"redirect_uri": {codeCallbackURL}, "client_id": {id},
		}
		var out tokenAnswer
		if err := e.postToken(ctx, form, id, secret, &out); err != nil {
			return err
		}
		if out.AccessToken == "" || out.IDToken == "" {
			return errors.New("HTTP 200 without ID and access token")
		}
		return nil
	}, nil
}
