package cognitoapi_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/servertest"
)

func usernames(users []types.UserType) []string {
	var out []string
	for _, u := range users {
		out = append(out, aws.ToString(u.Username))
	}
	return out
}

func TestListUsersFilters(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.confirmedUser("alice", "alice@example.com")
		e.confirmedUser("Alan", "alan@corp.example")
		e.signUp("bob", "email", "bob@example.com", "given_name", `Bo "the" B`)
		if _, err := e.ts.Client.AdminDisableUser(e.ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("Alan")}); err != nil {
			t.Fatal(err)
		}
		sub := attrValues(e.adminGet("bob").UserAttributes)["sub"]
		tests := []struct {
			filter string
			want   []string
		}{
			{"", []string{"Alan", "alice", "bob"}},
			{`username = "alice"`, []string{"alice"}},
			{`username = "ALICE"`, nil}, // case-sensitive
			{`username ^= "al"`, []string{"alice"}},
			{`email ^= "al"`, []string{"Alan", "alice"}},
			{`email="bob@example.com"`, []string{"bob"}},
			{`cognito:user_status = "unconfirmed"`, []string{"bob"}},
			{`status = "Disabled"`, []string{"Alan"}},
			{`status = "Enabled"`, []string{"alice", "bob"}},
			{`sub = "` + sub + `"`, []string{"bob"}},
			{`given_name = "Bo \"the\" B"`, []string{"bob"}},
			{`family_name = "x"`, nil},
		}
		for _, tt := range tests {
			t.Run(tt.filter, func(t *testing.T) {
				out, err := e.ts.Client.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(e.poolID), Filter: aws.String(tt.filter)})
				if err != nil {
					t.Fatalf("ListUsers: %v", err)
				}
				if got := usernames(out.Users); !slices.Equal(got, tt.want) {
					t.Errorf("users = %v, want %v", got, tt.want)
				}
			})
		}
		for _, bad := range []string{`email = bob`, `email = "bob`, `email == "x"`, `= "x"`, `email = "x" extra`} {
			_, err := e.ts.Client.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(e.poolID), Filter: aws.String(bad)})
			wantAPIErr[*types.InvalidParameterException](t, err, "Error while parsing filter.")
		}
		_, err := e.ts.Client.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(e.poolID), Filter: aws.String(`custom:mode = "dark"`)})
		wantAPIErr[*types.InvalidParameterException](t, err, "Invalid search attribute: custom:mode")
	})
}

func TestListUsersPagination(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		var want []string
		for i := range 7 {
			name := fmt.Sprintf("user%02d", i)
			e.signUp(name, "custom:mode", "m")
			want = append(want, name)
		}
		var got []string
		var token *string
		pages := 0
		for {
			out, err := e.ts.Client.ListUsers(e.ctx, &cip.ListUsersInput{
				UserPoolId: aws.String(e.poolID), Limit: aws.Int32(3), PaginationToken: token,
				AttributesToGet: []string{"custom:mode"},
			})
			if err != nil {
				t.Fatalf("ListUsers page %d: %v", pages+1, err)
			}
			pages++
			for _, u := range out.Users {
				if a := attrValues(u.Attributes); len(a) != 1 || a["custom:mode"] != "m" {
					t.Errorf("AttributesToGet [custom:mode] gave %v", a)
				}
			}
			got = append(got, usernames(out.Users)...)
			if token = out.PaginationToken; token == nil {
				break
			}
		}
		if pages != 3 || !slices.Equal(got, want) {
			t.Errorf("%d pages of %v, want 3 pages of %v", pages, got, want)
		}

		// The SDK paginator walks the same pages.
		p := cip.NewListUsersPaginator(e.ts.Client, &cip.ListUsersInput{UserPoolId: aws.String(e.poolID), Limit: aws.Int32(5)})
		n := 0
		for p.HasMorePages() {
			out, err := p.NextPage(e.ctx)
			if err != nil {
				t.Fatal(err)
			}
			n += len(out.Users)
		}
		if n != 7 {
			t.Errorf("paginator saw %d users, want 7", n)
		}

		_, err := e.ts.Client.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(e.poolID), Limit: aws.Int32(61)})
		wantAPIErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")
		_, err = e.ts.Client.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(e.poolID), PaginationToken: aws.String("garbage")})
		wantAPIErr[*types.InvalidParameterException](t, err, "")

		// Tokens last an hour.
		out, err := e.ts.Client.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(e.poolID), Limit: aws.Int32(1)})
		if err != nil || out.PaginationToken == nil {
			t.Fatalf("first page: %+v, %v", out, err)
		}
		e.ts.Clock.Advance(time.Hour + time.Second)
		_, err = e.ts.Client.ListUsers(e.ctx, &cip.ListUsersInput{UserPoolId: aws.String(e.poolID), PaginationToken: out.PaginationToken})
		wantAPIErr[*types.InvalidParameterException](t, err, "")
	})
}
