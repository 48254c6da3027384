package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
)

// report is the whole run: where, how, the crypto floor and each scenario.
type report struct {
	Target      string      `json:"target"`
	Storage     string      `json:"storage"`
	Cores       int         `json:"cores"`
	Duration    string      `json:"duration"`
	Concurrency int         `json:"concurrency"`
	MaxRequests int         `json:"max_requests"`
	LoadBefore  string      `json:"loadavg_before,omitempty"`
	LoadAfter   string      `json:"loadavg_after,omitempty"`
	Crypto      cryptoFloor `json:"crypto"`
	Scenarios   []result    `json:"scenarios"`
}

// tableHeader is the first row of the text table.
var tableHeader = []string{
	"scenario", "requests", "errors", "req/s", "p50", "p90", "p99",
	"crypto per request", "ceiling req/s", "achieved/ceiling", "cpu used", "crypto/cpu",
}

func (r *report) writeTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "locognito load run: %s, storage %s, %d cores, concurrency %d, %s per scenario, at most %d requests each\n",
		r.Target, r.Storage, r.Cores, r.Concurrency, r.Duration, r.MaxRequests)
	if r.LoadBefore != "" {
		fmt.Fprintf(&b, "machine load average (1/5/15 min): before %s, after %s\n", r.LoadBefore, r.LoadAfter)
	}
	c := r.Crypto
	fmt.Fprintf(&b, "raw crypto, CPU time per operation on one goroutine, best of 5 windows, before and after the load (lower used): "+
		"bcrypt cost %d compare %s (%s/%s), RSA-2048 PKCS#1 v1.5 SHA-256 sign %s (%s/%s), verify %s (%s/%s)\n\n",
		c.BcryptCost, fmtMS(c.BcryptMS), fmtMS(c.Before.BcryptMS), fmtMS(c.After.BcryptMS),
		fmtMS(c.SignMS), fmtMS(c.Before.SignMS), fmtMS(c.After.SignMS),
		fmtMS(c.VerifyMS), fmtMS(c.Before.VerifyMS), fmtMS(c.After.VerifyMS))

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(tableHeader, "\t"))
	var notes []string
	for _, s := range r.Scenarios {
		if s.Skipped != "" {
			fmt.Fprintf(tw, "%s\tskipped\t\t\t\t\t\t%s\t\t\t\t\n", s.Name, s.Crypto)
			notes = append(notes, fmt.Sprintf("%s: skipped: %s", s.Name, s.Skipped))
			continue
		}
		ceiling, ratio, cpu, share := "-", "-", "-", "-"
		if s.CeilingReqPerSec > 0 {
			ceiling = fmt.Sprintf("%.1f", s.CeilingReqPerSec)
			ratio = fmt.Sprintf("%.0f%%", s.Ratio*100)
		}
		if s.CPUCores > 0 {
			cpu = fmt.Sprintf("%.2f", s.CPUCores)
		}
		if s.CryptoShare > 0 {
			share = fmt.Sprintf("%.0f%%", s.CryptoShare*100)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			s.Name, s.Requests, s.Errors, s.ReqPerSec,
			fmtMS(s.P50MS), fmtMS(s.P90MS), fmtMS(s.P99MS), s.Crypto, ceiling, ratio, cpu, share)
		if s.Stopped != "duration" {
			notes = append(notes, fmt.Sprintf("%s: stopped early (%s) after %s", s.Name, s.Stopped, fmtMS(s.ElapsedMS)))
		}
		for _, kind := range s.errorKinds() {
			notes = append(notes, fmt.Sprintf("%s: %d× %s", s.Name, s.ErrorKind[kind], kind))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(&b, "\nceiling = %d cores / (crypto per request at the costs above), as if the server did nothing else;\n"+
		"the load generator runs on the same cores, so 100%% is out of reach.\n", r.Cores)
	if strings.HasPrefix(r.Target, "in-process") {
		fmt.Fprintf(&b, "cpu used = CPU time this process (server and load generator) got, in cores: below %d when\n"+
			"other processes compete; crypto/cpu = req/s × crypto per request / cpu used.\n", r.Cores)
	}
	for _, n := range notes {
		fmt.Fprintln(&b, n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// failed names the scenarios whose error rate is above maxErrorRate.
func (r *report) failed() []string {
	var bad []string
	for _, s := range r.Scenarios {
		if s.Requests > 0 && s.ErrorRate > maxErrorRate {
			bad = append(bad, s.Name)
		}
	}
	return bad
}

// fmtMS prints milliseconds with three significant digits or so. The
// thresholds are where rounding would carry into another digit.
func fmtMS(v float64) string {
	switch {
	case v >= 99.95:
		return fmt.Sprintf("%.0fms", v)
	case v >= 9.995:
		return fmt.Sprintf("%.1fms", v)
	case v >= 0.9995:
		return fmt.Sprintf("%.2fms", v)
	default:
		return fmt.Sprintf("%.0fµs", v*1000)
	}
}

// cores is how many goroutines run Go code at once here, which bounds the
// in-process server (and, on the same machine, a target process).
func cores() int { return runtime.GOMAXPROCS(0) }

// loadavg is /proc/loadavg's three averages, or "" where there is none.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
