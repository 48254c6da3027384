package cognitoapi_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/uuid"

	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/storage"
)

// storedUser puts a confirmed user straight into storage, so the group
// tests depend on nothing but the storage contract.
func (e *mgmtEnv) storedUser(t *testing.T, poolID *string, username, email string) storage.User {
	t.Helper()
	sub := uuid.NewString()
	u := storage.User{
		PoolID: aws.ToString(poolID), Username: username, UsernameKey: username, Sub: sub,
		Attributes: map[string]string{"sub": sub, "email": email, "email_verified": "true"},
		Status:     "CONFIRMED", Enabled: true, CreatedAt: servertest.Epoch, LastModifiedAt: servertest.Epoch,
	}
	if err := e.ts.Store.CreateUser(e.ctx, u); err != nil {
		t.Fatalf("CreateUser %s: %v", username, err)
	}
	return u
}

func TestGroupLifecycle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "p")
		const role = "arn:aws:iam::123456789012:role/admins"
		created, err := e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: p.Id, GroupName: aws.String("admins"),
			Description: aws.String("Admins"), RoleArn: aws.String(role), Precedence: aws.Int32(1)})
		if err != nil {
			t.Fatalf("CreateGroup: %v", err)
		}
		g := created.Group
		if aws.ToString(g.GroupName) != "admins" || aws.ToString(g.UserPoolId) != aws.ToString(p.Id) ||
			aws.ToString(g.Description) != "Admins" || aws.ToString(g.RoleArn) != role || aws.ToInt32(g.Precedence) != 1 ||
			!g.CreationDate.Equal(servertest.Epoch) || !g.LastModifiedDate.Equal(servertest.Epoch) {
			t.Errorf("CreateGroup returned %+v", g)
		}
		got, err := e.c.GetGroup(e.ctx, &cip.GetGroupInput{UserPoolId: p.Id, GroupName: aws.String("admins")})
		if err != nil || !reflect.DeepEqual(got.Group, g) {
			t.Errorf("GetGroup = %+v (err %v), want %+v", got, err, g)
		}

		_, err = e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: p.Id, GroupName: aws.String("admins")})
		expectAPIError[*types.GroupExistsException](t, err, "A group with the name admins already exists.")
		_, err = e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: p.Id, GroupName: aws.String("x"), Precedence: aws.Int32(-1)})
		expectAPIError[*types.InvalidParameterException](t, err,
			"1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0")
		_, err = e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: p.Id, GroupName: aws.String("x"), RoleArn: aws.String("not-an-arn-at-all-really")})
		expectAPIError[*types.InvalidParameterException](t, err, "")

		// UpdateGroup changes what it is given and keeps the rest.
		e.ts.Clock.Advance(time.Minute)
		up, err := e.c.UpdateGroup(e.ctx, &cip.UpdateGroupInput{UserPoolId: p.Id, GroupName: aws.String("admins"), Description: aws.String("Administrators")})
		if err != nil {
			t.Fatalf("UpdateGroup: %v", err)
		}
		if ug := up.Group; aws.ToString(ug.Description) != "Administrators" || aws.ToInt32(ug.Precedence) != 1 || aws.ToString(ug.RoleArn) != role ||
			!ug.LastModifiedDate.Equal(servertest.Epoch.Add(time.Minute)) || !ug.CreationDate.Equal(servertest.Epoch) {
			t.Errorf("UpdateGroup returned %+v", ug)
		}

		for _, n := range []string{"b", "c", "d"} {
			if _, err := e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: p.Id, GroupName: aws.String(n)}); err != nil {
				t.Fatal(err)
			}
		}
		var names []string
		pg := cip.NewListGroupsPaginator(e.c, &cip.ListGroupsInput{UserPoolId: p.Id, Limit: aws.Int32(3)})
		pages := 0
		for pg.HasMorePages() {
			out, err := pg.NextPage(e.ctx)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, g := range out.Groups {
				names = append(names, aws.ToString(g.GroupName))
			}
		}
		if pages != 2 || !slices.Equal(names, []string{"admins", "b", "c", "d"}) {
			t.Errorf("ListGroups: %d pages %v", pages, names)
		}
		_, err = e.c.ListGroups(e.ctx, &cip.ListGroupsInput{UserPoolId: p.Id, Limit: aws.Int32(61)})
		expectAPIError[*types.InvalidParameterException](t, err, "")

		if _, err := e.c.DeleteGroup(e.ctx, &cip.DeleteGroupInput{UserPoolId: p.Id, GroupName: aws.String("admins")}); err != nil {
			t.Fatalf("DeleteGroup: %v", err)
		}
		for name, call := range map[string]func() error{
			"GetGroup": func() error {
				_, err := e.c.GetGroup(e.ctx, &cip.GetGroupInput{UserPoolId: p.Id, GroupName: aws.String("admins")})
				return err
			},
			"UpdateGroup": func() error {
				_, err := e.c.UpdateGroup(e.ctx, &cip.UpdateGroupInput{UserPoolId: p.Id, GroupName: aws.String("admins")})
				return err
			},
			"DeleteGroup": func() error {
				_, err := e.c.DeleteGroup(e.ctx, &cip.DeleteGroupInput{UserPoolId: p.Id, GroupName: aws.String("admins")})
				return err
			},
			"ListUsersInGroup": func() error {
				_, err := e.c.ListUsersInGroup(e.ctx, &cip.ListUsersInGroupInput{UserPoolId: p.Id, GroupName: aws.String("admins")})
				return err
			},
		} {
			t.Run(name, func(t *testing.T) { expectAPIError[*types.ResourceNotFoundException](t, call(), "Group not found.") })
		}
	})
}

