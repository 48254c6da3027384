package seed

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
)

// Result counts what a seed declared and how many records it wrote.
type Result struct {
	Pools, Clients, Users int
	// Changed is the number of records created or updated; 0 when the store
	// already matched the seed.
	Changed int
}

// Apply writes the seed through svc: each declared record is created or
// brought back to the seed's values, then each pool gets its signing keys.
// Records the seed does not mention are left alone.
func Apply(ctx context.Context, svc *userpool.Service, f *File) (Result, error) {
	a := &applier{svc: svc, store: svc.Store}
	for _, p := range f.Pools {
		if err := a.pool(ctx, p); err != nil {
			return a.res, fmt.Errorf("seed: pool %s: %w", p.ID, err)
		}
		if svc.Keys != nil {
			if err := svc.Keys.Ensure(ctx, p.ID); err != nil {
				return a.res, fmt.Errorf("seed: pool %s: signing keys: %w", p.ID, err)
			}
		}
	}
	return a.res, nil
}

type applier struct {
	svc   *userpool.Service
	store storage.Storage
	res   Result
}

func (a *applier) now() time.Time { return a.svc.Clock.Now() }

// changed counts one written record when did is true.
func (a *applier) changed(did bool) {
	if did {
		a.res.Changed++
	}
}

// reason turns a userpool failure into a readable seed error: the
// exception's message, or the wrapped internal error.
func reason(err error) error {
	var e *exception.Error
	if errors.As(err, &e) {
		return errors.New(e.Message)
	}
	return err
}

// pool seeds one pool. Each record is first created by the API's own
// function in a scratch in-memory replica of the pool (so it gets the API's
// defaults and validation), then the result is written to the real store
// only where it differs.
func (a *applier) pool(ctx context.Context, p Pool) error {
	scratch := &userpool.Service{
		Store: memory.New(), Clock: a.svc.Clock, Log: a.svc.Log, Region: a.svc.Region, BcryptCost: a.svc.BcryptCost,
	}
	want, err := scratch.CreatePool(ctx, poolInput(p))
	if err != nil {
		return reason(err)
	}
	if p.Domain != "" {
		if want, err = a.domain(ctx, scratch, p.ID, p.Domain); err != nil {
			return fmt.Errorf("domain %s: %w", p.Domain, err)
		}
	}
	a.res.Pools++
	did, err := upsert(ctx, a.now(),
		func() error { return a.store.CreatePool(ctx, want) },
		func(fn func(*storage.Pool) error) error { return a.store.UpdatePool(ctx, p.ID, fn) },
		&want, func(cur *storage.Pool) { want.CreatedAt, want.LastModifiedAt = cur.CreatedAt, cur.LastModifiedAt },
		func(r *storage.Pool, t time.Time) { r.CreatedAt, r.LastModifiedAt = t, t },
		func(r *storage.Pool, t time.Time) { r.LastModifiedAt = t })
	if err != nil {
		return err
	}
	a.changed(did)
	pool, err := a.svc.Pool(ctx, p.ID)
	if err != nil {
		return err
	}

	if err := a.resourceServers(ctx, scratch, pool, p.ResourceServers); err != nil {
		return err
	}
	for _, c := range p.Clients {
		if err := a.client(ctx, scratch, pool, c); err != nil {
			return fmt.Errorf("client %s: %w", c.ID, err)
		}
	}
	for _, g := range p.Groups {
		if err := a.group(ctx, scratch, pool, g); err != nil {
			return fmt.Errorf("group %s: %w", g.Name, err)
		}
	}
	for _, u := range p.Users {
		if err := a.user(ctx, pool, u); err != nil {
			return fmt.Errorf("user %s: %w", u.Username, err)
		}
	}
	return nil
}

// domain attaches a prefix domain in the scratch replica (the API's checks)
// and makes sure no other pool of the real store has it.
func (a *applier) domain(ctx context.Context, scratch *userpool.Service, poolID, domain string) (storage.Pool, error) {
	if _, err := scratch.CreateDomain(ctx, userpool.DomainInput{PoolID: poolID, Domain: domain}); err != nil {
		return storage.Pool{}, reason(err)
	}
	owner, found, err := a.svc.PoolByDomain(ctx, domain)
	if err != nil {
		return storage.Pool{}, err
	}
	if found && owner.ID != poolID {
		return storage.Pool{}, fmt.Errorf("already the domain of pool %s", owner.ID)
	}
	return scratch.Pool(ctx, poolID)
}

// resourceServers writes the declared resource servers, then copies every
// resource server of the pool into the scratch replica so that clients may
// use their scopes.
func (a *applier) resourceServers(ctx context.Context, scratch *userpool.Service, pool storage.Pool, rss []ResourceServer) error {
	for _, rs := range rss {
		want, err := scratch.CreateResourceServer(ctx, resourceServerRecord(pool.ID, rs))
		if err != nil {
			return fmt.Errorf("resource server %s: %w", rs.Identifier, reason(err))
		}
		did, err := upsert(ctx, a.now(),
			func() error { return a.store.CreateResourceServer(ctx, want) },
			func(fn func(*storage.ResourceServer) error) error {
				return a.store.UpdateResourceServer(ctx, pool.ID, rs.Identifier, fn)
			},
			&want, nil, nil, nil)
		if err != nil {
			return fmt.Errorf("resource server %s: %w", rs.Identifier, err)
		}
		a.changed(did)
	}
	all, err := a.store.ListResourceServers(ctx, pool.ID)
	if err != nil {
		return fmt.Errorf("list resource servers: %w", err)
	}
	for _, rs := range all {
		if slices.ContainsFunc(rss, func(d ResourceServer) bool { return d.Identifier == rs.Identifier }) {
			continue
		}
		if err := scratch.Store.CreateResourceServer(ctx, rs); err != nil {
			return fmt.Errorf("resource server %s: %w", rs.Identifier, err)
		}
	}
	return nil
}

