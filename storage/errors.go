package storage

import "errors"

var (
	// ErrNotFound: no record has that key.
	ErrNotFound = errors.New("storage: not found")
	// ErrAlreadyExists: a record with that key (or unique field) exists.
	ErrAlreadyExists = errors.New("storage: already exists")
	// ErrConflict: a conditional write lost, e.g. a grant consumed twice.
	ErrConflict = errors.New("storage: conflict")
)

// ErrNoChange, returned by an Update callback, means "leave the record as it
// is"; the Update method then returns nil without writing.
var ErrNoChange = errors.New("storage: no change")
