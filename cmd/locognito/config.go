package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/locognito/locognito/internal/flagenv"
	"github.com/locognito/locognito/server"
)

// Config is the program's configuration, from flags with LOCOGNITO_* env
// fallbacks: a flag beats its env variable, which beats the default.
type Config struct {
	Addr             string
	DatabaseURL      string // empty = in-memory storage
	SeedFile         string // YAML seed applied at start; empty = none
	PublicURL        string // empty = derived from the bound address
	IssuerMode       string
	Region           string
	FixedCode        string
	KeyRotation      time.Duration // 0 = no scheduled rotation
	KeyPublishDelay  time.Duration
	BcryptCost       int
	AllowUnsigned    bool
	DisableLockout   bool
	SRPTimestampSkew time.Duration
	LogLevel         slog.Level
	LogFormat        string // text | json
}

// UsageError is a bad command line or environment; main exits with 2.
type UsageError = flagenv.UsageError

func usageErrorf(format string, args ...any) error { return flagenv.Usagef(format, args...) }

// envPrefix namespaces every environment fallback.
const envPrefix = "LOCOGNITO_"

// envName is the environment variable of a flag: --key-rotation →
// LOCOGNITO_KEY_ROTATION.
func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// newFlagSet declares every flag on cfg. Its defaults are the program's
// defaults; the usage text names each flag's env variable.
func newFlagSet(cfg *Config, output io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("locognito", flag.ContinueOnError)
	fs.SetOutput(output)
	str := func(p *string, name, def, usage string) {
		fs.StringVar(p, name, def, usage+" ["+envName(name)+"]")
	}
	str(&cfg.Addr, "addr", "127.0.0.1:9229", "listen address (host:port; port 0 picks a free port)")
	str(&cfg.DatabaseURL, "database-url", "", "Postgres URL (postgres://...); empty keeps everything in memory")
	str(&cfg.SeedFile, "config", "", "YAML seed file with pools, clients, groups and users to create at start")
	str(&cfg.PublicURL, "public-url", "", "base URL clients use (issuer, discovery, hosted UI); default http://<addr>")
	str(&cfg.IssuerMode, "issuer-mode", server.IssuerLocal, "token issuer: local (<public-url>/<pool>) or aws (https://cognito-idp.<region>.amazonaws.com/<pool>)")
	str(&cfg.Region, "region", "us-east-1", "region of new pool ids")
	str(&cfg.FixedCode, "fixed-code", "", "use this value as every confirmation and reset code (tests)")
	fs.DurationVar(&cfg.KeyRotation, "key-rotation", 0, "rotate every pool's signing keys at this interval; 0 = never ["+envName("key-rotation")+"]")
	fs.DurationVar(&cfg.KeyPublishDelay, "key-publish-delay", 0, "how long a new key is in the JWKS before it signs ["+envName("key-publish-delay")+"]")
	fs.IntVar(&cfg.BcryptCost, "bcrypt-cost", bcrypt.DefaultCost, "bcrypt cost of password hashes (4-31) ["+envName("bcrypt-cost")+"]")
	fs.BoolVar(&cfg.AllowUnsigned, "allow-unsigned", false, "accept admin API calls without a SigV4 Authorization header ["+envName("allow-unsigned")+"]")
	fs.BoolVar(&cfg.DisableLockout, "disable-lockout", false, "turn off the lockout after repeated failed sign-ins ["+envName("disable-lockout")+"]")
	fs.DurationVar(&cfg.SRPTimestampSkew, "srp-timestamp-skew", 5*time.Minute, "how far USER_SRP_AUTH's TIMESTAMP may be from the server clock ["+envName("srp-timestamp-skew")+"]")
	fs.TextVar(&cfg.LogLevel, "log-level", slog.LevelInfo, "log level: debug, info, warn or error ["+envName("log-level")+"]")
	str(&cfg.LogFormat, "log-format", "text", "log format: text or json")
	return fs
}

// ParseConfig reads args (without the program name) and the environment.
// A bad flag or value is a *UsageError; -h/--help returns flag.ErrHelp after
// printing the usage to output.
func ParseConfig(args []string, env func(string) string, output io.Writer) (Config, error) {
	var cfg Config
	if err := flagenv.Parse(newFlagSet(&cfg, output), args, env, envName); err != nil {
		return cfg, err
	}
	if err := cfg.validate(); err != nil {
		return cfg, &UsageError{Err: err}
	}
	return cfg, nil
}

// regionPattern is the region part of a pool id that aws-jwt-verify accepts.
var regionPattern = regexp.MustCompile(`^[a-z]{2}-(gov-)?[a-z]+-\d$`)

func (c *Config) validate() error {
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("invalid --addr %q: want host:port", c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("invalid --addr %q: bad port", c.Addr)
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			// Only the scheme is checked here: the URL may hold a password,
			// so it is never echoed.
			return errors.New("invalid --database-url: want postgres://user@host:port/db")
		}
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("invalid --public-url %q: want an absolute http(s) URL without query", c.PublicURL)
		}
		c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	}
	if c.IssuerMode != server.IssuerLocal && c.IssuerMode != server.IssuerAWS {
		return fmt.Errorf("invalid --issuer-mode %q: want %s or %s", c.IssuerMode, server.IssuerLocal, server.IssuerAWS)
	}
	if !regionPattern.MatchString(c.Region) {
		return fmt.Errorf("invalid --region %q: want an AWS region such as us-east-1", c.Region)
	}
	if c.KeyRotation < 0 {
		return fmt.Errorf("invalid --key-rotation %s: must not be negative", c.KeyRotation)
	}
	if c.KeyPublishDelay < 0 {
		return fmt.Errorf("invalid --key-publish-delay %s: must not be negative", c.KeyPublishDelay)
	}
	if c.BcryptCost < bcrypt.MinCost || c.BcryptCost > bcrypt.MaxCost {
		return fmt.Errorf("invalid --bcrypt-cost %d: want %d-%d", c.BcryptCost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("invalid --log-format %q: want text or json", c.LogFormat)
	}
	return nil
}

// listenURL is the default public URL for a bound address: unspecified hosts
// (0.0.0.0, ::, empty) are reached through loopback.
func listenURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
