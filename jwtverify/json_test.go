package jwtverify

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

var jsonCases = []string{
	`{}`,
	` {"a":1} `,
	`{"sub":"x","exp":1709626089,"f":-0.5e-3,"t":true,"n":null,"arr":[1,"a",[],{}],"o":{"k":"v"}}`,
	`{"esc":"a\"b\\c\/d\b\f\n\r\t\u00e9\u20AC"}`,
	`{"pair":"\ud83d\ude00","lone":"\ud83dx","low":"\ude00","hi2":"\ud83d\u0041"}`,
	`{"é":"ü","x":"日本"}`,
	`{"big":1e308,"small":1e-400,"zero":-0}`,
	// Errors for both readers.
	``, `null`, `[]`, `"s"`, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{a:1}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`,
	`{"a":1e}`, `{"a":+1}`, `{"a":tru}`, `{"a":"\x"}`, `{"a":"\u12"}`, "{\"a\":\"\x01\"}", `{"a":1}x`, `{"a":1}{}`,
	`{"a":[1,]}`, `{"a":1e400}`, `{"a":"\ud83d\uZZZZ"}`, `{"a" 1}`, `{"a":1 "b":2}`,
}

// TestJSONObjectMatchesEncodingJSON compares the reader with encoding/json.
func TestJSONObjectMatchesEncodingJSON(t *testing.T) {
	for _, in := range jsonCases {
		compareJSON(t, []byte(in))
	}
}

func TestJSONObjectStricter(t *testing.T) {
	deep := bytes.Repeat([]byte(`{"a":`), maxJSONDepth+1)
	tests := []struct {
		in   string
		want error
	}{
		{`{"a":1,"a":2}`, errJSONDuplicate},
		{`{"o":{"b":1,"b":1}}`, errJSONDuplicate},
		{"{\"a\":\"\xff\"}", errJSONUTF8},
		{"{\"a\":\"x\\n\xc3\"}", errJSONUTF8},
		{string(deep), errJSONDepth},
	}
	for _, tt := range tests {
		if _, err := parseJSONObject(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("parseJSONObject(%q) error = %v, want %v", tt.in, err, tt.want)
		}
	}
}

func compareJSON(t *testing.T, data []byte) {
	t.Helper()
	got, err := parseJSONObject(string(data))
	var want map[string]any
	wantErr := json.Unmarshal(data, &want)
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		wantErr = errors.New("not an object") // encoding/json accepts null
	}
	switch {
	case errors.Is(err, errJSONDuplicate), errors.Is(err, errJSONUTF8), errors.Is(err, errJSONDepth):
		// Deliberately stricter than encoding/json.
	case err != nil && wantErr == nil:
		t.Fatalf("%q: reader error %v, encoding/json accepts", data, err)
	case err == nil && wantErr != nil:
		t.Fatalf("%q: reader accepts, encoding/json error %v", data, wantErr)
	case err == nil && !reflect.DeepEqual(got, want):
		t.Fatalf("%q: reader %#v, encoding/json %#v", data, got, want)
	}
}

// FuzzJSONObject checks the reader against encoding/json.
func FuzzJSONObject(f *testing.F) {
	for _, in := range jsonCases {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) { compareJSON(t, data) })
}
