package cognitoapi_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/servertest"
)

func TestResourceServerLifecycle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "p")
		scopes := []types.ResourceServerScopeType{
			{ScopeName: aws.String("read"), ScopeDescription: aws.String("Read notes")},
			{ScopeName: aws.String("write"), ScopeDescription: aws.String("Write notes")},
		}
		created, err := e.c.CreateResourceServer(e.ctx, &cip.CreateResourceServerInput{UserPoolId: p.Id,
			Identifier: aws.String("https://notes.example.com"), Name: aws.String("Notes API"), Scopes: scopes})
		if err != nil {
			t.Fatalf("CreateResourceServer: %v", err)
		}
		want := types.ResourceServerType{UserPoolId: p.Id, Identifier: aws.String("https://notes.example.com"),
			Name: aws.String("Notes API"), Scopes: scopes}
		if !reflect.DeepEqual(*created.ResourceServer, want) {
			t.Errorf("CreateResourceServer returned %+v, want %+v", *created.ResourceServer, want)
		}
		got, err := e.c.DescribeResourceServer(e.ctx, &cip.DescribeResourceServerInput{UserPoolId: p.Id, Identifier: aws.String("https://notes.example.com")})
		if err != nil || !reflect.DeepEqual(*got.ResourceServer, want) {
			t.Errorf("DescribeResourceServer = %+v (err %v)", got, err)
		}
		// Its scopes can now be granted to clients.
		e.client(t, p.Id, func(in *cip.CreateUserPoolClientInput) {
			in.AllowedOAuthFlowsUserPoolClient = true
			in.AllowedOAuthFlows = []types.OAuthFlowType{"code"}
			in.AllowedOAuthScopes = []string{"openid", "https://notes.example.com/write"}
			in.CallbackURLs = []string{"https://example.com/cb"}
		})

		_, err = e.c.CreateResourceServer(e.ctx, &cip.CreateResourceServerInput{UserPoolId: p.Id,
			Identifier: aws.String("https://notes.example.com"), Name: aws.String("again")})
		expectAPIError[*types.InvalidParameterException](t, err, "")
		_, err = e.c.CreateResourceServer(e.ctx, &cip.CreateResourceServerInput{UserPoolId: p.Id, Identifier: aws.String("x"), Name: aws.String("x"),
			Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("a/b"), ScopeDescription: aws.String("slash")}}})
		expectAPIError[*types.InvalidParameterException](t, err,
			`1 validation error detected: Value 'a/b' at 'scopes.1.member.scopeName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+`)
		_, err = e.c.CreateResourceServer(e.ctx, &cip.CreateResourceServerInput{UserPoolId: p.Id, Identifier: aws.String("x"), Name: aws.String("x"),
			Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("a"), ScopeDescription: aws.String("one")},
				{ScopeName: aws.String("a"), ScopeDescription: aws.String("two")}}})
		expectAPIError[*types.InvalidParameterException](t, err, "")

		// UpdateResourceServer replaces the name and the scopes.
		up, err := e.c.UpdateResourceServer(e.ctx, &cip.UpdateResourceServerInput{UserPoolId: p.Id,
			Identifier: aws.String("https://notes.example.com"), Name: aws.String("Notes"),
			Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("admin"), ScopeDescription: aws.String("Everything")}}})
		if err != nil {
			t.Fatalf("UpdateResourceServer: %v", err)
		}
		got, err = e.c.DescribeResourceServer(e.ctx, &cip.DescribeResourceServerInput{UserPoolId: p.Id, Identifier: aws.String("https://notes.example.com")})
		if err != nil || !reflect.DeepEqual(got.ResourceServer, up.ResourceServer) || aws.ToString(got.ResourceServer.Name) != "Notes" ||
			len(got.ResourceServer.Scopes) != 1 || aws.ToString(got.ResourceServer.Scopes[0].ScopeName) != "admin" {
			t.Errorf("after update: %+v (err %v)", got, err)
		}
		_, err = e.c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("x"),
			AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []types.OAuthFlowType{"code"},
			AllowedOAuthScopes: []string{"https://notes.example.com/read"}, CallbackURLs: []string{"https://example.com/cb"}})
		expectAPIError[*types.ScopeDoesNotExistException](t, err, "")

		for _, id := range []string{"b", "c"} {
			e.resourceServer(t, p.Id, id, "s")
		}
		var ids []string
		pg := cip.NewListResourceServersPaginator(e.c, &cip.ListResourceServersInput{UserPoolId: p.Id, MaxResults: aws.Int32(2)})
		for pg.HasMorePages() {
			out, err := pg.NextPage(e.ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, rs := range out.ResourceServers {
				ids = append(ids, aws.ToString(rs.Identifier))
			}
		}
		if !slices.Equal(ids, []string{"b", "c", "https://notes.example.com"}) {
			t.Errorf("ListResourceServers = %v", ids)
		}

		if _, err := e.c.DeleteResourceServer(e.ctx, &cip.DeleteResourceServerInput{UserPoolId: p.Id, Identifier: aws.String("b")}); err != nil {
			t.Fatalf("DeleteResourceServer: %v", err)
		}
		_, err = e.c.DescribeResourceServer(e.ctx, &cip.DescribeResourceServerInput{UserPoolId: p.Id, Identifier: aws.String("b")})
		expectAPIError[*types.ResourceNotFoundException](t, err, "")
		_, err = e.c.DeleteResourceServer(e.ctx, &cip.DeleteResourceServerInput{UserPoolId: p.Id, Identifier: aws.String("b")})
		expectAPIError[*types.ResourceNotFoundException](t, err, "")
		_, err = e.c.UpdateResourceServer(e.ctx, &cip.UpdateResourceServerInput{UserPoolId: p.Id, Identifier: aws.String("b"), Name: aws.String("b")})
		expectAPIError[*types.ResourceNotFoundException](t, err, "")
	})
}
