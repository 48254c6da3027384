package userpool

import (
	"testing"
	"time"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

func TestMask(t *testing.T) {
	tests := []struct {
		c    contact
		want string
	}{
		{contact{Attr: "email", Dest: "jane@example.com"}, "j***@e***"},
		{contact{Attr: "email", Dest: "ünï@çode.test"}, "ü***@ç***"},
		{contact{Attr: "phone_number", Dest: "+15555550100"}, "+*******0100"},
		{contact{Attr: "phone_number", Dest: "+4930123"}, "+***0123"},
	}
	for _, tt := range tests {
		if got := mask(tt.c); got != tt.want {
			t.Errorf("mask(%s) = %q, want %q", tt.c.Dest, got, tt.want)
		}
	}
}

func TestCodeLifecycle(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var u storage.User
	code := func(err error) string { return exception.Code(err) }

	if got := code(checkCode(u, purposeSignUp, "123456", now)); got != exception.ExpiredCode {
		t.Errorf("no code outstanding: %s, want ExpiredCode", got)
	}
	setCode(&u, purposeSignUp, "111111", now, time.Hour)
	if u.Codes[purposeSignUp].Hash == "111111" {
		t.Fatal("code stored in clear")
	}
	if err := checkCode(u, purposeSignUp, "111111", now); err != nil {
		t.Errorf("right code: %v", err)
	}
	if got := code(checkCode(u, purposeSignUp, "222222", now)); got != exception.CodeMismatch {
		t.Errorf("wrong code: %s, want CodeMismatch", got)
	}
	// A new code supersedes the old one.
	setCode(&u, purposeSignUp, "222222", now.Add(time.Minute), time.Hour)
	if got := code(checkCode(u, purposeSignUp, "111111", now.Add(time.Minute))); got != exception.ExpiredCode {
		t.Errorf("superseded code: %s, want ExpiredCode", got)
	}
	if err := checkCode(u, purposeSignUp, "222222", now.Add(time.Minute)); err != nil {
		t.Errorf("new code: %v", err)
	}
	if got := code(checkCode(u, purposeSignUp, "222222", now.Add(time.Minute+time.Hour))); got != exception.ExpiredCode {
		t.Errorf("expired code: %s, want ExpiredCode", got)
	}
	// Codes of other purposes are separate.
	if got := code(checkCode(u, purposeForgot, "222222", now)); got != exception.ExpiredCode {
		t.Errorf("other purpose: %s, want ExpiredCode", got)
	}
	clearCode(&u, purposeSignUp)
	if len(u.Codes) != 0 {
		t.Errorf("codes after clear = %v", u.Codes)
	}
}

func TestSupersededCodesAreBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var u storage.User
	for i := range 3 * maxSuperseded {
		setCode(&u, purposeSignUp, string(rune('a'+i)), now, time.Hour)
	}
	if n := len(splitHashes(u.Codes[purposeSignUp+supersededSuffix].Hash)); n != maxSuperseded {
		t.Errorf("%d superseded hashes kept, want %d", n, maxSuperseded)
	}
}
