package memory

import (
	"context"
	"fmt"

	"github.com/locognito/locognito/storage"
)

func (s *Store) GetKeySet(_ context.Context, poolID string) (storage.KeySet, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ks, ok := s.keySets[poolID]
	if !ok {
		return storage.KeySet{}, fmt.Errorf("memory: get key set of pool %q: %w", poolID, storage.ErrNotFound)
	}
	return cloneKeySet(ks), nil
}

// UpdateKeySet runs fn on a copy of the pool's set (an empty one with PoolID
// set when there is none) and stores the result with Version one higher than
// before; fn cannot change PoolID or Version. It fails with ErrNotFound when
// the pool does not exist.
func (s *Store) UpdateKeySet(_ context.Context, poolID string, fn func(*storage.KeySet) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePool("update key set", poolID); err != nil {
		return err
	}
	cur, ok := s.keySets[poolID]
	if !ok {
		cur = storage.KeySet{PoolID: poolID}
	}
	ks := cloneKeySet(cur)
	if err := fn(&ks); err != nil {
		return updateErr(err)
	}
	ks.PoolID = poolID
	ks.Version = cur.Version + 1
	s.keySets[poolID] = cloneKeySet(ks)
	return nil
}
