package userpool

import (
	"testing"

	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage"
)

func TestValidateAttributes(t *testing.T) {
	ip := func(v int) *int { return &v }
	p := storage.Pool{Schema: append(StandardSchema(),
		storage.SchemaAttribute{Name: "custom:mode", AttributeDataType: "String", Mutable: true, MaxLength: ip(5)},
		storage.SchemaAttribute{Name: "custom:tier", AttributeDataType: "String", Mutable: false},
		storage.SchemaAttribute{Name: "custom:n", AttributeDataType: "Number", Mutable: true, MinValue: ip(1), MaxValue: ip(9)},
		storage.SchemaAttribute{Name: "custom:secret", AttributeDataType: "String", Mutable: true, DeveloperOnly: true},
	)}
	limited := &storage.Client{WriteAttributes: []string{"custom:mode", "email"}}
	open := &storage.Client{}
	const (
		ok           = ""
		unauthorized = "NotAuthorizedException: A client attempted to write unauthorized attribute"
	)
	tests := []struct {
		name  string
		attrs []UserAttribute
		mode  writeMode
		c     *storage.Client
		want  string
	}{
		{"standard and custom on sign-up", []UserAttribute{{"email", "a@b.c"}, {"custom:mode", "dark"}}, writeSignUp, open, ok},
		{"immutable on creation", []UserAttribute{{"custom:tier", "gold"}}, writeSignUp, open, ok},
		{"immutable on update", []UserAttribute{{"custom:tier", "gold"}}, writeAdminUpdate, nil,
			"InvalidParameterException: Cannot modify the non-mutable attribute custom:tier"},
		{"sub", []UserAttribute{{"sub", "x"}}, writeAdminCreate, nil,
			"InvalidParameterException: Cannot modify the non-mutable attribute sub"},
		{"unknown custom", []UserAttribute{{"custom:nope", "x"}}, writeAdminCreate, nil,
			"InvalidParameterException: Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined"},
		{"unknown plain", []UserAttribute{{"mode", "x"}}, writeAdminCreate, nil,
			"InvalidParameterException: Attributes did not conform to the schema: Type for attribute {mode} could not be determined"},
		{"verified flag by a client", []UserAttribute{{"email_verified", "true"}}, writeSelfUpdate, open, unauthorized},
		{"verified flag by an admin", []UserAttribute{{"email_verified", "True"}}, writeAdminUpdate, nil, ok},
		{"verified flag not boolean", []UserAttribute{{"email_verified", "yes"}}, writeAdminUpdate, nil,
			"InvalidParameterException: Attributes did not conform to the schema: email_verified: Value must be true or false"},
		{"outside WriteAttributes", []UserAttribute{{"name", "x"}}, writeSelfUpdate, limited, unauthorized},
		{"inside WriteAttributes", []UserAttribute{{"custom:mode", "x"}}, writeSignUp, limited, ok},
		{"developer-only by an admin", []UserAttribute{{"dev:custom:secret", "x"}}, writeAdminUpdate, nil, ok},
		{"developer-only by a client", []UserAttribute{{"dev:custom:secret", "x"}}, writeSelfUpdate, open, unauthorized},
		{"developer-only without its prefix", []UserAttribute{{"custom:secret", "x"}}, writeAdminUpdate, nil,
			"InvalidParameterException: Attributes did not conform to the schema: Type for attribute {custom:secret} could not be determined"},
		{"string too long", []UserAttribute{{"custom:mode", "toolong"}}, writeAdminUpdate, nil,
			"InvalidParameterException: Attributes did not conform to the schema: custom:mode: String must be no longer than 5 characters"},
		{"number out of range", []UserAttribute{{"custom:n", "0"}}, writeAdminUpdate, nil,
			"InvalidParameterException: Attributes did not conform to the schema: custom:n: Number must be no less than 1"},
		{"bad phone", []UserAttribute{{"phone_number", "555-0100"}}, writeAdminUpdate, nil,
			"InvalidParameterException: Invalid phone number format."},
		{"empty value deletes, unchecked", []UserAttribute{{"email", ""}}, writeAdminUpdate, nil, ok},
		{"value too long", []UserAttribute{{"name", string(make([]byte, 2049))}}, writeAdminUpdate, nil,
			"InvalidParameterException: 1 validation error detected: Value at 'userAttributes.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 2048"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validateAttributes(p, tt.c, tt.attrs, tt.mode)
			got := ""
			if err != nil {
				got = exception.Code(err) + ": " + exception.Message(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestApplyAttributes(t *testing.T) {
	u := storage.User{Attributes: map[string]string{"email": "old@example.com", "email_verified": "true", "name": "N"}}
	changed := applyAttributes(&u, []UserAttribute{{"email", "new@example.com"}, {"name", ""}}, writeSelfUpdate)
	if len(changed) != 1 || changed[0] != "email" {
		t.Errorf("changed = %v, want [email]", changed)
	}
	if u.Attributes["email_verified"] != "false" || u.Attributes["email"] != "new@example.com" {
		t.Errorf("after an email change: %v", u.Attributes)
	}
	if _, ok := u.Attributes["name"]; ok {
		t.Errorf("empty value did not delete name: %v", u.Attributes)
	}
	// Unchanged values change nothing, and deleting a contact drops its flag.
	if changed := applyAttributes(&u, []UserAttribute{{"email", "new@example.com"}}, writeAdminUpdate); len(changed) != 0 {
		t.Errorf("unchanged email reported as changed")
	}
	applyAttributes(&u, []UserAttribute{{"email", ""}}, writeAdminUpdate)
	if _, ok := u.Attributes["email_verified"]; ok {
		t.Errorf("email_verified kept without an email: %v", u.Attributes)
	}
	// On creation the flag is only what was passed.
	var fresh storage.User
	applyAttributes(&fresh, []UserAttribute{{"email", "a@b.c"}}, writeAdminCreate)
	if _, ok := fresh.Attributes["email_verified"]; ok {
		t.Errorf("creation added email_verified: %v", fresh.Attributes)
	}
}
