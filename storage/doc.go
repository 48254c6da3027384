// Package storage defines locognito's persistent records and the contract every
// backend implements: one interface per aggregate (pools, clients, users,
// groups, resource servers, refresh tokens, grants, hosted-UI sessions, keys,
// messages), combined in Storage.
//
// Every method is atomic and takes a context first. Read-modify-write goes
// through an Update method whose callback the backend runs inside its own
// transaction (or lock), so concurrent writers never lose updates. Failures are
// reported by wrapping ErrNotFound, ErrAlreadyExists or ErrConflict with %w.
//
// This package imports nothing else of locognito's and no fosite: OAuth
// requests that fosite needs to keep are stored as opaque bytes in Grant.
// Backends: storage/memory (default) and storage/postgres; both pass
// storage/conformance.
package storage
