package main

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// result is one scenario's outcome. Times are milliseconds in JSON.
type result struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	Skipped   string         `json:"skipped,omitempty"`
	Requests  int            `json:"requests"`
	Errors    int            `json:"errors"`
	ErrorRate float64        `json:"error_rate"`
	ErrorKind map[string]int `json:"error_kinds,omitempty"`
	ElapsedMS float64        `json:"elapsed_ms"`
	ReqPerSec float64        `json:"req_per_s"`
	P50MS     float64        `json:"p50_ms"`
	P90MS     float64        `json:"p90_ms"`
	P99MS     float64        `json:"p99_ms"`
	// Stopped says what ended the scenario: "duration", "request cap",
	// "codes used up" or "interrupted".
	Stopped string `json:"stopped,omitempty"`
	// Crypto is the cryptography per request; CeilingReqPerSec what the
	// measured crypto allows on every core; Ratio is ReqPerSec over it.
	Crypto           string  `json:"crypto_per_request"`
	CeilingReqPerSec float64 `json:"ceiling_req_per_s,omitempty"`
	Ratio            float64 `json:"ratio,omitempty"`
	// CPUCores is the CPU time this process (in-process server and load
	// generator) got during the scenario, in cores; on a shared machine it
	// is below the core count. CryptoShare is the part of that CPU time the
	// crypto floor accounts for.
	CPUCores    float64 `json:"cpu_cores_used,omitempty"`
	CryptoShare float64 `json:"crypto_share_of_cpu,omitempty"`

	crypto cryptoCount
}

// runScenario prepares sc, sends one untimed probe request, then runs
// o.Concurrency workers until o.Duration has passed, o.MaxRequests have been
// sent or the scenario's supply is used up. Requests in flight at the
// deadline finish and count.
func runScenario(ctx context.Context, e *env, sc scenario, o options, inProcess bool) result {
	res := result{ID: sc.ID, Name: sc.Name, Crypto: sc.Crypto.String(), crypto: sc.Crypto}
	req, err := sc.prepare(ctx, e, o)
	if err != nil {
		res.Skipped = "setup failed: " + err.Error()
		return res
	}
	if err := req(ctx); err != nil {
		res.Skipped = "probe request failed: " + err.Error()
		return res
	}

	var (
		sent      atomic.Int64
		capped    atomic.Bool
		exhausted atomic.Bool
		wg        sync.WaitGroup
		latencies = make([][]time.Duration, o.Concurrency)
		failures  = make([]map[string]int, o.Concurrency)
	)
	cpu0, cpuKnown := processCPU()
	start := time.Now()
	deadline := start.Add(o.Duration)
	for w := range o.Concurrency {
		failures[w] = map[string]int{}
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				if sent.Add(1) > int64(o.MaxRequests) {
					capped.Store(true)
					return
				}
				t0 := time.Now()
				err := req(ctx)
				d := time.Since(t0)
				if errors.Is(err, errExhausted) {
					exhausted.Store(true)
					return
				}
				latencies[w] = append(latencies[w], d)
				if err != nil {
					failures[w][err.Error()]++
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if cpu1, ok := processCPU(); ok && cpuKnown && inProcess {
		res.CPUCores = (cpu1 - cpu0).Seconds() / elapsed.Seconds()
	}

	all := slices.Concat(latencies...)
	slices.Sort(all)
	res.Requests = len(all)
	res.ErrorKind = map[string]int{}
	for _, f := range failures {
		for kind, n := range f {
			res.ErrorKind[kind] += n
			res.Errors += n
		}
	}
	if len(res.ErrorKind) == 0 {
		res.ErrorKind = nil
	}
	res.ElapsedMS = ms(elapsed)
	if res.Requests > 0 {
		res.ErrorRate = float64(res.Errors) / float64(res.Requests)
		res.ReqPerSec = float64(res.Requests) / elapsed.Seconds()
		res.P50MS, res.P90MS, res.P99MS = ms(percentile(all, 50)), ms(percentile(all, 90)), ms(percentile(all, 99))
	}
	switch {
	case ctx.Err() != nil:
		res.Stopped = "interrupted"
	case exhausted.Load():
		res.Stopped = "codes used up"
	case capped.Load():
		res.Stopped = "request cap"
	default:
		res.Stopped = "duration"
	}
	return res
}

// percentile is the nearest-rank percentile p of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n)
	return sorted[max(rank, 1)-1]
}

// applyFloor sets the ceiling the measured crypto allows on cores cores,
// assuming the crypto alone used them all, and the achieved share of it.
func (r *result) applyFloor(f cryptoCosts, cores int) {
	perRequest := time.Duration(r.crypto.Bcrypt)*f.bcrypt +
		time.Duration(r.crypto.Sign)*f.sign +
		time.Duration(r.crypto.Verify)*f.verify
	if perRequest <= 0 {
		return
	}
	r.CeilingReqPerSec = float64(cores) / perRequest.Seconds()
	if r.Requests > 0 {
		r.Ratio = r.ReqPerSec / r.CeilingReqPerSec
	}
	if r.CPUCores > 0 {
		r.CryptoShare = r.ReqPerSec * perRequest.Seconds() / r.CPUCores
	}
}

// errorKinds lists a result's failure kinds, most frequent first.
func (r *result) errorKinds() []string {
	kinds := slices.Collect(maps.Keys(r.ErrorKind))
	slices.SortFunc(kinds, func(a, b string) int {
		if d := r.ErrorKind[b] - r.ErrorKind[a]; d != 0 {
			return d
		}
		if a < b {
			return -1
		}
		return 1
	})
	return kinds
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
