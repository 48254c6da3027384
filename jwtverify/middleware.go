package jwtverify

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

type claimsKey struct{}

// ContextWithClaims returns ctx carrying c, as Middleware does. It is for
// tests of handlers that sit behind the middleware.
func ContextWithClaims(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// ClaimsFromContext returns the claims Middleware stored for the request.
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok && c != nil
}

// MiddlewareOption configures Middleware.
type MiddlewareOption func(*middleware)

// CookieName makes Middleware also read the token from the named cookie when
// the request has no Bearer Authorization header.
func CookieName(name string) MiddlewareOption {
	return func(m *middleware) { m.cookie = name }
}

// OnError is called with every verification failure, for logging. It must
// not write to the response.
func OnError(f func(*http.Request, error)) MiddlewareOption {
	return func(m *middleware) { m.onError = f }
}

type middleware struct {
	v       *Verifier
	cookie  string
	onError func(*http.Request, error)
}

// Middleware verifies the request's token with v and stores its claims in the
// request context (ClaimsFromContext). The token comes from an
// "Authorization: Bearer" header or, with CookieName, from a cookie; query
// parameters are never read. Failures are answered as RFC 6750 says:
//
//   - no token: 401, WWW-Authenticate: Bearer
//   - a malformed Authorization header: 400, Bearer error="invalid_request"
//   - a token that fails verification: 401, Bearer error="invalid_token"
//   - a valid token lacking a scope or group the Verifier requires: 403,
//     Bearer error="insufficient_scope"
//   - the JWKS could not be fetched: 503, no challenge
//
// with a JSON body {"error": ..., "error_description": ...}.
func Middleware(v *Verifier, opts ...MiddlewareOption) func(http.Handler) http.Handler {
	m := &middleware{v: v}
	for _, o := range opts {
		o(m)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token, problem := m.token(r)
			switch problem {
			case "missing":
				writeChallenge(w, http.StatusUnauthorized, "", "", "a bearer token is required")
				return
			case "invalid":
				writeChallenge(w, http.StatusBadRequest, "invalid_request", "", "malformed Authorization header")
				return
			}
			c, err := v.Verify(r.Context(), token)
			if err != nil {
				if m.onError != nil {
					m.onError(r, err)
				}
				writeVerifyError(w, err, v.cfg.requiredScopes)
				return
			}
			next.ServeHTTP(w, r.WithContext(ContextWithClaims(r.Context(), c)))
		})
	}
}

// token extracts the raw token; problem is "missing" or "invalid" on failure.
func (m *middleware) token(r *http.Request) (token, problem string) {
	auth := r.Header.Values("Authorization")
	if len(auth) > 1 {
		return "", "invalid"
	}
	if len(auth) == 1 {
		scheme, rest, _ := strings.Cut(auth[0], " ")
		if strings.EqualFold(scheme, "Bearer") {
			token = strings.TrimLeft(rest, " ")
			if token == "" || strings.ContainsAny(token, " \t") {
				return "", "invalid"
			}
			return token, ""
		}
	}
	if m.cookie != "" {
		if ck, err := r.Cookie(m.cookie); err == nil && ck.Value != "" {
			return ck.Value, ""
		}
	}
	return "", "missing"
}

// RequireScopes lets a request through only if the claims Middleware stored
// carry ALL the scopes; otherwise 403 insufficient_scope (401 when there are
// no claims, i.e. the handler is not behind Middleware). It panics on an
// invalid scope, as that is a programming error.
func RequireScopes(scopes ...string) func(http.Handler) http.Handler {
	for _, s := range scopes {
		if !validScopeToken(s) {
			panic("jwtverify: RequireScopes: invalid scope " + quote(s))
		}
	}
	return requireClaims(func(c *Claims) *ValidationError { return checkScopes(c, scopes) }, scopes)
}

// RequireGroups lets a request through only if the user is in ANY of the
// groups; otherwise 403 insufficient_scope.
func RequireGroups(groups ...string) func(http.Handler) http.Handler {
	return requireClaims(func(c *Claims) *ValidationError { return checkGroups(c, groups) }, nil)
}

func requireClaims(check func(*Claims) *ValidationError, scopes []string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, ok := ClaimsFromContext(r.Context())
			if !ok {
				writeChallenge(w, http.StatusUnauthorized, "", "", "a bearer token is required")
				return
			}
			if err := check(c); err != nil {
				writeVerifyError(w, err, scopes)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func writeVerifyError(w http.ResponseWriter, err error, scopes []string) {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		ve = &ValidationError{Check: CheckMalformed, Err: ErrMalformed, Cause: err}
	}
	switch ve.HTTPStatus() {
	case http.StatusForbidden:
		if ve.Check != CheckScope {
			scopes = nil
		}
		writeChallenge(w, http.StatusForbidden, "insufficient_scope", strings.Join(scopes, " "), ve.Err.Error())
	case http.StatusServiceUnavailable:
		writeJSON(w, http.StatusServiceUnavailable, "temporarily_unavailable", "token keys are unavailable")
	default:
		writeChallenge(w, http.StatusUnauthorized, "invalid_token", "", ve.Err.Error())
	}
}

// writeChallenge writes an RFC 6750 §3 challenge. Only fixed strings and
// validated scope tokens go into the header.
func writeChallenge(w http.ResponseWriter, status int, code, scope, description string) {
	challenge := "Bearer"
	if code != "" {
		challenge += ` error="` + code + `"`
	}
	if scope != "" {
		challenge += `, scope="` + scope + `"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	if code == "" {
		code = "unauthorized"
	}
	writeJSON(w, status, code, description)
}

func writeJSON(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{code, strings.TrimPrefix(description, "jwtverify: ")})
}
