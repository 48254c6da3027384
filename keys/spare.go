package keys

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"sync"
	"sync/atomic"
)

// rsaBits is the modulus size of every key (spec §4).
const rsaBits = 2048

// spareKeys is a process-wide buffer of freshly generated, never used RSA
// keys. Generating one takes 50-200 ms, and creating a pool or rotating
// needs two, so a request that finds the buffer stocked skips that wait.
// A key is bound to nothing until a KeySet update stores it, so the buffer
// can be shared by every Manager in the process (tests start many servers).
// It is refilled by a goroutine that starts when a key is taken and exits
// as soon as the buffer is full: nothing runs while the buffer is idle, and
// nothing starts before the first key is needed.
var spare = newKeyPool(4)

type keyPool struct {
	ch      chan *rsa.PrivateKey
	filling atomic.Bool
}

func newKeyPool(size int) *keyPool { return &keyPool{ch: make(chan *rsa.PrivateKey, size)} }

// take returns n unused keys, from the buffer when it has them, otherwise
// freshly generated (in parallel), and then starts a refill.
func (p *keyPool) take(n int) ([]*rsa.PrivateKey, error) {
	out := make([]*rsa.PrivateKey, 0, n)
stocked:
	for len(out) < n {
		select {
		case k := <-p.ch:
			out = append(out, k)
		default:
			break stocked
		}
	}
	if missing := n - len(out); missing > 0 {
		fresh, err := generate(missing)
		if err != nil {
			return nil, err
		}
		out = append(out, fresh...)
	}
	p.refill()
	return out, nil
}

// giveBack returns keys that were taken but never stored, e.g. because
// another replica created the pool's keys first.
func (p *keyPool) giveBack(keys ...*rsa.PrivateKey) {
	for _, k := range keys {
		select {
		case p.ch <- k:
		default:
			return
		}
	}
}

// refill tops the buffer up in the background, at most one goroutine at a
// time.
func (p *keyPool) refill() {
	if len(p.ch) == cap(p.ch) || !p.filling.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer p.filling.Store(false)
		for len(p.ch) < cap(p.ch) {
			k, err := rsa.GenerateKey(rand.Reader, rsaBits)
			if err != nil {
				return
			}
			select {
			case p.ch <- k:
			default:
				return
			}
		}
	}()
}

// generate creates n keys concurrently.
func generate(n int) ([]*rsa.PrivateKey, error) {
	out := make([]*rsa.PrivateKey, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() { out[i], errs[i] = rsa.GenerateKey(rand.Reader, rsaBits) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("keys: generate RSA key: %w", err)
		}
	}
	return out, nil
}

// takeKeys returns n unused keys from NewKey when set, else from the spare
// buffer.
func (m *Manager) takeKeys(n int) ([]*rsa.PrivateKey, error) {
	if m.NewKey == nil {
		return spare.take(n)
	}
	out := make([]*rsa.PrivateKey, n)
	for i := range out {
		k, err := m.NewKey()
		if err != nil {
			return nil, fmt.Errorf("keys: new RSA key: %w", err)
		}
		out[i] = k
	}
	return out, nil
}

// giveBack returns unused keys to the spare buffer (NewKey's are dropped).
func (m *Manager) giveBack(keys ...*rsa.PrivateKey) {
	if m.NewKey == nil {
		spare.giveBack(keys...)
	}
}
