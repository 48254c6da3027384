package oauth_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/locognito/locognito/server"
	"github.com/locognito/locognito/server/oauth/oauthtest"
	"github.com/locognito/locognito/server/servertest"
)

// The token endpoint's throughput, next to the RSA-2048 signatures each
// answer needs (client_credentials: 1, authorization_code: 2, ID and
// access token), so the overhead of HTTP, fosite and storage shows.

// BenchmarkRSA2048Sign is the raw cost of one RS256 signature.
func BenchmarkRSA2048Sign(b *testing.B) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	// About the size of an access token's signing input.
	input := []byte(strings.Repeat("eyJraWQiOiJ4IiwiYWxnIjoiUlMyNTYifQ.", 20))
	b.ReportAllocs()
	for b.Loop() {
		sum := sha256.Sum256(input)
		if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signs/s")
}

func quiet() servertest.Option {
	return servertest.WithConfig(func(c *server.Config) { c.Log = slog.New(slog.DiscardHandler) })
}

// BenchmarkClientCredentials is POST /oauth2/token with client_credentials
// over HTTP, Basic auth, one access token per request.
func BenchmarkClientCredentials(b *testing.B) {
	f := oauthtest.New(b, quiet())
	body := url.Values{"grant_type": {"client_credentials"}, "scope": {"notes/read"}}.Encode()
	client := &http.Client{}
	b.ResetTimer()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, f.TS.URL+"/oauth2/token", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(f.Machine.ID, f.Machine.Secret)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkCodeExchange is the authorization_code grant: a confidential
// client redeems a code for ID, access and refresh tokens. The codes are
// made beforehand (one signed-in browser, SSO) and not timed.
func BenchmarkCodeExchange(b *testing.B) {
	f := oauthtest.New(b, quiet())
	br := oauthtest.NewBrowser(b)
	params := f.CodeParams(f.Server, nil)
	first := br.SignIn(f.TS.URL, f.AuthorizeURL(params), oauthtest.Username, oauthtest.Password)
	codes := []string{first.Query().Get("code")}
	next := func() string {
		cb := br.Follow(f.TS.URL, f.AuthorizeURL(params))
		return cb.Query().Get("code")
	}
	client := &http.Client{}
	i := 0
	for b.Loop() {
		b.StopTimer()
		for len(codes) <= i {
			codes = append(codes, next())
		}
		form := url.Values{"grant_type": {"authorization_code"}, "code": {codes[i]}, "redirect_uri": {f.Callback.URL}}.Encode()
		i++
		req, _ := http.NewRequest(http.MethodPost, f.TS.URL+"/oauth2/token", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(f.Server.ID, f.Server.Secret)
		b.StartTimer()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "exchanges/s")
}
