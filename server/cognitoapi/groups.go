package cognitoapi

import (
	"context"
	"regexp"

	"github.com/locognito/locognito/server/userpool"
	"github.com/locognito/locognito/storage"
)

// groupActions manage groups and memberships (spec §7.3).
func (a *API) groupActions() map[string]handler {
	return map[string]handler{
		"CreateGroup":              op(a.createGroup),
		"GetGroup":                 op(a.getGroup),
		"ListGroups":               op(a.listGroups),
		"UpdateGroup":              op(a.updateGroup),
		"DeleteGroup":              op(a.deleteGroup),
		"AdminAddUserToGroup":      op(a.adminAddUserToGroup),
		"AdminRemoveUserFromGroup": op(a.adminRemoveUserFromGroup),
		"AdminListGroupsForUser":   op(a.adminListGroupsForUser),
		"ListUsersInGroup":         op(a.listUsersInGroup),
	}
}

var mgmtRoleArnPattern = regexp.MustCompile(`^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$`)

// groupNameChecks checks the GroupName every group action requires.
func groupNameChecks(c *memberChecks, name *string) {
	c.required(name != nil, "groupName")
	c.str(name, "groupName", 1, 128, mgmtUsernamePattern)
}

type groupInput struct {
	GroupName   *string `json:"GroupName"`
	UserPoolId  *string `json:"UserPoolId"`
	Description *string `json:"Description"`
	RoleArn     *string `json:"RoleArn"`
	Precedence  *int    `json:"Precedence"`
}

func (in *groupInput) validate() error {
	var c memberChecks
	groupNameChecks(&c, in.GroupName)
	c.poolID(in.UserPoolId)
	c.str(in.Description, "description", 0, 2048, nil)
	c.str(in.RoleArn, "roleArn", 20, 2048, mgmtRoleArnPattern)
	c.num(in.Precedence, "precedence", 0, 1<<31-1)
	return c.err
}

func (in *groupInput) toUserpool() userpool.GroupInput {
	return userpool.GroupInput{
		PoolID: *in.UserPoolId, Name: *in.GroupName,
		Description: in.Description, RoleArn: in.RoleArn, Precedence: in.Precedence,
	}
}

type groupOutput struct {
	Group groupShape `json:"Group"`
}

func (a *API) createGroup(ctx context.Context, in *groupInput) (*groupOutput, error) {
	g, err := a.Pools.CreateGroup(ctx, in.toUserpool())
	if err != nil {
		return nil, err
	}
	return &groupOutput{Group: groupType(g)}, nil
}

func (a *API) updateGroup(ctx context.Context, in *groupInput) (*groupOutput, error) {
	g, err := a.Pools.UpdateGroup(ctx, in.toUserpool())
	if err != nil {
		return nil, err
	}
	return &groupOutput{Group: groupType(g)}, nil
}

type groupNameInput struct {
	GroupName  *string `json:"GroupName"`
	UserPoolId *string `json:"UserPoolId"`
}

func (in *groupNameInput) validate() error {
	var c memberChecks
	groupNameChecks(&c, in.GroupName)
	c.poolID(in.UserPoolId)
	return c.err
}

func (a *API) getGroup(ctx context.Context, in *groupNameInput) (*groupOutput, error) {
	g, err := a.Pools.Group(ctx, *in.UserPoolId, *in.GroupName)
	if err != nil {
		return nil, err
	}
	return &groupOutput{Group: groupType(g)}, nil
}

func (a *API) deleteGroup(ctx context.Context, in *groupNameInput) (struct{}, error) {
	return struct{}{}, a.Pools.DeleteGroup(ctx, *in.UserPoolId, *in.GroupName)
}

type listGroupsInput struct {
	UserPoolId *string `json:"UserPoolId"`
	Limit      *int    `json:"Limit"`
	NextToken  *string `json:"NextToken"`
}

func (in *listGroupsInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.limit(in.Limit, "limit", 60)
	c.str(in.NextToken, "nextToken", 1, 131072, nil)
	return c.err
}

