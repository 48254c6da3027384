package oauth

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// Cognito's userInfo refusals (spec §10.4), word for word.
const (
	userInfoBadRequest   = "Bad OAuth2 request at UserInfo Endpoint"
	userInfoInvalidToken = "Access token is expired, disabled, or deleted, or the user has globally signed out."
)

// Attributes released by each OIDC scope (spec §5.2); "profile" releases
// everything not named here.
var scopeAttributes = map[string][]string{
	"email": {"email", "email_verified"},
	"phone": {"phone_number", "phone_number_verified"},
}

// serveUserInfo is GET|POST /oauth2/userInfo: the attributes the access
// token's scopes release, every value a string.
func (p *Provider) serveUserInfo(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	log := p.Log.With("request_id", ids.UUID(), "endpoint", "userInfo")
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		writeBearerError(w, http.StatusBadRequest, "invalid_request", userInfoBadRequest)
		return
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		writeBearerError(w, http.StatusBadRequest, "invalid_request", userInfoBadRequest)
		return
	}
	claims, err := p.Tokens.VerifyAccess(ctx, token)
	if err != nil {
		log.DebugContext(ctx, "userInfo: token refused", "reason", reason(err))
		writeBearerError(w, http.StatusUnauthorized, "invalid_token", userInfoInvalidToken)
		return
	}
	// API-flow access tokens carry no openid scope, and Cognito does not
	// accept them here.
	if !slices.Contains(claims.Scopes, "openid") {
		writeBearerError(w, http.StatusUnauthorized, "invalid_token", userInfoInvalidToken)
		return
	}
	log = log.With("pool_id", claims.PoolID, "client_id", claims.ClientID)
	pool, err := p.Store.GetPool(ctx, claims.PoolID)
	if err != nil {
		p.userInfoFailure(w, r, err)
		return
	}
	user, err := p.Store.GetUser(ctx, pool.ID, userpool.UsernameKey(pool, claims.Username))
	if err != nil || !user.Enabled {
		p.userInfoFailure(w, r, err)
		return
	}
	var readable []string
	if c, err := p.Store.GetClient(ctx, claims.ClientID); err == nil {
		readable = c.ReadAttributes
	}
	writeJSON(w, http.StatusOK, userInfoClaims(user, claims.Scopes, readable))
}

// userInfoFailure answers for a user or pool that is gone (invalid_token)
// or a storage failure (500).
func (p *Provider) userInfoFailure(w http.ResponseWriter, r *http.Request, err error) {
	if err == nil || errors.Is(err, storage.ErrNotFound) {
		writeBearerError(w, http.StatusUnauthorized, "invalid_token", userInfoInvalidToken)
		return
	}
	p.Log.ErrorContext(r.Context(), "userInfo: internal error", "err", err)
	writeJSON(w, http.StatusInternalServerError, map[string]string{"error": errServerError})
}

// userInfoClaims selects the user's attributes by scope: openid alone
// releases every readable attribute; email, phone and profile release their
// groups. sub and username always come.
func userInfoClaims(u storage.User, scopes, readable []string) map[string]string {
	has := func(s string) bool { return slices.Contains(scopes, s) }
	all := !has("email") && !has("phone") && !has("profile")
	grouped := map[string]string{}
	for scope, attrs := range scopeAttributes {
		for _, a := range attrs {
			grouped[a] = scope
		}
	}
	out := map[string]string{}
	for name, value := range u.Attributes {
		if strings.HasPrefix(name, "dev:") || (readable != nil && !slices.Contains(readable, name)) {
			continue
		}
		scope, ok := grouped[name]
		if !ok {
			scope = "profile"
		}
		if all || has(scope) {
			out[name] = value
		}
	}
	out["sub"] = u.Sub
	out["username"] = u.Username
	return out
}

// writeBearerError answers like Cognito: the error in WWW-Authenticate and
// in a JSON body.
func writeBearerError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("WWW-Authenticate", `error="`+code+`", error_description="`+desc+`"`)
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}
