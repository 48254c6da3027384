package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime/debug"
)

// recoverPanics turns a panic in any handler into a plain 500 in the shape
// the caller expects (Cognito's JSON error for the API, an RFC 6749 error
// elsewhere), and logs the panic with its stack. Without it net/http would
// drop the connection and an SDK would retry blind; the stack never reaches
// the client.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil || v == http.ErrAbortHandler {
				if v != nil {
					panic(v)
				}
				return
			}
			log.ErrorContext(r.Context(), "handler panicked", "method", r.Method, "path", r.URL.Path,
				"panic", v, "stack", string(debug.Stack()))
			w.Header().Set("Cache-Control", "no-store")
			if r.Header.Get("X-Amz-Target") != "" {
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.Header().Set("x-amzn-ErrorType", "InternalErrorException")
				w.WriteHeader(http.StatusInternalServerError)
				_ = json.NewEncoder(w).Encode(map[string]string{"__type": "InternalErrorException", "message": "Internal server error."})
				return
			}
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
			w.WriteHeader(http.StatusInternalServerError)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "server_error"})
		}()
		next.ServeHTTP(w, r)
	})
}
