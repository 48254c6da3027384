package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/storage/postgres/pgtest"
)

// tinyRun are flags for a short run: every scenario for 300 ms with two
// workers, a low request cap, and bcrypt cost 4 so that -race stays fast.
// No assertion is about timing.
const maxRequests = 40

var tinyRun = []string{
	"--duration=300ms", "--concurrency=2", "--max-requests=" + strconv.Itoa(maxRequests),
	"--bcrypt-cost=4", "--crypto-time=20ms",
}

func runProgram(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestTable runs every scenario against the in-process server and reads the
// text table: a row per scenario with requests and no errors.
func TestTable(t *testing.T) {
	code, out, stderr := runProgram(t, tinyRun...)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	lines := strings.Split(out, "\n")
	header := -1
	for i, l := range lines {
		if strings.Join(strings.Fields(l), " ") == strings.Join(strings.Fields(strings.Join(tableHeader, " ")), " ") {
			header = i
			break
		}
	}
	if header < 0 {
		t.Fatalf("no table header %q in:\n%s", tableHeader, out)
	}
	for _, sc := range scenarios {
		row := ""
		for _, l := range lines[header+1:] {
			if strings.HasPrefix(l, sc.Name+"  ") {
				row = strings.TrimSpace(strings.TrimPrefix(l, sc.Name))
				break
			}
		}
		f := strings.Fields(row)
		if len(f) < 2 {
			t.Errorf("no row for %q in:\n%s", sc.Name, out)
			continue
		}
		if n, err := strconv.Atoi(f[0]); err != nil || n < 1 || n > maxRequests {
			t.Errorf("%s: requests column %q, want 1..%d", sc.Name, f[0], maxRequests)
		}
		if f[1] != "0" {
			t.Errorf("%s: errors column %q, want 0\n%s", sc.Name, f[1], out)
		}
	}
	for _, want := range []string{"raw crypto", "before and after the load", "bcrypt cost 4 compare", "RSA-2048 PKCS#1 v1.5 SHA-256 sign", "1 bcrypt + 2 RSA sign"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestJSON runs every scenario with --json on memory and on Postgres.
func TestJSON(t *testing.T) {
	t.Run("memory", func(t *testing.T) { checkJSONRun(t, "memory") })
	t.Run("postgres", func(t *testing.T) {
		dbURL, schema := pgtest.URL(t)
		u, err := url.Parse(dbURL)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		checkJSONRun(t, "postgres", "--database-url="+u.String())
	})
}

func checkJSONRun(t *testing.T, storage string, extra ...string) {
	code, out, stderr := runProgram(t, append(append([]string{"--json"}, tinyRun...), extra...)...)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, out)
	}
	if rep.Storage != storage || !strings.HasPrefix(rep.Target, "in-process http://127.0.0.1:") {
		t.Errorf("target %q storage %q, want in-process on 127.0.0.1 with %s", rep.Target, rep.Storage, storage)
	}
	c := rep.Crypto
	for _, m := range []cryptoCosts{c.cryptoCosts, c.Before, c.After} {
		if m.BcryptMS <= 0 || m.SignMS <= 0 || m.VerifyMS <= 0 {
			t.Errorf("crypto floor not measured: %+v", c)
		}
	}
	if c.BcryptCost != 4 || c.BcryptMS != min(c.Before.BcryptMS, c.After.BcryptMS) || c.SignMS != min(c.Before.SignMS, c.After.SignMS) {
		t.Errorf("crypto floor is not the lower of the two measurements: %+v", c)
	}
	if len(rep.Scenarios) != len(scenarios) {
		t.Fatalf("%d scenarios in the report, want %d", len(rep.Scenarios), len(scenarios))
	}
	for i, s := range rep.Scenarios {
		if s.ID != scenarios[i].ID || s.Skipped != "" {
			t.Errorf("scenario %d: id %q skipped %q, want %q run", i, s.ID, s.Skipped, scenarios[i].ID)
			continue
		}
		if s.Requests < 1 || s.Requests > maxRequests || s.Errors != 0 || s.ErrorKind != nil {
			t.Errorf("%s: %d requests (want 1..%d), %d errors %v (want none)", s.ID, s.Requests, maxRequests, s.Errors, s.ErrorKind)
		}
		if s.ReqPerSec <= 0 || s.P50MS <= 0 || s.P50MS > s.P90MS || s.P90MS > s.P99MS {
			t.Errorf("%s: req/s %v, percentiles %v %v %v", s.ID, s.ReqPerSec, s.P50MS, s.P90MS, s.P99MS)
		}
		bound := scenarios[i].Crypto != cryptoCount{}
		if bound != (s.CeilingReqPerSec > 0 && s.Ratio > 0 && s.CryptoShare > 0) {
			t.Errorf("%s: crypto %q but ceiling %v ratio %v crypto share %v", s.ID, s.Crypto, s.CeilingReqPerSec, s.Ratio, s.CryptoShare)
		}
		if s.CPUCores <= 0 {
			t.Errorf("%s: CPU use of the in-process server not measured", s.ID)
		}
	}
}

// TestErrorRate puts a proxy in front of a locognito that fails every
// fourth JWKS request: the errors are counted by kind and the run exits 1.
func TestErrorRate(t *testing.T) {
	ts := servertest.Start(t)
	backend, err := url.Parse(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(backend)
	var jwks atomic.Int64
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/jwks.json") && jwks.Add(1)%4 == 0 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"__type":"InternalErrorException","message":"injected"}`))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)

	code, out, stderr := runProgram(t, append([]string{"--json", "--target=" + front.URL, "--scenarios=jwks"}, tinyRun...)...)
	if code != 1 || !strings.Contains(stderr, "error rate above 1% in: GET jwks.json") {
		t.Fatalf("exit %d, want 1 with the error rate named\nstderr:\n%s", code, stderr)
	}
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, out)
	}
	if len(rep.Scenarios) != 1 {
		t.Fatalf("want the jwks scenario alone, got %+v", rep.Scenarios)
	}
	s := rep.Scenarios[0]
	kind := "HTTP 503 InternalErrorException"
	if s.Errors == 0 || s.ErrorKind[kind] != s.Errors || s.Errors > s.Requests || s.ErrorRate <= maxErrorRate {
		t.Errorf("want %d requests with errors all %q, got %d errors %v rate %v", s.Requests, kind, s.Errors, s.ErrorKind, s.ErrorRate)
	}
	if rep.Target != front.URL {
		t.Errorf("target %q, want %q", rep.Target, front.URL)
	}
}

