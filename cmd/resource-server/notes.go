package main

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/locognito/locognito/jwtverify"
)

// Limits of the in-memory notes board.
const (
	maxNoteLen = 500
	maxNotes   = 1000 // the oldest note goes when a new one would exceed this
)

// Note is one entry of the shared board.
type Note struct {
	ID        int64     `json:"id"`
	Text      string    `json:"text"`
	Author    string    `json:"author"` // the username, or client:<id> for a machine token
	CreatedAt time.Time `json:"created_at"`
}

// noteStore is the demo's storage: memory only, lost on exit.
type noteStore struct {
	mu    sync.Mutex
	next  int64
	notes []Note
}

func (s *noteStore) add(n Note) Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	n.ID = s.next
	s.notes = append(s.notes, n)
	if len(s.notes) > maxNotes {
		s.notes = append([]Note(nil), s.notes[len(s.notes)-maxNotes:]...)
	}
	return n
}

func (s *noteStore) list() []Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(make([]Note, 0, len(s.notes)), s.notes...)
}

// author names the caller: the user, or the app client of a
// client_credentials token (which has no username).
func author(c *jwtverify.Claims) string {
	if c.Username != "" {
		return c.Username
	}
	return "client:" + c.ClientID
}

func (a *App) listNotes(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"notes": a.notes.list()})
}

// createNote takes {"text": "..."} as JSON, or a form field text from the
// page (which is then sent back to the page).
func (a *App) createNote(w http.ResponseWriter, r *http.Request) {
	c, _ := jwtverify.ClaimsFromContext(r.Context())
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var text string
	switch mt {
	case "application/json":
		var in struct {
			Text string `json:"text"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			writeError(w, http.StatusBadRequest, "invalid_request", "body must be a JSON object {\"text\": ...}")
			return
		}
		text = in.Text
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			writeError(w, http.StatusBadRequest, "invalid_request", "unreadable form")
			return
		}
		text = r.PostForm.Get("text")
	default:
		writeError(w, http.StatusUnsupportedMediaType, "invalid_request", "send application/json or a form")
		return
	}
	text = strings.TrimSpace(text)
	if err := checkNote(text); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	n := a.notes.add(Note{Text: text, Author: author(c), CreatedAt: a.now().UTC()})
	if mt == "application/x-www-form-urlencoded" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	writeJSON(w, http.StatusCreated, n)
}

func checkNote(text string) error {
	switch {
	case text == "":
		return errors.New("text is required")
	case !utf8.ValidString(text):
		return errors.New("text must be UTF-8")
	case utf8.RuneCountInString(text) > maxNoteLen:
		return errors.New("text is longer than 500 characters")
	}
	return nil
}

// me answers with the verified token's payload, claim for claim.
func (a *App) me(w http.ResponseWriter, r *http.Request) {
	c, _ := jwtverify.ClaimsFromContext(r.Context())
	writeJSON(w, http.StatusOK, c.Raw)
}

// adminStats is behind RequireGroups(admin): how many notes each author
// wrote.
func (a *App) adminStats(w http.ResponseWriter, _ *http.Request) {
	notes := a.notes.list()
	by := map[string]int{}
	for _, n := range notes {
		by[n.Author]++
	}
	writeJSON(w, http.StatusOK, map[string]any{"notes": len(notes), "authors": by})
}
