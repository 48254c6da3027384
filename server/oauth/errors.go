package oauth

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/ory/fosite"

	"github.com/locognito/locognito/server/exception"
)

// RFC 6749 error codes Cognito's token endpoint uses (spec §10.3).
const (
	errInvalidRequest       = "invalid_request"
	errInvalidClient        = "invalid_client"
	errInvalidGrant         = "invalid_grant"
	errUnauthorizedClient   = "unauthorized_client"
	errUnsupportedGrantType = "unsupported_grant_type"
	errInvalidScope         = "invalid_scope"
	errServerError          = "server_error"
)

// oauthError is an error this package reports with an RFC 6749 code.
type oauthError struct {
	code  string
	msg   string
	cause error
}

func (e *oauthError) Error() string {
	if e.cause != nil {
		return e.code + ": " + e.msg + ": " + e.cause.Error()
	}
	return e.code + ": " + e.msg
}

func (e *oauthError) Unwrap() error { return e.cause }

func newError(code, msg string) error { return &oauthError{code: code, msg: msg} }

// wrapCode attaches an RFC 6749 code to err, keeping err for the log.
func wrapCode(code string, err error) error {
	return &oauthError{code: code, msg: exception.Message(err), cause: err}
}

// errorCode reduces any failure at the token endpoint to one of Cognito's
// codes. Token-issuer rejections (revoked, expired or foreign refresh tokens,
// a disabled user) are invalid_grant; unknown failures are server_error.
func errorCode(err error) string {
	var oe *oauthError
	if errors.As(err, &oe) {
		return oe.code
	}
	// A code redeemed by a concurrent request between fosite's two reads
	// of it: the loser of the race, not a server failure.
	if errors.Is(err, errCodeRace) || errors.Is(err, fosite.ErrInvalidatedAuthorizeCode) {
		return errInvalidGrant
	}
	var ex *exception.Error
	if errors.As(err, &ex) {
		switch ex.Code {
		case exception.InvalidParameter:
			return errInvalidRequest
		case exception.ResourceNotFound:
			return errInvalidClient
		}
		return errInvalidGrant
	}
	var fe *fosite.RFC6749Error
	if !errors.As(err, &fe) {
		return errServerError
	}
	switch code := fe.ErrorField; code {
	case errInvalidRequest, errInvalidClient, errInvalidGrant, errUnauthorizedClient,
		errUnsupportedGrantType, errInvalidScope, errServerError:
		return code
	case "unsupported_response_type", "unsupported_response_mode":
		return errInvalidRequest
	case "request_unauthorized", "token_inactive", "access_denied":
		return errInvalidGrant
	}
	return errInvalidRequest
}

// writeTokenError writes {"error":"<code>"} with Cognito's status: 401 for
// invalid_client (with WWW-Authenticate: Basic when the client used Basic,
// RFC 6749 §5.2), 500 for server_error, else 400.
func (p *Provider) writeTokenError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := errorCode(err)
	status := http.StatusBadRequest
	switch code {
	case errInvalidClient:
		status = http.StatusUnauthorized
		if strings.HasPrefix(strings.ToLower(r.Header.Get("Authorization")), "basic ") {
			w.Header().Set("WWW-Authenticate", `Basic realm="locognito"`)
		}
	case errServerError:
		status = http.StatusInternalServerError
		log.ErrorContext(r.Context(), "oauth: internal error", "err", err)
	default:
		log.DebugContext(r.Context(), "oauth: request refused", "error", code, "reason", reason(err))
	}
	writeJSON(w, status, map[string]string{"error": code})
}

// reason is a log-safe description of a refusal: fosite's hint, never the
// request's values.
func reason(err error) string {
	var fe *fosite.RFC6749Error
	if errors.As(err, &fe) {
		return fe.HintField
	}
	return exception.Message(err)
}

// writeJSON writes an OAuth JSON body; nothing here may be cached.
func writeJSON(w http.ResponseWriter, status int, body any) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
