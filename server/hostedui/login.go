package hostedui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/locognito/locognito/internal/ids"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// Cognito's sign-in failure message (spec §10.2).
const incorrectCredentials = "Incorrect username or password."

// serveLogin is GET|POST /login: the sign-in form, and its submission
// under the JSON API's sign-in rules.
func (ui *UI) serveLogin(w http.ResponseWriter, r *http.Request) {
	f, ok := ui.begin(w, r, "login")
	if !ok {
		return
	}
	csrf := ui.csrfToken(w, r)
	if r.Method != http.MethodPost {
		ui.renderLogin(w, f.log, ui.loginPage(f, csrf, "", ""))
		return
	}
	if !ui.readPost(w, r, f) {
		return
	}
	if r.PostForm.Has("session") {
		ui.submitNewPassword(w, r, f, csrf)
		return
	}
	ui.submitLogin(w, r, f, csrf)
}

// loginPage is the sign-in form of a flow.
func (ui *UI) loginPage(f *flow, csrf, username, errMsg string) loginPage {
	p := loginPage{
		base:      f.base("Sign in", "/login", csrf),
		Username:  username,
		ForgotURL: f.url("/forgotPassword", nil),
	}
	p.Error = errMsg
	if !f.ar.Pool.AdminCreateOnly {
		p.SignUpURL = f.url("/signup", nil)
	}
	return p
}

func (ui *UI) submitLogin(w http.ResponseWriter, r *http.Request, f *flow, csrf string) {
	ctx := r.Context()
	username := strings.TrimSpace(r.PostForm.Get("username"))
	password := r.PostForm.Get("password")
	if username == "" || password == "" {
		ui.renderLogin(w, f.log, ui.loginPage(f, csrf, username, incorrectCredentials))
		return
	}
	u, err := ui.Pools.PasswordSignIn(ctx, f.ar.Pool, f.ar.Client, username, password)
	switch {
	case errors.Is(err, userpool.ErrNewPasswordRequired):
		ui.startNewPassword(w, r, f, csrf, u)
		return
	case exception.Is(err, exception.UserNotConfirmed):
		// Cognito's hosted UI asks for the sign-up code next.
		http.Redirect(w, r, string(f.url("/confirmUser", url.Values{"username": {username}})), http.StatusFound)
		return
	case exception.Is(err, exception.PasswordResetRequired):
		// An administrator reset the password and a code was sent.
		http.Redirect(w, r, string(f.url("/confirmForgotPassword", url.Values{"username": {username}})), http.StatusFound)
		return
	case err != nil && exception.Code(err) != exception.Internal:
		f.log.InfoContext(ctx, "hostedui: sign-in refused", "reason", exception.Code(err))
		ui.renderLogin(w, f.log, ui.loginPage(f, csrf, username, exception.Message(err)))
		return
	case err != nil:
		ui.internalError(w, r, f.log, err)
		return
	}
	if _, err := ui.startSession(ctx, w, r, f.ar.Pool, u); err != nil {
		ui.internalError(w, r, f.log, err)
		return
	}
	f.log.InfoContext(ctx, "hostedui: signed in")
	http.Redirect(w, r, f.authorizeURL(), http.StatusFound)
}

// The new-password step. A user who signed in with a temporary password
// gets a short-lived, single-use handle (like the API's challenge Session)
// proving the password was right; only its holder may set the new one.
const (
	kindNewPassword     = "hostedui_new_password"
	newPasswordLifetime = 3 * time.Minute
)

type pendingNewPassword struct {
	UsernameKey string `json:"username_key"`
	Sub         string `json:"sub"`
}

func (ui *UI) startNewPassword(w http.ResponseWriter, r *http.Request, f *flow, csrf string, u storage.User) {
	ctx := r.Context()
	handle := ids.Token(32)
	data, err := json.Marshal(pendingNewPassword{UsernameKey: u.UsernameKey, Sub: u.Sub})
	if err != nil {
		ui.internalError(w, r, f.log, err)
		return
	}
	now := ui.Clock.Now()
	ttl := newPasswordLifetime
	if f.ar.Client.AuthSessionValidity > 0 {
		ttl = f.ar.Client.AuthSessionValidity
	}
	err = ui.Store.CreateGrant(ctx, storage.Grant{
		Kind: kindNewPassword, ID: sessionID(handle), PoolID: f.ar.Pool.ID, ClientID: f.ar.Client.ClientID,
		Data: data, CreatedAt: now, ExpiresAt: now.Add(ttl),
	})
	if err != nil {
		ui.internalError(w, r, f.log, fmt.Errorf("create new-password grant: %w", err))
		return
	}
	ui.renderNewPassword(w, f, csrf, handle, u, nil, "")
}

