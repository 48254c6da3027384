package oauth

import (
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/locognito/locognito/internal/ids"
)

// maxForm bounds a form body; OAuth requests are tiny.
const maxForm = 64 << 10

// tokenResponse is Cognito's token response (spec §10.3), in its order.
type tokenResponse struct {
	IDToken      string `json:"id_token,omitempty"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

var supportedGrants = map[string]bool{
	"authorization_code": true,
	"refresh_token":      true,
	"client_credentials": true,
}

// serveToken is POST /oauth2/token. The request is checked for the shape
// Cognito requires before fosite runs the grant; the tokens fosite asked our
// strategies for are then written in Cognito's shape.
func (p *Provider) serveToken(w http.ResponseWriter, r *http.Request) {
	log := p.Log.With("request_id", ids.UUID(), "endpoint", "token")
	ctx := r.Context()
	if err := readForm(w, r); err != nil {
		p.writeTokenError(w, r, log, err)
		return
	}
	grant := r.PostForm.Get("grant_type")
	switch {
	case grant == "":
		p.writeTokenError(w, r, log, newError(errInvalidRequest, "grant_type is missing"))
		return
	case !supportedGrants[grant]:
		p.writeTokenError(w, r, log, newError(errUnsupportedGrantType, "unsupported grant"))
		return
	}
	log = log.With("client_id", clientIDOf(r), "grant_type", grant)

	ctx, m := withMint(ctx)
	ar, err := p.fosite.NewAccessRequest(ctx, r, &Session{})
	if err != nil {
		p.writeTokenError(w, r, log, err)
		return
	}
	if grant == "client_credentials" {
		// fosite leaves granting to the application: Cognito grants the
		// requested custom scopes, or all of the client's when none are
		// asked for. Reserved scopes (openid, email, ...) never apply.
		c, ok := ar.GetClient().(*Client)
		if !ok {
			p.writeTokenError(w, r, log, fmt.Errorf("oauth: unexpected client type %T", ar.GetClient()))
			return
		}
		scopes := ar.GetRequestedScopes()
		if len(scopes) == 0 {
			scopes = customScopes(c.Record)
		}
		for _, s := range scopes {
			if !strings.Contains(s, "/") {
				p.writeTokenError(w, r, log, newError(errInvalidScope, "client_credentials takes custom scopes only"))
				return
			}
			ar.GrantScope(s)
		}
	}
	if _, err := p.fosite.NewAccessResponse(ctx, ar); err != nil {
		p.writeTokenError(w, r, log, err)
		return
	}
	if !m.done {
		p.writeTokenError(w, r, log, errNoMint)
		return
	}
	res := m.result
	writeJSON(w, http.StatusOK, tokenResponse{
		IDToken: res.IDToken, AccessToken: res.AccessToken, RefreshToken: res.RefreshToken,
		ExpiresIn: res.ExpiresIn, TokenType: "Bearer",
	})
}

// readForm accepts only a POSTed application/x-www-form-urlencoded body
// without repeated parameters (RFC 6749 §3.2: parameters must not be
// included more than once).
func readForm(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		return newError(errInvalidRequest, "method must be POST")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return newError(errInvalidRequest, "content type must be application/x-www-form-urlencoded")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return newError(errInvalidRequest, "malformed form body")
	}
	for _, v := range r.PostForm {
		if len(v) > 1 {
			return newError(errInvalidRequest, "repeated parameter")
		}
	}
	return nil
}

// clientIDOf names the client of a request for logs.
func clientIDOf(r *http.Request) string {
	if id, _, ok := r.BasicAuth(); ok {
		return id
	}
	return r.PostForm.Get("client_id")
}
