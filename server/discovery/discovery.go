package discovery

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/storage"
)

// configMaxAge is how long clients may cache a discovery document. It only
// changes when locognito is restarted with another public URL or issuer
// mode, so a few minutes keeps such a change visible soon enough.
const configMaxAge = 300

// Handler serves the discovery endpoints.
type Handler struct {
	Store storage.Pools
	Keys  *keys.Manager
	// PublicURL is locognito's base URL without a trailing slash: the OAuth
	// endpoints sit at its root and the JWKS under it.
	PublicURL string
	// IssuerURL returns a pool's "iss" (the AWS form in AWS-issuer mode).
	IssuerURL func(poolID string) string
	Log       *slog.Logger
}

// Mount registers the endpoints on r.
func (h *Handler) Mount(r *mux.Router) {
	r.Path("/{poolId}/.well-known/jwks.json").Methods(http.MethodGet, http.MethodHead).HandlerFunc(h.jwks)
	r.Path("/{poolId}/.well-known/openid-configuration").Methods(http.MethodGet, http.MethodHead).HandlerFunc(h.configuration)
}

// configuration is the discovery document. Fields are in alphabetical
// order, as Cognito writes them; there are no PKCE or grant-type fields
// (spec §3).
type configuration struct {
	AuthorizationEndpoint            string   `json:"authorization_endpoint"`
	EndSessionEndpoint               string   `json:"end_session_endpoint"`
	IDTokenSigningAlgValuesSupported []string `json:"id_token_signing_alg_values_supported"`
	Issuer                           string   `json:"issuer"`
	JWKSURI                          string   `json:"jwks_uri"`
	ResponseTypesSupported           []string `json:"response_types_supported"`
	RevocationEndpoint               string   `json:"revocation_endpoint"`
	ScopesSupported                  []string `json:"scopes_supported"`
	SubjectTypesSupported            []string `json:"subject_types_supported"`
	TokenEndpoint                    string   `json:"token_endpoint"`
	TokenEndpointAuthMethods         []string `json:"token_endpoint_auth_methods_supported"`
	UserinfoEndpoint                 string   `json:"userinfo_endpoint"`
}

func (h *Handler) configuration(w http.ResponseWriter, r *http.Request) {
	poolID, ok := h.pool(w, r)
	if !ok {
		return
	}
	b := h.PublicURL
	writeJSON(w, http.StatusOK, "public, max-age="+strconv.Itoa(configMaxAge), configuration{
		AuthorizationEndpoint:            b + "/oauth2/authorize",
		EndSessionEndpoint:               b + "/logout",
		IDTokenSigningAlgValuesSupported: []string{"RS256"},
		// In AWS-issuer mode the issuer is Cognito's URL, but the keys are
		// still served here: jwks_uri always points at locognito.
		Issuer:                   h.IssuerURL(poolID),
		JWKSURI:                  b + "/" + poolID + "/.well-known/jwks.json",
		ResponseTypesSupported:   []string{"code", "token"},
		RevocationEndpoint:       b + "/oauth2/revoke",
		ScopesSupported:          []string{"openid", "email", "phone", "profile"},
		SubjectTypesSupported:    []string{"public"},
		TokenEndpoint:            b + "/oauth2/token",
		TokenEndpointAuthMethods: []string{"client_secret_basic", "client_secret_post"},
		UserinfoEndpoint:         b + "/oauth2/userInfo",
	})
}

// jwks serves the pool's published keys. Clients may cache the response for
// Keys.JWKSMaxAge: short enough that a key published PublishDelay before it
// signs reaches every cache first.
func (h *Handler) jwks(w http.ResponseWriter, r *http.Request) {
	poolID, ok := h.pool(w, r)
	if !ok {
		return
	}
	set, err := h.Keys.JWKS(r.Context(), poolID)
	if err != nil {
		h.internalError(w, fmt.Errorf("jwks of %s: %w", poolID, err))
		return
	}
	maxAge := int(h.Keys.JWKSMaxAge().Seconds())
	writeJSON(w, http.StatusOK, "public, max-age="+strconv.Itoa(maxAge), set)
}

// pool returns the pool named in the path, or writes 404 for an unknown
// one.
func (h *Handler) pool(w http.ResponseWriter, r *http.Request) (string, bool) {
	poolID := mux.Vars(r)["poolId"]
	_, err := h.Store.GetPool(r.Context(), poolID)
	if errors.Is(err, storage.ErrNotFound) {
		writeJSON(w, http.StatusNotFound, "no-store", map[string]string{
			"__type":  "ResourceNotFoundException",
			"message": "User pool " + poolID + " does not exist.",
		})
		return "", false
	}
	if err != nil {
		h.internalError(w, fmt.Errorf("get pool %s: %w", poolID, err))
		return "", false
	}
	return poolID, true
}

func (h *Handler) internalError(w http.ResponseWriter, err error) {
	log := h.Log
	if log == nil {
		log = slog.Default()
	}
	log.Error("discovery", "err", err)
	writeJSON(w, http.StatusInternalServerError, "no-store", map[string]string{
		"__type": "InternalErrorException", "message": "Internal server error.",
	})
}

func writeJSON(w http.ResponseWriter, status int, cacheControl string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"__type":"InternalErrorException","message":"Internal server error."}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", cacheControl)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
