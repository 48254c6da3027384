package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/locognito/locognito/storage"
)

// pingTimeout bounds the storage check so a hung database fails the health
// check instead of hanging it.
const pingTimeout = 3 * time.Second

// Health serves GET /health: 200 {"status":"ok","storage":"ok"} when storage
// answers, 503 otherwise (for container health checks and test harnesses
// waiting for start-up).
type Health struct {
	Store storage.Storage
	Log   *slog.Logger
}

// Mount registers GET /health on r.
func (h *Health) Mount(r *mux.Router) {
	r.Path("/health").Methods(http.MethodGet, http.MethodHead).HandlerFunc(h.serve)
}

func (h *Health) serve(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), pingTimeout)
	defer cancel()
	status, body := http.StatusOK, map[string]string{"status": "ok", "storage": "ok"}
	if err := h.Store.Ping(ctx); err != nil {
		// The cause (host names, driver errors) goes to the log only.
		h.Log.Warn("health check: storage unreachable", "err", err)
		status, body = http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "storage": "unreachable"}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
