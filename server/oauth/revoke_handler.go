package oauth

import (
	"net/http"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/exception"
)

// serveRevoke is POST /oauth2/revoke (spec §10.4): it revokes a refresh
// token and, through its origin_jti, every access and ID token of its
// family. Success is 200 with an empty body, also for an unknown or already
// revoked token. Cognito's revoke semantics (refresh tokens only, family-wide)
// differ from fosite's revocation handler, so this calls server/tokens.
func (p *Provider) serveRevoke(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	log := p.Log.With("request_id", ids.UUID(), "endpoint", "revoke")
	if err := readForm(w, r); err != nil {
		p.writeTokenError(w, r, log, err)
		return
	}
	c, err := p.authenticateClient(ctx, r, r.PostForm)
	if err != nil {
		p.writeTokenError(w, r, log, err)
		return
	}
	log = log.With("pool_id", c.Record.PoolID, "client_id", c.Record.ClientID)
	token := r.PostForm.Get("token")
	if token == "" {
		p.writeTokenError(w, r, log, newError(errInvalidRequest, "token is missing"))
		return
	}
	if err := p.Tokens.Revoke(ctx, c.Record, token); err != nil {
		code := errServerError
		switch exception.Code(err) {
		case exception.UnsupportedTokenType:
			code = "unsupported_token_type"
		case exception.UnsupportedOperation, exception.InvalidParameter:
			// Revocation is switched off for this client.
			code = errInvalidRequest
		case exception.Unauthorized, exception.NotAuthorized:
			// The token belongs to another client.
			code = errInvalidClient
		}
		p.writeTokenError(w, r, log, wrapCode(code, err))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}