func (a *applier) client(ctx context.Context, scratch *userpool.Service, pool storage.Pool, c Client) error {
	in := clientInput(pool.ID, c)
	cur, err := a.store.GetClient(ctx, c.ID)
	switch {
	case err == nil && cur.PoolID != pool.ID:
		return fmt.Errorf("the id is taken by a client of pool %s", cur.PoolID)
	case err == nil && c.GenerateSecret && cur.Secret != "":
		// A generated secret is drawn once and kept across starts.
		in.GenerateSecret, in.ClientSecret = false, cur.Secret
	case err != nil && !errors.Is(err, storage.ErrNotFound):
		return fmt.Errorf("get client: %w", err)
	}
	want, err := scratch.CreateClient(ctx, in)
	if err != nil {
		return reason(err)
	}
	a.res.Clients++
	did, err := upsert(ctx, a.now(),
		func() error { return a.store.CreateClient(ctx, want) },
		func(fn func(*storage.Client) error) error { return a.store.UpdateClient(ctx, c.ID, fn) },
		&want, func(cur *storage.Client) { want.CreatedAt, want.LastModifiedAt = cur.CreatedAt, cur.LastModifiedAt },
		func(r *storage.Client, t time.Time) { r.CreatedAt, r.LastModifiedAt = t, t },
		func(r *storage.Client, t time.Time) { r.LastModifiedAt = t })
	a.changed(did)
	return err
}

func (a *applier) group(ctx context.Context, scratch *userpool.Service, pool storage.Pool, g Group) error {
	want, err := scratch.CreateGroup(ctx, groupInput(pool.ID, g))
	if err != nil {
		return reason(err)
	}
	did, err := upsert(ctx, a.now(),
		func() error { return a.store.CreateGroup(ctx, want) },
		func(fn func(*storage.Group) error) error { return a.store.UpdateGroup(ctx, pool.ID, g.Name, fn) },
		&want, func(cur *storage.Group) { want.CreatedAt, want.LastModifiedAt = cur.CreatedAt, cur.LastModifiedAt },
		func(r *storage.Group, t time.Time) { r.CreatedAt, r.LastModifiedAt = t, t },
		func(r *storage.Group, t time.Time) { r.LastModifiedAt = t })
	a.changed(did)
	return err
}

// upsert creates *want, or updates the stored record to it. keep copies
// what the seed does not own from the stored record into want before they
// are compared; created and modified stamp timestamps. An unchanged record
// is not written (storage.ErrNoChange), so re-applying a seed is a no-op.
// It reports whether anything was written.
func upsert[T any](ctx context.Context, now time.Time,
	create func() error, update func(func(*T) error) error,
	want *T, keep func(cur *T), created, modified func(*T, time.Time),
) (bool, error) {
	did := false
	fn := func(cur *T) error {
		if keep != nil {
			keep(cur)
		}
		if sameRecord(reflect.ValueOf(*cur), reflect.ValueOf(*want)) {
			return storage.ErrNoChange
		}
		*cur = *want
		if modified != nil {
			modified(cur, now)
		}
		did = true
		return nil
	}
	err := update(fn)
	if err == nil {
		return did, nil
	}
	if !errors.Is(err, storage.ErrNotFound) {
		return false, fmt.Errorf("update: %w", err)
	}
	if created != nil {
		created(want, now)
	}
	err = create()
	if errors.Is(err, storage.ErrAlreadyExists) {
		// Another replica seeded it in between: converge on it instead.
		if err := update(fn); err != nil {
			return false, fmt.Errorf("update: %w", err)
		}
		return did, nil
	}
	if err != nil {
		return false, fmt.Errorf("create: %w", err)
	}
	return true, nil
}

// sameRecord compares two records as storage sees them: nil and empty
// slices and maps are equal (backends do not keep the difference), times
// compare as instants, pointers by what they point to.
func sameRecord(a, b reflect.Value) bool {
	if a.Type() != b.Type() {
		return false
	}
	if t, ok := a.Interface().(time.Time); ok {
		return t.Equal(b.Interface().(time.Time))
	}
	switch a.Kind() {
	case reflect.Slice, reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		if a.Kind() == reflect.Map {
			for _, k := range a.MapKeys() {
				bv := b.MapIndex(k)
				if !bv.IsValid() || !sameRecord(a.MapIndex(k), bv) {
					return false
				}
			}
			return true
		}
		for i := range a.Len() {
			if !sameRecord(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameRecord(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameRecord(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	}
	return a.Equal(b)
}
