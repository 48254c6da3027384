package main

import (
	"context"
	"time"
)

// janitorInterval is how often expired grants and refresh tokens are purged.
const janitorInterval = 10 * time.Minute

// janitorGrace keeps expired records a while, so an error for a just-expired
// code or token still reads "expired" rather than "unknown".
const janitorGrace = time.Hour

// startJanitor deletes expired single-use grants (codes, challenge sessions,
// SRP state) and expired refresh tokens in the background, so a long-lived
// Postgres database does not grow without bound.
func (p *Program) startJanitor(ctx context.Context) {
	p.bg.Add(1)
	go func() {
		defer p.bg.Done()
		t := time.NewTicker(janitorInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				p.sweep(ctx)
			}
		}
	}()
}

// sweep runs one purge; failures are logged and retried next time.
func (p *Program) sweep(ctx context.Context) {
	before := p.Server.Config.Clock.Now().Add(-janitorGrace)
	grants, err := p.Store.DeleteExpiredGrants(ctx, before)
	if err != nil {
		p.Log.Warn("purge expired grants", "err", err)
	}
	refresh, err := p.Store.DeleteExpiredRefreshTokens(ctx, before)
	if err != nil {
		p.Log.Warn("purge expired refresh tokens", "err", err)
	}
	if grants+refresh > 0 {
		p.Log.Debug("purged expired records", "grants", grants, "refresh_tokens", refresh)
	}
}
