// Package memory is locognito's default storage backend: every aggregate of
// storage.Storage held in process memory, lost on exit.
//
// A Store is safe for concurrent use. One sync.RWMutex guards all data, so
// each method is atomic; Update callbacks run while the write lock is held
// and must not call back into the Store. Records are deep-copied on the way
// in and on the way out, so neither a caller's record nor a returned one ever
// shares a map, slice or pointer with the Store. Times are kept in UTC,
// truncated to microseconds, exactly as storage/postgres returns them.
package memory
