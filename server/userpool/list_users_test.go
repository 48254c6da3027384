package userpool

import (
	"testing"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

func TestParseUserFilter(t *testing.T) {
	tests := []struct {
		in      string
		want    *UserFilter
		wantErr string
	}{
		{in: "", want: nil},
		{in: "   ", want: nil},
		{in: `email = "a@b.c"`, want: &UserFilter{Attr: "email", Value: "a@b.c"}},
		{in: `email="a@b.c"`, want: &UserFilter{Attr: "email", Value: "a@b.c"}},
		{in: `  name ^=  "Jo"  `, want: &UserFilter{Attr: "name", Prefix: true, Value: "Jo"}},
		{in: `name = "say \"hi\""`, want: &UserFilter{Attr: "name", Value: `say "hi"`}},
		{in: `name = "back\\slash"`, want: &UserFilter{Attr: "name", Value: `back\slash`}},
		{in: `name = ""`, want: &UserFilter{Attr: "name", Value: ""}},
		{in: `cognito:user_status = "CONFIRMED"`, want: &UserFilter{Attr: "cognito:user_status", Value: "CONFIRMED"}},
		{in: `email = a`, wantErr: "Error while parsing filter."},
		{in: `email = "open`, wantErr: "Error while parsing filter."},
		{in: `email != "x"`, wantErr: "Error while parsing filter."},
		{in: `email "x"`, wantErr: "Error while parsing filter."},
		{in: `="x"`, wantErr: "Error while parsing filter."},
		{in: `email = "x" and`, wantErr: "Error while parsing filter."},
		{in: `custom:x = "y"`, wantErr: "Invalid search attribute: custom:x"},
		{in: `Email = "y"`, wantErr: "Invalid search attribute: Email"},
	}
	for _, tt := range tests {
		got, err := ParseUserFilter(tt.in)
		if tt.wantErr != "" {
			if !exception.Is(err, exception.InvalidParameter) || exception.Message(err) != tt.wantErr {
				t.Errorf("ParseUserFilter(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseUserFilter(%q): %v", tt.in, err)
			continue
		}
		if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
			t.Errorf("ParseUserFilter(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestUserFilterMatch(t *testing.T) {
	u := storage.User{
		Username: "Jane", Sub: "s-1", Status: "CONFIRMED", Enabled: true,
		Attributes: map[string]string{"email": "jane@example.com", "name": "Jane Doe"},
	}
	tests := []struct {
		filter string
		want   bool
	}{
		{`username = "Jane"`, true},
		{`username = "jane"`, false},
		{`username ^= "Ja"`, true},
		{`cognito:user_status = "confirmed"`, true},
		{`cognito:user_status ^= "CONF"`, true},
		{`status = "Enabled"`, true},
		{`status = "enabled"`, false},
		{`status = "Disabled"`, false},
		{`sub = "s-1"`, true},
		{`email ^= "jane@"`, true},
		{`name = "Jane"`, false},
		{`phone_number ^= ""`, false}, // no such attribute: no match
	}
	for _, tt := range tests {
		f, err := ParseUserFilter(tt.filter)
		if err != nil {
			t.Fatalf("%s: %v", tt.filter, err)
		}
		if got := f.Match(u); got != tt.want {
			t.Errorf("%s matches = %v, want %v", tt.filter, got, tt.want)
		}
	}
}
