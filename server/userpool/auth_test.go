package userpool

import (
	"testing"

	"github.com/locognito/locognito/storage"
)

func TestFlowAllowed(t *testing.T) {
	tests := []struct {
		name  string
		flows []string
		allow []string
		deny  []string
	}{
		{
			name:  "unset: SRP, refresh and custom; password off",
			flows: nil,
			allow: []string{FlowUserSRP, FlowRefreshToken, FlowCustom},
			deny:  []string{FlowUserPassword, FlowAdminUserPassword},
		},
		{
			name:  "ALLOW_ values are exact",
			flows: []string{"ALLOW_USER_PASSWORD_AUTH"},
			allow: []string{FlowUserPassword},
			deny:  []string{FlowUserSRP, FlowRefreshToken, FlowAdminUserPassword, FlowCustom},
		},
		{
			name:  "admin password",
			flows: []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
			allow: []string{FlowAdminUserPassword, FlowRefreshToken},
			deny:  []string{FlowUserPassword, FlowUserSRP},
		},
		{
			name:  "legacy ADMIN_NO_SRP_AUTH keeps SRP and refresh",
			flows: []string{"ADMIN_NO_SRP_AUTH"},
			allow: []string{FlowAdminUserPassword, FlowUserSRP, FlowRefreshToken},
			deny:  []string{FlowUserPassword},
		},
		{
			name:  "legacy USER_PASSWORD_AUTH",
			flows: []string{"USER_PASSWORD_AUTH"},
			allow: []string{FlowUserPassword, FlowUserSRP, FlowRefreshToken},
			deny:  []string{FlowAdminUserPassword},
		},
		{
			name:  "legacy CUSTOM_AUTH_FLOW_ONLY",
			flows: []string{"CUSTOM_AUTH_FLOW_ONLY"},
			allow: []string{FlowCustom, FlowRefreshToken},
			deny:  []string{FlowUserSRP, FlowUserPassword, FlowAdminUserPassword},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := storage.Client{ExplicitAuthFlows: tt.flows}
			for _, f := range tt.allow {
				if !flowAllowed(c, f) {
					t.Errorf("%s refused, want allowed", f)
				}
			}
			for _, f := range tt.deny {
				if flowAllowed(c, f) {
					t.Errorf("%s allowed, want refused", f)
				}
			}
		})
	}
}