type listGroupsOutput struct {
	Groups    []groupShape `json:"Groups"`
	NextToken string       `json:"NextToken,omitempty"`
}

// groupPage pages groups by name; limit nil means 60.
func groupPage(gs []storage.Group, limit *int, token *string) (*listGroupsOutput, error) {
	n := 60
	if limit != nil {
		n = *limit
	}
	page, next, err := pageOf(gs, func(g storage.Group) string { return g.Name }, n, mgmtStr(token))
	if err != nil {
		return nil, err
	}
	out := &listGroupsOutput{Groups: []groupShape{}, NextToken: next}
	for _, g := range page {
		out.Groups = append(out.Groups, groupType(g))
	}
	return out, nil
}

func (a *API) listGroups(ctx context.Context, in *listGroupsInput) (*listGroupsOutput, error) {
	gs, err := a.Pools.ListGroups(ctx, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return groupPage(gs, in.Limit, in.NextToken)
}

type membershipInput struct {
	UserPoolId *string `json:"UserPoolId"`
	Username   *string `json:"Username"`
	GroupName  *string `json:"GroupName"`
}

func (in *membershipInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.username(in.Username)
	groupNameChecks(&c, in.GroupName)
	return c.err
}

func (a *API) adminAddUserToGroup(ctx context.Context, in *membershipInput) (struct{}, error) {
	return struct{}{}, a.Pools.AddUserToGroup(ctx, *in.UserPoolId, *in.GroupName, *in.Username)
}

func (a *API) adminRemoveUserFromGroup(ctx context.Context, in *membershipInput) (struct{}, error) {
	return struct{}{}, a.Pools.RemoveUserFromGroup(ctx, *in.UserPoolId, *in.GroupName, *in.Username)
}

type adminListGroupsForUserInput struct {
	Username   *string `json:"Username"`
	UserPoolId *string `json:"UserPoolId"`
	Limit      *int    `json:"Limit"`
	NextToken  *string `json:"NextToken"`
}

func (in *adminListGroupsForUserInput) validate() error {
	var c memberChecks
	c.username(in.Username)
	c.poolID(in.UserPoolId)
	c.limit(in.Limit, "limit", 60)
	c.str(in.NextToken, "nextToken", 1, 131072, nil)
	return c.err
}

func (a *API) adminListGroupsForUser(ctx context.Context, in *adminListGroupsForUserInput) (*listGroupsOutput, error) {
	gs, err := a.Pools.GroupsForUser(ctx, *in.UserPoolId, *in.Username)
	if err != nil {
		return nil, err
	}
	return groupPage(gs, in.Limit, in.NextToken)
}

type listUsersInGroupInput struct {
	UserPoolId *string `json:"UserPoolId"`
	GroupName  *string `json:"GroupName"`
	Limit      *int    `json:"Limit"`
	NextToken  *string `json:"NextToken"`
}

func (in *listUsersInGroupInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	groupNameChecks(&c, in.GroupName)
	c.limit(in.Limit, "limit", 60)
	c.str(in.NextToken, "nextToken", 1, 131072, nil)
	return c.err
}

type listUsersInGroupOutput struct {
	Users     []userTypeShape `json:"Users"`
	NextToken string          `json:"NextToken,omitempty"`
}

func (a *API) listUsersInGroup(ctx context.Context, in *listUsersInGroupInput) (*listUsersInGroupOutput, error) {
	users, err := a.Pools.UsersInGroup(ctx, *in.UserPoolId, *in.GroupName)
	if err != nil {
		return nil, err
	}
	n := 60
	if in.Limit != nil {
		n = *in.Limit
	}
	page, next, err := pageOf(users, func(u storage.User) string { return u.UsernameKey }, n, mgmtStr(in.NextToken))
	if err != nil {
		return nil, err
	}
	out := &listUsersInGroupOutput{Users: []userTypeShape{}, NextToken: next}
	for _, u := range page {
		out.Users = append(out.Users, userType(u))
	}
	return out, nil
}
