package userpool

import (
	"slices"
	"testing"
	"time"

	"github.com/locognito/locognito/server/exception"
)

func TestCheckRedirectURL(t *testing.T) {
	tests := []struct {
		url    string
		wantOK bool
	}{
		{"https://example.com/cb", true},
		{"https://example.com/cb?next=%2F", true},
		{"http://localhost/cb", true},
		{"http://localhost:3000/cb", true},
		{"http://127.0.0.1:8080/cb", true},
		{"http://[::1]:8080/cb", true},
		{"myapp://callback", true},
		{"com.example.app:/oauth2redirect", true},
		{"http://example.com/cb", false},
		{"http://localhost.example.com/cb", false},
		{"http://127.0.0.2/cb", false},
		{"https://example.com/cb#x", false},
		{"https://example.com/cb#", false},
		{"/cb", false},
		{"example.com/cb", false},
		{"https:///cb", false},
		{"http://[::1", false},
	}
	for _, tt := range tests {
		err := CheckRedirectURL(tt.url, "CallbackURLs")
		if (err == nil) != tt.wantOK {
			t.Errorf("CheckRedirectURL(%q) = %v, want ok=%v", tt.url, err, tt.wantOK)
		}
		if err != nil && !exception.Is(err, exception.InvalidParameter) {
			t.Errorf("CheckRedirectURL(%q) error %v is not InvalidParameterException", tt.url, err)
		}
	}
}

func TestValidityResolve(t *testing.T) {
	n := func(v int) *int { return &v }
	tests := []struct {
		name     string
		rule     validity
		value    *int
		unit     string
		want     time.Duration
		wantUnit string
		wantErr  bool
	}{
		{"unset", accessValidity, nil, "", time.Hour, "", false},
		{"unit alone keeps the default", accessValidity, nil, "minutes", time.Hour, "minutes", false},
		{"default unit hours", accessValidity, n(2), "", 2 * time.Hour, "hours", false},
		{"lower bound", accessValidity, n(300), "seconds", 5 * time.Minute, "seconds", false},
		{"below lower bound", accessValidity, n(299), "seconds", 0, "", true},
		{"upper bound", accessValidity, n(1), "days", 24 * time.Hour, "days", false},
		{"above upper bound", accessValidity, n(1441), "minutes", 0, "", true},
		{"refresh default unit days", refreshValidity, n(7), "", 7 * 24 * time.Hour, "days", false},
		{"refresh lower bound", refreshValidity, n(60), "minutes", time.Hour, "minutes", false},
		{"refresh below", refreshValidity, n(3599), "seconds", 0, "", true},
		{"refresh upper bound", refreshValidity, n(3650), "days", 3650 * 24 * time.Hour, "days", false},
		{"refresh above", refreshValidity, n(87601), "hours", 0, "", true},
		{"huge value does not overflow into range", refreshValidity, n(1 << 62), "days", 0, "", true},
		{"negative", accessValidity, n(-1), "hours", 0, "", true},
		{"unknown unit", accessValidity, n(1), "weeks", 0, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, unit, err := tt.rule.resolve(tt.value, tt.unit)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				if !exception.Is(err, exception.InvalidParameter) {
					t.Errorf("err %v is not InvalidParameterException", err)
				}
				return
			}
			if got != tt.want || unit != tt.wantUnit {
				t.Errorf("resolve = %v %q, want %v %q", got, unit, tt.want, tt.wantUnit)
			}
		})
	}
}

func TestCheckExplicitAuthFlows(t *testing.T) {
	tests := []struct {
		flows   []string
		want    []string
		wantErr bool
	}{
		{nil, DefaultExplicitAuthFlows, false},
		{[]string{}, DefaultExplicitAuthFlows, false},
		{[]string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH"}, []string{"ALLOW_USER_PASSWORD_AUTH"}, false},
		{[]string{"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY"}, []string{"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY"}, false},
		{[]string{"ADMIN_NO_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, nil, true},
		{[]string{"ALLOW_NOTHING"}, nil, true},
	}
	for _, tt := range tests {
		got, err := checkExplicitAuthFlows(tt.flows)
		if (err != nil) != tt.wantErr {
			t.Errorf("checkExplicitAuthFlows(%v) err = %v, wantErr %v", tt.flows, err, tt.wantErr)
			continue
		}
		if err == nil && !slices.Equal(got, tt.want) {
			t.Errorf("checkExplicitAuthFlows(%v) = %v, want %v", tt.flows, got, tt.want)
		}
	}
}
