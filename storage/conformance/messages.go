package conformance

import (
	"testing"
	"time"

	"github.com/locognito/locognito/storage"
)

func testMessages(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createPool(t, s, poolA)
	createPool(t, s, poolB)

	m1 := fullMessage(poolA, "alice", "111111", at(2*time.Second))
	m2 := fullMessage(poolA, "bob", "222222", at(time.Second))
	m3 := fullMessage(poolA, "alice", "333333", at(time.Second)) // same time as m2, added later
	m4 := fullMessage(poolA, "Alice", "444444", at(3*time.Second))
	m5 := storage.Message{PoolID: poolA, Username: "alice", Code: "555555"} // zero time: oldest
	for _, m := range []storage.Message{m1, m2, m3, m4, m5, fullMessage(poolB, "alice", "999999", at(0))} {
		must(t, "AddMessage", s.AddMessage(ctx, m))
	}

	all, err := s.ListMessages(ctx, poolA, "")
	must(t, "ListMessages all", err)
	check(t, "all messages, oldest first", all, []storage.Message{m5, m2, m3, m1, m4})
	alice, err := s.ListMessages(ctx, poolA, "alice")
	must(t, "ListMessages alice", err)
	check(t, "alice's messages, oldest first", alice, []storage.Message{m5, m3, m1})
	none, err := s.ListMessages(ctx, poolA, "carol")
	must(t, "ListMessages carol", err)
	if len(none) != 0 {
		t.Errorf("ListMessages for a user with none: %d messages", len(none))
	}
	other, err := s.ListMessages(ctx, poolB, "")
	must(t, "ListMessages other pool", err)
	if len(other) != 1 || other[0].Code != "999999" {
		t.Errorf("ListMessages other pool: %+v", other)
	}
	wantErr(t, "AddMessage missing pool", s.AddMessage(ctx, fullMessage(noPool, "alice", "1", at(0))), storage.ErrNotFound)
}
