package main

import (
	"context"
	"fmt"
)

// listPoolIDs lists every pool id, for scheduled key rotation.
func (p *Program) listPoolIDs(ctx context.Context) ([]string, error) {
	pools, err := p.Store.ListPools(ctx)
	if err != nil {
		return nil, fmt.Errorf("list pools: %w", err)
	}
	ids := make([]string, len(pools))
	for i, pool := range pools {
		ids[i] = pool.ID
	}
	return ids, nil
}

// startKeyRotation runs the key manager's rotation loop until ctx ends when
// --key-rotation is set.
func (p *Program) startKeyRotation(ctx context.Context) {
	if p.Config.KeyRotation <= 0 {
		return
	}
	p.bg.Add(1)
	go func() {
		defer p.bg.Done()
		if err := p.Server.Keys.Run(ctx, p.listPoolIDs); err != nil && ctx.Err() == nil {
			p.Log.Error("key rotation stopped", "err", err)
		}
	}()
	p.Log.Info("key rotation on", "interval", p.Config.KeyRotation.String(),
		"publish_delay", p.Config.KeyPublishDelay.String())
}
