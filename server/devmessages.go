package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/server/userpool"
)

// DevMessages serves GET /_locognito/messages?pool=<id>[&username=<name>]:
// the outbox of confirmation codes, reset codes and temporary passwords that
// real Cognito would e-mail or text (spec §7.2), oldest first, so tests and
// developers can finish sign-up and reset flows without a mailbox.
type DevMessages struct {
	Pools *userpool.Service
	Log   *slog.Logger
}

// devMessage is one outbox entry as the endpoint shows it.
type devMessage struct {
	PoolID      string    `json:"pool_id"`
	Username    string    `json:"username"`
	Kind        string    `json:"kind"`
	Destination string    `json:"destination,omitempty"`
	Medium      string    `json:"medium,omitempty"`
	Attribute   string    `json:"attribute,omitempty"`
	Code        string    `json:"code"`
	CreatedAt   time.Time `json:"created_at"`
}

// Mount registers the endpoint on r.
func (d *DevMessages) Mount(r *mux.Router) {
	r.Path("/_locognito/messages").Methods(http.MethodGet).HandlerFunc(d.serve)
}

func (d *DevMessages) serve(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	poolID, username := q.Get("pool"), q.Get("username")
	if poolID == "" {
		writeDevMessagesError(w, http.StatusBadRequest, "missing query parameter pool")
		return
	}
	// Messages accepts what a user would type as the username (an alias,
	// the e-mail of an e-mail-as-username pool, any case where the pool
	// ignores case) and finds the messages under the internal username.
	msgs, err := d.Pools.Messages(ctx, poolID, username)
	if exception.Is(err, exception.ResourceNotFound) {
		writeDevMessagesError(w, http.StatusNotFound, exception.Message(err))
		return
	}
	if err != nil {
		d.internalError(w, err)
		return
	}
	out := make([]devMessage, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, devMessage{
			PoolID: m.PoolID, Username: m.Username, Kind: m.Kind, Destination: m.Destination,
			Medium: m.Medium, Attribute: m.Attribute, Code: m.Code, CreatedAt: m.CreatedAt.UTC(),
		})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(out)
}

func (d *DevMessages) internalError(w http.ResponseWriter, err error) {
	d.Log.Error("dev messages", "err", err)
	writeDevMessagesError(w, http.StatusInternalServerError, "internal error")
}

// writeDevMessagesError writes the error body of the /_locognito endpoints.
func writeDevMessagesError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
