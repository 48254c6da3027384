package hostedui

import (
	"bytes"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages holds one template per page, each the layout plus its content.
var pages = func() map[string]*template.Template {
	layout := template.Must(template.ParseFS(templateFS, "templates/layout.html"))
	out := map[string]*template.Template{}
	for _, name := range []string{"login", "new_password", "signup", "confirm", "forgot", "confirm_forgot", "error"} {
		t := template.Must(template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
		out[name] = t
	}
	return out
}()

// base is what every page shows.
type base struct {
	Title  string
	Brand  string       // the app client's name
	Action template.URL // where the page's form posts
	CSRF   string
	Error  string
	Info   string
}

type loginPage struct {
	base
	Username  string
	ForgotURL template.URL
	SignUpURL template.URL // empty when the pool allows admin-created users only
}

type attributeField struct {
	Name, Label, Value string
}

type newPasswordPage struct {
	base
	Session    string
	Attributes []attributeField
}

type signUpPage struct {
	base
	Username        string
	Email           string
	EmailIsUsername bool
	EmailRequired   bool
	Attributes      []attributeField
	LoginURL        template.URL
}

type confirmPage struct {
	base
	Username    string
	Destination string
}

type forgotPage struct {
	base
	Username string
	LoginURL template.URL
}

type confirmForgotPage struct {
	base
	Username    string
	Destination string
	LoginURL    template.URL
}

type errorPage struct {
	base
	Code string
}

// render writes a page. Pages are never cached, never framed, and load
// nothing from anywhere.
func render(w http.ResponseWriter, log *slog.Logger, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		log.Error("hostedui: render", "page", name, "err", err)
		http.Error(w, "Internal server error.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (ui *UI) renderLogin(w http.ResponseWriter, log *slog.Logger, p loginPage) {
	p.Title = "Sign in"
	render(w, log, http.StatusOK, "login", p)
}

func (ui *UI) renderError(w http.ResponseWriter, log *slog.Logger, status int, code, msg string) {
	render(w, log, status, "error", errorPage{base: base{Title: "Error", Brand: "locognito", Error: msg}, Code: code})
}
