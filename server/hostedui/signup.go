package hostedui

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/locognito/locognito/server/userpool"
)

// serveSignUp is GET|POST /signup: self-service registration through
// userpool.SignUp; the confirmation code goes to the outbox.
func (ui *UI) serveSignUp(w http.ResponseWriter, r *http.Request) {
	f, ok := ui.begin(w, r, "signup")
	if !ok {
		return
	}
	csrf := ui.csrfToken(w, r)
	if f.ar.Pool.AdminCreateOnly {
		ui.renderError(w, f.log, http.StatusBadRequest, "invalid_request", "SignUp is not permitted for this user pool.")
		return
	}
	page := ui.signUpPage(f, csrf)
	if r.Method != http.MethodPost {
		render(w, f.log, http.StatusOK, "signup", page)
		return
	}
	if !ui.readPost(w, r, f) {
		return
	}
	form := r.PostForm
	page.Username = strings.TrimSpace(form.Get("username"))
	page.Email = strings.TrimSpace(form.Get("email"))
	given := formAttributes(form)
	for i := range page.Attributes {
		page.Attributes[i].Value = given[page.Attributes[i].Name]
	}

	username := page.Username
	if page.EmailIsUsername {
		username = page.Email
	}
	var attrs []userpool.UserAttribute
	if page.Email != "" {
		attrs = append(attrs, userpool.UserAttribute{Name: "email", Value: page.Email})
	}
	for _, a := range page.Attributes {
		if a.Value != "" {
			attrs = append(attrs, userpool.UserAttribute{Name: a.Name, Value: a.Value})
		}
	}
	out, err := ui.Pools.SignUp(r.Context(), userpool.SignUpInput{
		ClientID: f.ar.Client.ClientID, SecretHash: secretHash(f, username),
		Username: username, Password: form.Get("password"), Attributes: attrs,
	})
	if err != nil {
		ui.formFailed(w, r, f, err, func(msg string) {
			page.Error = msg
			render(w, f.log, http.StatusOK, "signup", page)
		})
		return
	}
	f.log.InfoContext(r.Context(), "hostedui: signed up")
	if out.UserConfirmed {
		http.Redirect(w, r, string(f.url("/login", nil)), http.StatusFound)
		return
	}
	http.Redirect(w, r, string(f.url("/confirmUser", url.Values{"username": {username}})), http.StatusFound)
}

// signUpPage lays out the sign-up form for the pool: a username unless the
// email is the username, the email, and every other required attribute.
func (ui *UI) signUpPage(f *flow, csrf string) signUpPage {
	p := signUpPage{base: f.base("Sign up", "/signup", csrf), LoginURL: f.url("/login", nil)}
	p.EmailIsUsername = slices.Contains(f.ar.Pool.UsernameAttrs, "email")
	p.EmailRequired = p.EmailIsUsername || slices.Contains(f.ar.Pool.AutoVerified, "email")
	for _, a := range f.ar.Pool.Schema {
		if a.Name == "email" && a.Required {
			p.EmailRequired = true
		}
		if a.Required && a.Name != "email" && a.Name != "sub" && !strings.HasSuffix(a.Name, "_verified") {
			p.Attributes = append(p.Attributes, attributeField{Name: a.Name, Label: attributeLabel(a.Name)})
		}
	}
	return p
}

// secretHash is the SECRET_HASH the hosted UI supplies for clients with a
// secret: it speaks for the client, as Cognito's own UI does.
func secretHash(f *flow, username string) string {
	if f.ar.Client.Secret == "" {
		return ""
	}
	return userpool.SecretHash(f.ar.Client.Secret, username, f.ar.Client.ClientID)
}

// serveConfirm is GET|POST /confirmUser: the sign-up code, or a new one.
func (ui *UI) serveConfirm(w http.ResponseWriter, r *http.Request) {
	f, ok := ui.begin(w, r, "confirmUser")
	if !ok {
		return
	}
	csrf := ui.csrfToken(w, r)
	page := confirmPage{base: f.base("Confirm your account", "/confirmUser", csrf), Username: r.URL.Query().Get("username")}
	if r.Method != http.MethodPost {
		render(w, f.log, http.StatusOK, "confirm", page)
		return
	}
	if !ui.readPost(w, r, f) {
		return
	}
	ctx := r.Context()
	page.Username = strings.TrimSpace(r.PostForm.Get("username"))
	if r.PostForm.Get("resend") != "" {
		d, err := ui.Pools.ResendConfirmationCode(ctx, userpool.ResendInput{
			ClientID: f.ar.Client.ClientID, SecretHash: secretHash(f, page.Username), Username: page.Username,
		})
		if err != nil {
			ui.formFailed(w, r, f, err, func(msg string) {
				page.Error = msg
				render(w, f.log, http.StatusOK, "confirm", page)
			})
			return
		}
		page.Info = "A new code has been sent."
		if d != nil {
			page.Destination = d.Destination
		}
		render(w, f.log, http.StatusOK, "confirm", page)
		return
	}
	err := ui.Pools.ConfirmSignUp(ctx, userpool.ConfirmSignUpInput{
		ClientID: f.ar.Client.ClientID, SecretHash: secretHash(f, page.Username),
		Username: page.Username, Code: strings.TrimSpace(r.PostForm.Get("code")),
	})
	if err != nil {
		ui.formFailed(w, r, f, err, func(msg string) {
			page.Error = msg
			render(w, f.log, http.StatusOK, "confirm", page)
		})
		return
	}
	f.log.InfoContext(ctx, "hostedui: account confirmed")
	login := ui.loginPage(f, csrf, page.Username, "")
	login.Info = "Your account is confirmed. Sign in to continue."
	ui.renderLogin(w, f.log, login)
}
