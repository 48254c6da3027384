package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/locognito/locognito/storage"
)

// normKeys returns a copy of keys with the times as a column stores them.
func normKeys(keys []storage.Key) []storage.Key {
	if keys == nil {
		return nil
	}
	out := make([]storage.Key, len(keys))
	for i, k := range keys {
		k.CreatedAt = ts(k.CreatedAt)
		k.ActivatesAt = ts(k.ActivatesAt)
		k.RetiredAt = ts(k.RetiredAt)
		k.RemoveAfter = ts(k.RemoveAfter)
		out[i] = k
	}
	return out
}

func (s *Store) GetKeySet(ctx context.Context, poolID string) (storage.KeySet, error) {
	ks := storage.KeySet{PoolID: poolID}
	err := s.pool.QueryRow(ctx, "SELECT keys, version FROM key_sets WHERE pool_id = $1", poolID).
		Scan(jsonCol{&ks.Keys}, &ks.Version)
	if err != nil {
		return storage.KeySet{}, dbErr(fmt.Sprintf("get key set of pool %q", poolID), err)
	}
	return ks, nil
}

// UpdateKeySet inserts an empty set if there is none (ON CONFLICT DO
// NOTHING), then locks the row (SELECT ... FOR UPDATE), so concurrent
// updates from any number of replicas run one after another. The result is
// stored with Version one higher; fn cannot change PoolID or Version. When
// fn fails, the transaction, and so the inserted empty set, is rolled back.
// A missing pool is a foreign-key violation, hence ErrNotFound.
func (s *Store) UpdateKeySet(ctx context.Context, poolID string, fn func(*storage.KeySet) error) error {
	var fnErr error
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO key_sets (pool_id, keys, version) VALUES ($1, 'null', 0)
			ON CONFLICT (pool_id) DO NOTHING`, poolID); err != nil {
			return err
		}
		ks := storage.KeySet{PoolID: poolID}
		if err := tx.QueryRow(ctx, "SELECT keys, version FROM key_sets WHERE pool_id = $1 FOR UPDATE", poolID).
			Scan(jsonCol{&ks.Keys}, &ks.Version); err != nil {
			return err
		}
		version := ks.Version + 1
		if fnErr = fn(&ks); fnErr != nil {
			return fnErr
		}
		_, err := tx.Exec(ctx, "UPDATE key_sets SET keys = $2, version = $3 WHERE pool_id = $1",
			poolID, jsonArg{normKeys(ks.Keys)}, version)
		return err
	})
	return updateResult(fmt.Sprintf("update key set of pool %q", poolID), fnErr, err)
}
