package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/locognito/locognito/keys"
	"github.com/locognito/locognito/storage"
)

// DevKeys serves POST /_locognito/keys/rotate?pool=<id>[&delay=30s]: the
// "rotate now" hook of spec §4, for tests of verifiers that must follow a
// key rotation. Both of the pool's keys are replaced; the new ones are in
// the JWKS at once and sign after delay (default: the configured
// KeyPublishDelay; 0 signs at once). The response lists the new keys.
type DevKeys struct {
	Store        storage.Pools
	Keys         *keys.Manager
	DefaultDelay time.Duration
	Log          *slog.Logger
}

type devKey struct {
	KID         string    `json:"kid"`
	Use         string    `json:"use"`
	CreatedAt   time.Time `json:"created_at"`
	ActivatesAt time.Time `json:"activates_at"`
}

// Mount registers the endpoint on r.
func (d *DevKeys) Mount(r *mux.Router) {
	r.Path("/_locognito/keys/rotate").Methods(http.MethodPost).HandlerFunc(d.rotate)
}

func (d *DevKeys) rotate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	poolID := q.Get("pool")
	if poolID == "" {
		writeDevMessagesError(w, http.StatusBadRequest, "missing query parameter pool")
		return
	}
	delay := d.DefaultDelay
	if s := q.Get("delay"); s != "" {
		v, err := time.ParseDuration(s)
		if err != nil || v < 0 {
			writeDevMessagesError(w, http.StatusBadRequest, "delay must be a non-negative Go duration such as 30s")
			return
		}
		delay = v
	}
	if _, err := d.Store.GetPool(ctx, poolID); errors.Is(err, storage.ErrNotFound) {
		writeDevMessagesError(w, http.StatusNotFound, "User pool "+poolID+" does not exist.")
		return
	} else if err != nil {
		d.internalError(w, err)
		return
	}
	added, err := d.Keys.RotateKeys(ctx, poolID, delay)
	if err != nil {
		d.internalError(w, err)
		return
	}
	out := struct {
		PoolID string   `json:"pool_id"`
		Keys   []devKey `json:"keys"`
	}{PoolID: poolID, Keys: make([]devKey, 0, len(added))}
	for _, k := range added {
		out.Keys = append(out.Keys, devKey{KID: k.KID, Use: k.Use, CreatedAt: k.CreatedAt.UTC(), ActivatesAt: k.ActivatesAt.UTC()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(out)
}

func (d *DevKeys) internalError(w http.ResponseWriter, err error) {
	d.Log.Error("dev key rotation", "err", err)
	writeDevMessagesError(w, http.StatusInternalServerError, "internal error")
}
