package cognitoapi

import (
	"context"
	"regexp"
	"strconv"

	"github.com/locognito/locognito/storage"
)

// resourceServerActions manage resource servers: custom OAuth scopes
// "<Identifier>/<ScopeName>" (spec §7.3).
func (a *API) resourceServerActions() map[string]handler {
	return map[string]handler{
		"CreateResourceServer":   op(a.createResourceServer),
		"DescribeResourceServer": op(a.describeResourceServer),
		"ListResourceServers":    op(a.listResourceServers),
		"UpdateResourceServer":   op(a.updateResourceServer),
		"DeleteResourceServer":   op(a.deleteResourceServer),
	}
}

// Patterns of the Cognito API model.
var (
	mgmtResourceServerIDPattern = regexp.MustCompile(`^[\x21\x23-\x5B\x5D-\x7E]+$`)
	mgmtScopeNamePattern        = regexp.MustCompile(`^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$`)
)

func identifierChecks(c *memberChecks, id *string) {
	c.required(id != nil, "identifier")
	c.str(id, "identifier", 1, 256, mgmtResourceServerIDPattern)
}

type resourceServerInput struct {
	UserPoolId *string                    `json:"UserPoolId"`
	Identifier *string                    `json:"Identifier"`
	Name       *string                    `json:"Name"`
	Scopes     []resourceServerScopeShape `json:"Scopes"`
}

func (in *resourceServerInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	identifierChecks(&c, in.Identifier)
	c.required(in.Name != nil, "name")
	c.str(in.Name, "name", 1, 256, mgmtNamePattern)
	if len(in.Scopes) > 100 {
		c.add(constraint("[...]", "scopes", "Member must have length less than or equal to 100"))
	}
	for i, s := range in.Scopes {
		member := "scopes." + strconv.Itoa(i+1) + ".member"
		c.required(s.ScopeName != nil, member+".scopeName")
		c.str(s.ScopeName, member+".scopeName", 1, 256, mgmtScopeNamePattern)
		c.required(s.ScopeDescription != nil, member+".scopeDescription")
		c.str(s.ScopeDescription, member+".scopeDescription", 1, 256, nil)
	}
	return c.err
}

func (in *resourceServerInput) record() storage.ResourceServer {
	rs := storage.ResourceServer{PoolID: *in.UserPoolId, Identifier: *in.Identifier, Name: *in.Name}
	for _, s := range in.Scopes {
		rs.Scopes = append(rs.Scopes, storage.ResourceServerScope{Name: *s.ScopeName, Description: *s.ScopeDescription})
	}
	return rs
}

type resourceServerOutput struct {
	ResourceServer resourceServerShape `json:"ResourceServer"`
}

func (a *API) createResourceServer(ctx context.Context, in *resourceServerInput) (*resourceServerOutput, error) {
	rs, err := a.Pools.CreateResourceServer(ctx, in.record())
	if err != nil {
		return nil, err
	}
	return &resourceServerOutput{ResourceServer: resourceServerType(rs)}, nil
}

func (a *API) updateResourceServer(ctx context.Context, in *resourceServerInput) (*resourceServerOutput, error) {
	rs, err := a.Pools.UpdateResourceServer(ctx, in.record())
	if err != nil {
		return nil, err
	}
	return &resourceServerOutput{ResourceServer: resourceServerType(rs)}, nil
}

type resourceServerIDInput struct {
	UserPoolId *string `json:"UserPoolId"`
	Identifier *string `json:"Identifier"`
}

func (in *resourceServerIDInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	identifierChecks(&c, in.Identifier)
	return c.err
}

func (a *API) describeResourceServer(ctx context.Context, in *resourceServerIDInput) (*resourceServerOutput, error) {
	rs, err := a.Pools.ResourceServer(ctx, *in.UserPoolId, *in.Identifier)
	if err != nil {
		return nil, err
	}
	return &resourceServerOutput{ResourceServer: resourceServerType(rs)}, nil
}

func (a *API) deleteResourceServer(ctx context.Context, in *resourceServerIDInput) (struct{}, error) {
	return struct{}{}, a.Pools.DeleteResourceServer(ctx, *in.UserPoolId, *in.Identifier)
}

type listResourceServersInput struct {
	UserPoolId *string `json:"UserPoolId"`
	MaxResults *int    `json:"MaxResults"`
	NextToken  *string `json:"NextToken"`
}

func (in *listResourceServersInput) validate() error {
	var c memberChecks
	c.poolID(in.UserPoolId)
	c.limit(in.MaxResults, "maxResults", 50)
	c.str(in.NextToken, "nextToken", 1, 131072, nil)
	return c.err
}

type listResourceServersOutput struct {
	ResourceServers []resourceServerShape `json:"ResourceServers"`
	NextToken       string                `json:"NextToken,omitempty"`
}

func (a *API) listResourceServers(ctx context.Context, in *listResourceServersInput) (*listResourceServersOutput, error) {
	all, err := a.Pools.ListResourceServers(ctx, *in.UserPoolId)
	if err != nil {
		return nil, err
	}
	limit := 50
	if in.MaxResults != nil {
		limit = *in.MaxResults
	}
	page, next, err := pageOf(all, func(rs storage.ResourceServer) string { return rs.Identifier }, limit, mgmtStr(in.NextToken))
	if err != nil {
		return nil, err
	}
	out := &listResourceServersOutput{ResourceServers: []resourceServerShape{}, NextToken: next}
	for _, rs := range page {
		out.ResourceServers = append(out.ResourceServers, resourceServerType(rs))
	}
	return out, nil
}
