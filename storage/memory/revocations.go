package memory

import (
	"context"

	"github.com/locognito/locognito/storage"
)

// RevokeOrigin is idempotent: revoking a revoked family keeps the first
// record. It fails with ErrNotFound when the pool does not exist.
func (s *Store) RevokeOrigin(_ context.Context, r storage.Revocation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requirePool("revoke origin", r.PoolID); err != nil {
		return err
	}
	k := poolKey{r.PoolID, r.OriginJTI}
	if _, ok := s.revocations[k]; !ok {
		s.revocations[k] = cloneRevocation(r)
	}
	return nil
}

func (s *Store) IsOriginRevoked(_ context.Context, poolID, originJTI string) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.revocations[poolKey{poolID, originJTI}]
	return ok, nil
}
