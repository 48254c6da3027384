package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/locognito/locognito/internal/flagenv"
)

// Config is the demo's configuration: flags, each with an environment
// fallback (a flag beats its variable, which beats the default). The same
// settings serve real Cognito and locognito; only their values differ.
type Config struct {
	ListenAddr string

	// Which tokens the API accepts (jwtverify.Config).
	Region     string   // COGNITO_REGION: optional, must match the pool id
	UserPoolID string   // COGNITO_USER_POOL_ID: real Cognito, or locognito in --issuer-mode aws
	ClientIDs  []string // COGNITO_CLIENT_IDS: app clients whose access tokens are accepted
	Issuer     string   // COGNITO_ISSUER: override, locognito's <url>/<pool id>
	JWKSURL    string   // COGNITO_JWKS_URL: override, where the keys are fetched

	// Browser side; off unless Domain is set.
	Domain       string // COGNITO_DOMAIN: hosted-UI base URL
	ClientID     string // COGNITO_CLIENT_ID
	ClientSecret string // COGNITO_CLIENT_SECRET
	AppURL       string // APP_URL: this server's URL as the browser sees it
	// TokenURL overrides <Domain>/oauth2/token for the server-side code
	// exchange, for when this server reaches the hosted UI under another
	// address than the browser does (Docker Compose).
	TokenURL string // COGNITO_TOKEN_URL

	// Set by tests, not flags.
	Now func() time.Time // the verifier's clock; time.Now when nil
}

// envNames maps each flag to its environment variable. The names are the
// ones a deployment sets, so they do not share a prefix.
var envNames = map[string]string{
	"listen-addr":   "LISTEN_ADDR",
	"region":        "COGNITO_REGION",
	"user-pool-id":  "COGNITO_USER_POOL_ID",
	"client-ids":    "COGNITO_CLIENT_IDS",
	"issuer":        "COGNITO_ISSUER",
	"jwks-url":      "COGNITO_JWKS_URL",
	"domain":        "COGNITO_DOMAIN",
	"client-id":     "COGNITO_CLIENT_ID",
	"client-secret": "COGNITO_CLIENT_SECRET",
	"app-url":       "APP_URL",
	"token-url":     "COGNITO_TOKEN_URL",
}

// UsageError is a bad command line or environment; main exits with 2.
type UsageError = flagenv.UsageError

// commaList is a flag.Value for COGNITO_CLIENT_IDS.
type commaList struct{ p *[]string }

func (c commaList) String() string {
	if c.p == nil {
		return ""
	}
	return strings.Join(*c.p, ",")
}

func (c commaList) Set(s string) error {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	*c.p = out
	return nil
}

func newFlagSet(cfg *Config, output io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("resource-server", flag.ContinueOnError)
	fs.SetOutput(output)
	str := func(p *string, name, def, usage string) {
		fs.StringVar(p, name, def, usage+" ["+envNames[name]+"]")
	}
	str(&cfg.ListenAddr, "listen-addr", "127.0.0.1:8080", "listen address (host:port)")
	str(&cfg.Region, "region", "", "AWS region of the user pool (optional; must match the pool id)")
	str(&cfg.UserPoolID, "user-pool-id", "", "user pool id, e.g. us-east-1_AbC123; gives the issuer https://cognito-idp.<region>.amazonaws.com/<id>")
	fs.Var(commaList{&cfg.ClientIDs}, "client-ids", "comma-separated app client ids whose access tokens the API accepts ["+envNames["client-ids"]+"]")
	str(&cfg.Issuer, "issuer", "", "issuer URL override, for locognito: http://127.0.0.1:9229/<pool id>")
	str(&cfg.JWKSURL, "jwks-url", "", "JWKS URL override (default <issuer>/.well-known/jwks.json)")
	str(&cfg.Domain, "domain", "", "hosted-UI base URL for browser sign-in, e.g. https://<prefix>.auth.<region>.amazoncognito.com; empty turns the browser side off")
	str(&cfg.ClientID, "client-id", "", "app client id for browser sign-in")
	str(&cfg.ClientSecret, "client-secret", "", "that client's secret (prefer the environment variable to the flag)")
	str(&cfg.AppURL, "app-url", "http://localhost:8080", "this server's URL as browsers reach it; https makes the cookies Secure")
	str(&cfg.TokenURL, "token-url", "", "token endpoint override for the code exchange (default <domain>/oauth2/token)")
	return fs
}