func TestGroupMembership(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "p", func(in *cip.CreateUserPoolInput) {
			in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
		})
		jane := e.storedUser(t, p.Id, "jane", "jane@example.com")
		e.storedUser(t, p.Id, "bob", "bob@example.com")
		e.storedUser(t, p.Id, "carol", "carol@example.com")
		for _, g := range []string{"admins", "staff"} {
			if _, err := e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: p.Id, GroupName: aws.String(g)}); err != nil {
				t.Fatal(err)
			}
		}
		add := func(user, group string) error {
			_, err := e.c.AdminAddUserToGroup(e.ctx, &cip.AdminAddUserToGroupInput{UserPoolId: p.Id, Username: aws.String(user), GroupName: aws.String(group)})
			return err
		}
		// Adding twice is fine, and a verified email alias names the user.
		for _, step := range []struct{ user, group string }{
			{"jane", "admins"}, {"jane", "admins"}, {"jane@example.com", "staff"}, {"bob", "staff"}, {"carol", "staff"},
		} {
			if err := add(step.user, step.group); err != nil {
				t.Fatalf("AdminAddUserToGroup(%s, %s): %v", step.user, step.group, err)
			}
		}
		expectAPIError[*types.ResourceNotFoundException](t, add("jane", "nope"), "Group not found.")
		expectAPIError[*types.UserNotFoundException](t, add("nobody", "admins"), "User does not exist.")

		groups, err := e.c.AdminListGroupsForUser(e.ctx, &cip.AdminListGroupsForUserInput{UserPoolId: p.Id, Username: aws.String("jane")})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, g := range groups.Groups {
			names = append(names, aws.ToString(g.GroupName))
		}
		if !slices.Equal(names, []string{"admins", "staff"}) {
			t.Errorf("AdminListGroupsForUser(jane) = %v", names)
		}
		_, err = e.c.AdminListGroupsForUser(e.ctx, &cip.AdminListGroupsForUserInput{UserPoolId: p.Id, Username: aws.String("nobody")})
		expectAPIError[*types.UserNotFoundException](t, err, "User does not exist.")

		var members []string
		pg := cip.NewListUsersInGroupPaginator(e.c, &cip.ListUsersInGroupInput{UserPoolId: p.Id, GroupName: aws.String("staff"), Limit: aws.Int32(2)})
		for pg.HasMorePages() {
			out, err := pg.NextPage(e.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Users) > 2 {
				t.Fatalf("page of %d users, Limit 2", len(out.Users))
			}
			for _, u := range out.Users {
				members = append(members, aws.ToString(u.Username))
				if aws.ToString(u.Username) != "jane" {
					continue
				}
				attrs := map[string]string{}
				for _, a := range u.Attributes {
					attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
				}
				if !reflect.DeepEqual(attrs, jane.Attributes) || !u.Enabled || u.UserStatus != types.UserStatusTypeConfirmed ||
					!u.UserCreateDate.Equal(servertest.Epoch) || !u.UserLastModifiedDate.Equal(servertest.Epoch) {
					t.Errorf("jane as UserType = %+v (attributes %v)", u, attrs)
				}
			}
		}
		if !slices.Equal(members, []string{"bob", "carol", "jane"}) {
			t.Errorf("ListUsersInGroup(staff) = %v", members)
		}

		remove := func(user, group string) error {
			_, err := e.c.AdminRemoveUserFromGroup(e.ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: p.Id, Username: aws.String(user), GroupName: aws.String(group)})
			return err
		}
		for range 2 { // idempotent
			if err := remove("jane", "staff"); err != nil {
				t.Fatalf("AdminRemoveUserFromGroup: %v", err)
			}
		}
		expectAPIError[*types.ResourceNotFoundException](t, remove("jane", "nope"), "Group not found.")
		out, err := e.c.ListUsersInGroup(e.ctx, &cip.ListUsersInGroupInput{UserPoolId: p.Id, GroupName: aws.String("staff")})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Users) != 2 || out.NextToken != nil {
			t.Errorf("staff after removing jane: %d users, NextToken %v", len(out.Users), out.NextToken)
		}

		// Deleting a group ends its memberships.
		if _, err := e.c.DeleteGroup(e.ctx, &cip.DeleteGroupInput{UserPoolId: p.Id, GroupName: aws.String("admins")}); err != nil {
			t.Fatal(err)
		}
		groups, err = e.c.AdminListGroupsForUser(e.ctx, &cip.AdminListGroupsForUserInput{UserPoolId: p.Id, Username: aws.String("jane")})
		if err != nil || len(groups.Groups) != 0 {
			t.Errorf("jane's groups after deleting admins: %+v (err %v)", groups, err)
		}
	})
}