// TestLoopbackOnly checks that a target or database elsewhere is refused
// before any connection, and loopback ones are accepted.
func TestLoopbackOnly(t *testing.T) {
	refused := []struct{ flag, value, want string }{
		{"--target", "http://example.com:9229", "not loopback"},
		{"--target", "http://10.0.0.1:9229", "not a loopback address"},
		{"--target", "http://[2001:db8::1]:9229", "not a loopback address"},
		{"--target", "ftp://127.0.0.1", "scheme"},
		{"--target", "http://127.0.0.1:9229/us-east-1_x", "only scheme, host and port"},
		{"--database-url", "postgres://db.example.com:5432/x", "not loopback"},
		{"--database-url", "postgres://127.0.0.1/x?host=192.0.2.7", "not a loopback address"},
		{"--database-url", "host=127.0.0.1 dbname=x", "postgres:// URL"},
	}
	for _, tc := range refused {
		t.Run(tc.value, func(t *testing.T) {
			code, out, stderr := runProgram(t, tc.flag+"="+tc.value)
			if code != 2 || out != "" || !strings.Contains(stderr, tc.flag) || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d stdout %q stderr %q, want 2 naming %s and %q", code, out, stderr, tc.flag, tc.want)
			}
		})
	}
	for _, target := range []string{"http://127.0.0.1:9229", "http://[::1]:9229/", "http://localhost:9229", "http://127.1.2.3"} {
		if _, err := parseFlags([]string{"--target", target}, &bytes.Buffer{}); err != nil {
			t.Errorf("--target %s refused: %v", target, err)
		}
	}
	for _, db := range []string{"postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "postgresql://u@localhost/x", "postgres:///x?host=/var/run/postgresql"} {
		if _, err := parseFlags([]string{"--database-url", db}, &bytes.Buffer{}); err != nil {
			t.Errorf("--database-url %s refused: %v", db, err)
		}
	}
}

// TestDialerRefusesNonLoopback checks the client itself, in case an address
// reached it some other way (a redirect, a Location).
func TestDialerRefusesNonLoopback(t *testing.T) {
	hc := newHTTPClient(1)
	_, err := hc.Get("http://192.0.2.1:9/")
	if err == nil || !strings.Contains(err.Error(), "refusing non-loopback address") {
		t.Fatalf("GET to 192.0.2.1: want a refusal before dialing, got %v", err)
	}
}

func TestPercentile(t *testing.T) {
	tests := []struct {
		n, p, want int
	}{
		{n: 1, p: 50, want: 1}, {n: 1, p: 99, want: 1},
		{n: 100, p: 50, want: 50}, {n: 100, p: 90, want: 90}, {n: 100, p: 99, want: 99},
		{n: 10, p: 99, want: 10}, {n: 10, p: 50, want: 5}, {n: 3, p: 90, want: 3},
	}
	for _, tc := range tests {
		sorted := make([]time.Duration, tc.n)
		for i := range sorted {
			sorted[i] = time.Duration(i + 1)
		}
		if got := percentile(sorted, tc.p); got != time.Duration(tc.want) {
			t.Errorf("p%d of 1..%d = %d, want %d", tc.p, tc.n, got, tc.want)
		}
	}
}

func TestFmtMS(t *testing.T) {
	tests := []struct {
		ms   float64
		want string
	}{
		{0.0314, "31µs"}, {0.99996, "1.00ms"}, {1.2345, "1.23ms"}, {9.9996, "10.0ms"},
		{57.53, "57.5ms"}, {99.97, "100ms"}, {632.4, "632ms"},
	}
	for _, tc := range tests {
		if got := fmtMS(tc.ms); got != tc.want {
			t.Errorf("fmtMS(%v) = %q, want %q", tc.ms, got, tc.want)
		}
	}
}

// TestEnoughCodes: the default supply outlasts the duration at the crypto
// ceiling, and grows with cores and duration.
func TestEnoughCodes(t *testing.T) {
	sign := cryptoCosts{sign: time.Millisecond}
	got := enoughCodes(sign, 2, 10*time.Second)
	ceiling := 2 * 10 * time.Second / (2 * time.Millisecond) // codes at 2 cores, 2 signs each
	if got < int(ceiling) {
		t.Errorf("enoughCodes = %d, below the %d the ceiling allows", got, ceiling)
	}
	if more := enoughCodes(sign, 8, 10*time.Second); more <= got {
		t.Errorf("8 cores: %d codes, not more than 2 cores' %d", more, got)
	}
	if tiny := enoughCodes(sign, 1, time.Millisecond); tiny < 1 {
		t.Errorf("tiny run: %d codes", tiny)
	}
}
