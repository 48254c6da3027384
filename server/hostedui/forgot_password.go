package hostedui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/locognito/locognito/server/userpool"
)

// serveForgot is GET|POST /forgotPassword: a reset code is sent to the
// user's verified contact (the outbox, in locognito).
func (ui *UI) serveForgot(w http.ResponseWriter, r *http.Request) {
	f, ok := ui.begin(w, r, "forgotPassword")
	if !ok {
		return
	}
	csrf := ui.csrfToken(w, r)
	page := forgotPage{base: f.base("Forgot your password?", "/forgotPassword", csrf), LoginURL: f.url("/login", nil)}
	if r.Method != http.MethodPost {
		render(w, f.log, http.StatusOK, "forgot", page)
		return
	}
	if !ui.readPost(w, r, f) {
		return
	}
	page.Username = strings.TrimSpace(r.PostForm.Get("username"))
	_, err := ui.Pools.ForgotPassword(r.Context(), userpool.ForgotPasswordInput{
		ClientID: f.ar.Client.ClientID, SecretHash: secretHash(f, page.Username), Username: page.Username,
	})
	if err != nil {
		ui.formFailed(w, r, f, err, func(msg string) {
			page.Error = msg
			render(w, f.log, http.StatusOK, "forgot", page)
		})
		return
	}
	f.log.InfoContext(r.Context(), "hostedui: reset code sent")
	http.Redirect(w, r, string(f.url("/confirmForgotPassword", url.Values{"username": {page.Username}})), http.StatusFound)
}

// serveConfirmForgot is GET|POST /confirmForgotPassword: the reset code and
// the new password.
func (ui *UI) serveConfirmForgot(w http.ResponseWriter, r *http.Request) {
	f, ok := ui.begin(w, r, "confirmForgotPassword")
	if !ok {
		return
	}
	csrf := ui.csrfToken(w, r)
	page := confirmForgotPage{
		base:     f.base("Reset your password", "/confirmForgotPassword", csrf),
		Username: r.URL.Query().Get("username"), LoginURL: f.url("/login", nil),
	}
	if r.Method != http.MethodPost {
		render(w, f.log, http.StatusOK, "confirm_forgot", page)
		return
	}
	if !ui.readPost(w, r, f) {
		return
	}
	form := r.PostForm
	page.Username = strings.TrimSpace(form.Get("username"))
	if form.Get("password") != form.Get("confirmPassword") {
		page.Error = "Passwords do not match."
		render(w, f.log, http.StatusOK, "confirm_forgot", page)
		return
	}
	err := ui.Pools.ConfirmForgotPassword(r.Context(), userpool.ConfirmForgotPasswordInput{
		ClientID: f.ar.Client.ClientID, SecretHash: secretHash(f, page.Username),
		Username: page.Username, Code: strings.TrimSpace(form.Get("code")), Password: form.Get("password"),
	})
	if err != nil {
		ui.formFailed(w, r, f, err, func(msg string) {
			page.Error = msg
			render(w, f.log, http.StatusOK, "confirm_forgot", page)
		})
		return
	}
	f.log.InfoContext(r.Context(), "hostedui: password reset")
	login := ui.loginPage(f, csrf, page.Username, "")
	login.Info = "Your password has been changed. Sign in with your new password."
	ui.renderLogin(w, f.log, login)
}
