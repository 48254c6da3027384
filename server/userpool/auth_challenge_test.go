package userpool

import (
	"testing"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

func TestNewPasswordAttributes(t *testing.T) {
	schema := StandardSchema()
	for i := range schema {
		if schema[i].Name == "given_name" || schema[i].Name == "email" {
			schema[i].Required = true
		}
	}
	schema = append(schema, storage.SchemaAttribute{Name: "custom:team", AttributeDataType: "String", Mutable: true},
		storage.SchemaAttribute{Name: "custom:badge", AttributeDataType: "String", Mutable: false})
	p := storage.Pool{Schema: schema}
	u := storage.User{Attributes: map[string]string{"sub": "s", "email": "jane@example.com", "custom:badge": "7"}}

	tests := []struct {
		name     string
		attrs    map[string]string
		wantCode string
		wantMsg  string
		wantSet  map[string]string
	}{
		{"missing required", nil, exception.InvalidParameter, "Invalid attributes given, given_name is missing", nil},
		{"fills missing", map[string]string{"given_name": "Jane"}, "", "", map[string]string{"given_name": "Jane"}},
		{"optional too", map[string]string{"given_name": "Jane", "custom:team": "blue"}, "", "", map[string]string{"given_name": "Jane", "custom:team": "blue"}},
		{"already provided required", map[string]string{"given_name": "Jane", "email": "x@example.com"}, exception.NotAuthorized, "Cannot modify an already provided email", nil},
		{"immutable set", map[string]string{"given_name": "Jane", "custom:badge": "8"}, exception.NotAuthorized, "Cannot modify an already provided custom:badge", nil},
		{"verified flag", map[string]string{"given_name": "Jane", "email_verified": "true"}, exception.NotAuthorized, "A client attempted to write unauthorized attribute", nil},
		{"unknown", map[string]string{"given_name": "Jane", "custom:nope": "1"}, exception.InvalidParameter, "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := newPasswordAttributes(p, u, tt.attrs)
			if tt.wantCode != "" {
				if exception.Code(err) != tt.wantCode || exception.Message(err) != tt.wantMsg {
					t.Fatalf("err = %v, want %s %q", err, tt.wantCode, tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if len(got) != len(tt.wantSet) {
				t.Fatalf("set %v, want %v", got, tt.wantSet)
			}
			for k, v := range tt.wantSet {
				if got[k] != v {
					t.Errorf("set %s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestJoinAnd(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c"}, "a, b and c"},
	}
	for _, tt := range tests {
		if got := joinAnd(tt.in); got != tt.want {
			t.Errorf("joinAnd(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