// ParseConfig reads args (without the program name) and the environment.
// A bad flag or value is a *UsageError; -h/--help returns flag.ErrHelp
// after printing the usage to output.
func ParseConfig(args []string, env func(string) string, output io.Writer) (Config, error) {
	var cfg Config
	envName := func(flag string) string { return envNames[flag] }
	if err := flagenv.Parse(newFlagSet(&cfg, output), args, env, envName); err != nil {
		return cfg, err
	}
	if err := cfg.validate(); err != nil {
		return cfg, &UsageError{Err: err}
	}
	return cfg, nil
}

// validate checks what jwtverify.New does not: the address, the URLs and
// the browser-side settings. The verifier settings are checked by New.
func (c *Config) validate() error {
	if _, port, err := net.SplitHostPort(c.ListenAddr); err != nil {
		return fmt.Errorf("invalid LISTEN_ADDR %q: want host:port", c.ListenAddr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("invalid LISTEN_ADDR %q: bad port", c.ListenAddr)
	}
	if c.UserPoolID == "" && c.Issuer == "" {
		return errors.New("set COGNITO_USER_POOL_ID (real Cognito) or COGNITO_ISSUER (locognito)")
	}
	if c.Issuer != "" && c.UserPoolID != "" && !strings.HasSuffix(c.Issuer, "/"+c.UserPoolID) {
		return fmt.Errorf("COGNITO_ISSUER %q is not the issuer of COGNITO_USER_POOL_ID %s", c.Issuer, c.UserPoolID)
	}
	if c.Issuer != "" && c.Region != "" {
		return errors.New("COGNITO_REGION goes with COGNITO_USER_POOL_ID; COGNITO_ISSUER already names the issuer")
	}
	if c.Domain == "" {
		if c.ClientID != "" || c.ClientSecret != "" || c.TokenURL != "" {
			return errors.New("COGNITO_CLIENT_ID, COGNITO_CLIENT_SECRET and COGNITO_TOKEN_URL need COGNITO_DOMAIN (the hosted UI)")
		}
	} else {
		if c.ClientID == "" {
			return errors.New("COGNITO_DOMAIN needs COGNITO_CLIENT_ID")
		}
		for name, p := range map[string]*string{"COGNITO_DOMAIN": &c.Domain, "APP_URL": &c.AppURL} {
			if err := baseURL(name, p); err != nil {
				return err
			}
		}
		if c.TokenURL != "" {
			if err := absURL("COGNITO_TOKEN_URL", c.TokenURL); err != nil {
				return err
			}
		}
	}
	if len(c.ClientIDs) == 0 && c.ClientID == "" {
		return errors.New("set COGNITO_CLIENT_IDS: the app client ids whose tokens the API accepts")
	}
	return nil
}

// baseURL checks an absolute http(s) URL without query and trims its
// trailing slash, as paths are appended to it.
func baseURL(name string, p *string) error {
	if err := absURL(name, *p); err != nil {
		return err
	}
	*p = strings.TrimRight(*p, "/")
	return nil
}

func absURL(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("invalid %s %q: want an absolute http(s) URL without query", name, raw)
	}
	return nil
}

// acceptedClients is COGNITO_CLIENT_IDS plus the browser-side client, whose
// tokens the browser session carries.
func (c *Config) acceptedClients() []string {
	ids := append([]string(nil), c.ClientIDs...)
	if c.ClientID != "" && !contains(ids, c.ClientID) {
		ids = append(ids, c.ClientID)
	}
	return ids
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