func (ui *UI) renderNewPassword(w http.ResponseWriter, f *flow, csrf, handle string, u storage.User, given map[string]string, errMsg string) {
	p := newPasswordPage{base: f.base("Change password", "/login", csrf), Session: handle}
	p.Error = errMsg
	for _, a := range f.ar.Pool.Schema {
		if a.Required && u.Attributes[a.Name] == "" {
			p.Attributes = append(p.Attributes, attributeField{Name: a.Name, Label: attributeLabel(a.Name), Value: given[a.Name]})
		}
	}
	render(w, f.log, http.StatusOK, "new_password", p)
}

func (ui *UI) submitNewPassword(w http.ResponseWriter, r *http.Request, f *flow, csrf string) {
	ctx := r.Context()
	handle := r.PostForm.Get("session")
	g, pending, err := ui.loadNewPassword(ctx, f, handle)
	if err != nil {
		ui.internalError(w, r, f.log, err)
		return
	}
	if g == nil {
		// Expired, used or forged: start again from the sign-in form.
		ui.renderLogin(w, f.log, ui.loginPage(f, csrf, "", "Invalid session for the user, session is expired."))
		return
	}
	u, err := ui.Store.GetUser(ctx, f.ar.Pool.ID, pending.UsernameKey)
	if err != nil || u.Sub != pending.Sub {
		ui.renderLogin(w, f.log, ui.loginPage(f, csrf, "", "Invalid session for the user."))
		return
	}
	attrs := formAttributes(r.PostForm)
	password := r.PostForm.Get("newPassword")
	if password != r.PostForm.Get("confirmPassword") {
		ui.renderNewPassword(w, f, csrf, handle, u, attrs, "Passwords do not match.")
		return
	}
	u, err = ui.Pools.CompleteNewPassword(ctx, f.ar.Pool, u, password, attrs)
	if err != nil {
		ui.formFailed(w, r, f, err, func(msg string) {
			ui.renderNewPassword(w, f, csrf, handle, u, attrs, msg)
		})
		return
	}
	if _, err := ui.Store.ConsumeGrant(ctx, kindNewPassword, g.ID); err != nil && !errors.Is(err, storage.ErrConflict) {
		f.log.WarnContext(ctx, "hostedui: consume new-password grant", "err", err)
	}
	if _, err := ui.startSession(ctx, w, r, f.ar.Pool, u); err != nil {
		ui.internalError(w, r, f.log, err)
		return
	}
	f.log.InfoContext(ctx, "hostedui: new password set, signed in")
	http.Redirect(w, r, f.authorizeURL(), http.StatusFound)
}

// loadNewPassword returns the live new-password grant of handle for this
// flow's client, or nil.
func (ui *UI) loadNewPassword(ctx context.Context, f *flow, handle string) (*storage.Grant, pendingNewPassword, error) {
	var p pendingNewPassword
	if handle == "" {
		return nil, p, nil
	}
	g, err := ui.Store.GetGrant(ctx, kindNewPassword, sessionID(handle))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, p, nil
	}
	if err != nil {
		return nil, p, fmt.Errorf("get new-password grant: %w", err)
	}
	if g.Consumed || !ui.Clock.Now().Before(g.ExpiresAt) || g.ClientID != f.ar.Client.ClientID || g.PoolID != f.ar.Pool.ID {
		return nil, p, nil
	}
	if err := json.Unmarshal(g.Data, &p); err != nil {
		return nil, p, fmt.Errorf("decode new-password grant: %w", err)
	}
	return &g, p, nil
}

// formAttributes collects requiredAttributes[<name>] fields.
func formAttributes(form url.Values) map[string]string {
	out := map[string]string{}
	for k, v := range form {
		name, ok := strings.CutPrefix(k, "requiredAttributes[")
		if !ok || !strings.HasSuffix(name, "]") || len(v) == 0 {
			continue
		}
		if val := strings.TrimSpace(v[0]); val != "" {
			out[strings.TrimSuffix(name, "]")] = val
		}
	}
	return out
}

// attributeLabel turns an attribute name into a form label.
func attributeLabel(name string) string {
	name = strings.TrimPrefix(name, "custom:")
	words := strings.Split(name, "_")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}
