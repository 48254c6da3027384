// Package conformance is the test suite every storage backend runs:
// a backend's test opens a fresh store per subtest and calls RunTests.
//
//	func TestConformance(t *testing.T) {
//		conformance.RunTests(t, func(t *testing.T) storage.Storage { return memory.New() })
//	}
//
// Beyond the storage package's doc comments, the suite pins down behaviour
// that both backends share:
//   - a record reads back equal to what was written, with times in UTC
//     truncated to microseconds, and nil slices and maps kept apart from
//     empty ones;
//   - no returned record shares a map, slice or pointer with the store, and
//     neither does a record after it was written or passed to an Update
//     callback;
//   - Update cannot change a record's key fields; a callback error writes
//     nothing and is returned as it is; storage.ErrNoChange writes nothing and
//     returns nil; Update, Delete and Get of a missing key give ErrNotFound;
//   - creating a pool-scoped record in a missing pool gives ErrNotFound (a
//     Grant may have no PoolID); adding a missing user to a group too;
//   - an empty User.Sub is not unique;
//   - DeleteExpired* removes only records with ExpiresAt set and before the
//     given time;
//   - lists are ordered byte-wise by key, and an empty list is an empty
//     slice, not nil.
package conformance
