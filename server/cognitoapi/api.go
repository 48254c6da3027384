package cognitoapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/userpool"
)

const (
	targetPrefix = "AWSCognitoIdentityProviderService."
	contentType  = "application/x-amz-json-1.1"
	// maxBody bounds a request body; Cognito's largest inputs are far smaller.
	maxBody = 1 << 20
)

// API is the JSON API handler.
type API struct {
	Pools *userpool.Service
	Log   *slog.Logger
	// AllowUnsigned admits admin (SigV4) actions without an Authorization
	// header. Off by default: SDKs always sign, so an unsigned admin call is
	// a bug the caller wants to hear about.
	AllowUnsigned bool

	actions map[string]handler
}

// handler runs one action on a raw JSON body.
type handler func(ctx context.Context, body []byte) (any, error)

// New builds the API with every action registered.
func New(pools *userpool.Service, log *slog.Logger) *API {
	a := &API{Pools: pools, Log: log, actions: map[string]handler{}}
	for _, group := range []map[string]handler{
		a.poolActions(),
		a.clientActions(),
		a.groupActions(),
		a.resourceServerActions(),
		a.userActions(),
		a.authActions(),
	} {
		for name, h := range group {
			a.actions[name] = h
		}
	}
	return a
}

// Mount registers POST / on r.
func (a *API) Mount(r *mux.Router) {
	r.Path("/").Methods(http.MethodPost).Handler(a)
}

// ServeHTTP dispatches by X-Amz-Target.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := ids.UUID()
	w.Header().Set("x-amzn-RequestId", reqID)
	action, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	log := a.log().With("request_id", reqID, "target", action)
	h := a.actions[action]
	if !ok || h == nil {
		a.writeError(w, log, exception.New(exception.UnknownOperation, "Unknown operation "+r.Header.Get("X-Amz-Target")))
		return
	}
	if !publicActions[action] && !a.AllowUnsigned && !signedV4(r) {
		a.writeError(w, log, exception.New("MissingAuthenticationTokenException", "Missing Authentication Token"))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			a.writeError(w, log, exception.New(exception.Serialization, "Request body is too large."))
			return
		}
		a.writeError(w, log, exception.New(exception.Serialization, "Could not read the request body."))
		return
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		body = []byte("{}")
	}
	out, err := h(r.Context(), body)
	if err != nil {
		a.writeError(w, log, err)
		return
	}
	if out == nil {
		out = struct{}{}
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(out)
}

// writeError writes a Cognito error body. Internal errors are logged with
// their cause and shown only as InternalErrorException.
func (a *API) writeError(w http.ResponseWriter, log *slog.Logger, err error) {
	code, msg, status := exception.Code(err), exception.Message(err), http.StatusBadRequest
	if code == exception.Internal {
		status = http.StatusInternalServerError
		log.Error("internal error", "err", err)
	} else {
		log.Debug("request failed", "type", code)
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("x-amzn-ErrorType", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}

func (a *API) log() *slog.Logger {
	if a.Log == nil {
		return slog.Default()
	}
	return a.Log
}

// signedV4 reports whether the request carries a well-formed SigV4
// Authorization header. locognito does not check the signature (spec §6).
func signedV4(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	return ok && strings.Contains(rest, "Credential=") && strings.Contains(rest, "Signature=")
}

// publicActions need no SigV4 (spec §6 and §7 "P").
var publicActions = map[string]bool{
	"SignUp": true, "ConfirmSignUp": true, "ResendConfirmationCode": true,
	"InitiateAuth": true, "RespondToAuthChallenge": true, "GetTokensFromRefreshToken": true,
	"GlobalSignOut": true, "RevokeToken": true, "GetUser": true, "ChangePassword": true,
	"ForgotPassword": true, "ConfirmForgotPassword": true, "UpdateUserAttributes": true,
	"DeleteUser": true, "DeleteUserAttributes": true, "GetUserAttributeVerificationCode": true,
	"VerifyUserAttribute": true,
}
