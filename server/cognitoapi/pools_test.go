package cognitoapi_test

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/storage"
)

// mgmtEnv is a running server and an SDK client for management tests.
type mgmtEnv struct {
	ts  *servertest.TestServer
	c   *cip.Client
	ctx context.Context
}

func newMgmtEnv(t *testing.T, opts ...servertest.Option) *mgmtEnv {
	t.Helper()
	ts := servertest.Start(t, opts...)
	return &mgmtEnv{ts: ts, c: ts.Client, ctx: context.Background()}
}

// pool creates a pool through the API and returns it.
func (e *mgmtEnv) pool(t *testing.T, name string, edit ...func(*cip.CreateUserPoolInput)) *types.UserPoolType {
	t.Helper()
	in := &cip.CreateUserPoolInput{PoolName: aws.String(name)}
	for _, f := range edit {
		f(in)
	}
	out, err := e.c.CreateUserPool(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPool %s: %v", name, err)
	}
	return out.UserPool
}

func (e *mgmtEnv) describePool(t *testing.T, id string) *types.UserPoolType {
	t.Helper()
	out, err := e.c.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	if err != nil {
		t.Fatalf("DescribeUserPool %s: %v", id, err)
	}
	return out.UserPool
}

// expectAPIError asserts that err is the typed SDK exception E and, when msg
// is not empty, that its message is msg.
func expectAPIError[E interface {
	error
	ErrorMessage() string
}](t *testing.T, err error, msg string) {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want %T", err, e)
	}
	if msg != "" && e.ErrorMessage() != msg {
		t.Fatalf("%T message = %q, want %q", e, e.ErrorMessage(), msg)
	}
}

func schemaByName(attrs []types.SchemaAttributeType) map[string]types.SchemaAttributeType {
	m := map[string]types.SchemaAttributeType{}
	for _, a := range attrs {
		m[aws.ToString(a.Name)] = a
	}
	return m
}

var poolIDRE = regexp.MustCompile(`^us-east-1_[0-9A-Za-z]{9}$`)

func TestCreateUserPoolDefaults(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "defaults")

		if !poolIDRE.MatchString(aws.ToString(p.Id)) {
			t.Errorf("Id = %q, want %s", aws.ToString(p.Id), poolIDRE)
		}
		if want := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + aws.ToString(p.Id); aws.ToString(p.Arn) != want {
			t.Errorf("Arn = %q, want %q", aws.ToString(p.Arn), want)
		}
		if aws.ToString(p.Name) != "defaults" {
			t.Errorf("Name = %q", aws.ToString(p.Name))
		}
		wantPolicy := types.PasswordPolicyType{MinimumLength: aws.Int32(8), RequireUppercase: true, RequireLowercase: true,
			RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7}
		if p.Policies == nil || p.Policies.PasswordPolicy == nil || !reflect.DeepEqual(*p.Policies.PasswordPolicy, wantPolicy) {
			t.Errorf("PasswordPolicy = %+v, want %+v", p.Policies, wantPolicy)
		}
		if p.MfaConfiguration != types.UserPoolMfaTypeOff {
			t.Errorf("MfaConfiguration = %q, want OFF", p.MfaConfiguration)
		}
		if p.DeletionProtection != types.DeletionProtectionTypeInactive {
			t.Errorf("DeletionProtection = %q, want INACTIVE", p.DeletionProtection)
		}
		if ac := p.AdminCreateUserConfig; ac == nil || ac.AllowAdminCreateUserOnly || ac.UnusedAccountValidityDays != 7 {
			t.Errorf("AdminCreateUserConfig = %+v, want {false 7}", ac)
		}
		if ec := p.EmailConfiguration; ec == nil || ec.EmailSendingAccount != types.EmailSendingAccountTypeCognitoDefault {
			t.Errorf("EmailConfiguration = %+v, want COGNITO_DEFAULT", ec)
		}
		if p.Status != types.StatusTypeEnabled || p.EstimatedNumberOfUsers != 0 {
			t.Errorf("Status, EstimatedNumberOfUsers = %q, %d", p.Status, p.EstimatedNumberOfUsers)
		}
		if p.UsernameConfiguration != nil || p.UsernameAttributes != nil || p.AliasAttributes != nil || p.Domain != nil {
			t.Errorf("unset members echoed: %+v %v %v %v", p.UsernameConfiguration, p.UsernameAttributes, p.AliasAttributes, p.Domain)
		}
		if !p.CreationDate.Equal(servertest.Epoch) || !p.LastModifiedDate.Equal(servertest.Epoch) {
			t.Errorf("dates = %v, %v, want %v", p.CreationDate, p.LastModifiedDate, servertest.Epoch)
		}

		var names []string
		for _, a := range p.SchemaAttributes {
			names = append(names, aws.ToString(a.Name))
		}
		wantNames := []string{"sub", "name", "given_name", "family_name", "middle_name", "nickname",
			"preferred_username", "profile", "picture", "website", "email", "email_verified", "gender",
			"birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at"}
		if !slices.Equal(names, wantNames) {
			t.Errorf("schema = %v, want %v", names, wantNames)
		}
		s := schemaByName(p.SchemaAttributes)
		sub := s["sub"]
		if aws.ToBool(sub.Mutable) || !aws.ToBool(sub.Required) || sub.AttributeDataType != types.AttributeDataTypeString ||
			aws.ToString(sub.StringAttributeConstraints.MinLength) != "1" || aws.ToString(sub.StringAttributeConstraints.MaxLength) != "2048" {
			t.Errorf("sub = %+v", sub)
		}
		if b := s["birthdate"].StringAttributeConstraints; aws.ToString(b.MinLength) != "10" || aws.ToString(b.MaxLength) != "10" {
			t.Errorf("birthdate constraints = %+v", b)
		}
		if ev := s["email_verified"]; ev.AttributeDataType != types.AttributeDataTypeBoolean || ev.StringAttributeConstraints != nil {
			t.Errorf("email_verified = %+v", ev)
		}
		if u := s["updated_at"]; u.AttributeDataType != types.AttributeDataTypeNumber || aws.ToString(u.NumberAttributeConstraints.MinValue) != "0" {
			t.Errorf("updated_at = %+v", u)
		}
		if em := s["email"]; !aws.ToBool(em.Mutable) || aws.ToBool(em.Required) || aws.ToBool(em.DeveloperOnlyAttribute) {
			t.Errorf("email = %+v", em)
		}

		// Describe echoes exactly what Create returned.
		if d := e.describePool(t, aws.ToString(p.Id)); !reflect.DeepEqual(d, p) {
			t.Errorf("DescribeUserPool differs from CreateUserPool:\n got %+v\nwant %+v", d, p)
		}
		// The pool's signing keys exist at once.
		if _, err := e.ts.Store.GetKeySet(e.ctx, aws.ToString(p.Id)); err != nil {
			t.Errorf("key set: %v", err)
		}
	})
}

func TestCreateUserPoolSettingsRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "full", func(in *cip.CreateUserPoolInput) {
			in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
				MinimumLength: aws.Int32(12), RequireNumbers: true, TemporaryPasswordValidityDays: 3}}
			in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePreferredUsername}
			in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
			in.UsernameConfiguration = &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}
			in.DeletionProtection = types.DeletionProtectionTypeActive
			in.AdminCreateUserConfig = &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}
			in.UserPoolTags = map[string]string{"team": "identity"}
			in.EmailVerificationSubject = aws.String("Your code")
			in.Schema = []types.SchemaAttributeType{
				{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(false),
					StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("64")}},
				{Name: aws.String("level"), AttributeDataType: types.AttributeDataTypeNumber,
					NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("0"), MaxValue: aws.String("9")}},
				{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)},
			}
		})
		d := e.describePool(t, aws.ToString(p.Id))
		if !reflect.DeepEqual(d, p) {
			t.Errorf("DescribeUserPool differs from CreateUserPool:\n got %+v\nwant %+v", d, p)
		}
		pp := d.Policies.PasswordPolicy
		if aws.ToInt32(pp.MinimumLength) != 12 || !pp.RequireNumbers || pp.RequireSymbols || pp.TemporaryPasswordValidityDays != 3 {
			t.Errorf("PasswordPolicy = %+v", pp)
		}
		if !slices.Equal(d.AliasAttributes, []types.AliasAttributeType{"email", "preferred_username"}) ||
			!slices.Equal(d.AutoVerifiedAttributes, []types.VerifiedAttributeType{"email"}) {
			t.Errorf("alias/auto-verified = %v %v", d.AliasAttributes, d.AutoVerifiedAttributes)
		}
		if d.UsernameConfiguration == nil || aws.ToBool(d.UsernameConfiguration.CaseSensitive) {
			t.Errorf("UsernameConfiguration = %+v, want CaseSensitive false", d.UsernameConfiguration)
		}
		if d.DeletionProtection != types.DeletionProtectionTypeActive || !d.AdminCreateUserConfig.AllowAdminCreateUserOnly {
			t.Errorf("DeletionProtection %q AdminCreateUserConfig %+v", d.DeletionProtection, d.AdminCreateUserConfig)
		}
		if d.UserPoolTags["team"] != "identity" || aws.ToString(d.EmailVerificationSubject) != "Your code" {
			t.Errorf("tags %v subject %q", d.UserPoolTags, aws.ToString(d.EmailVerificationSubject))
		}
		s := schemaByName(d.SchemaAttributes)
		tenant, ok := s["custom:tenant"]
		if !ok || aws.ToBool(tenant.Mutable) || aws.ToString(tenant.StringAttributeConstraints.MaxLength) != "64" {
			t.Errorf("custom:tenant = %+v (present %v)", tenant, ok)
		}
		if level := s["custom:level"]; level.AttributeDataType != types.AttributeDataTypeNumber ||
			!aws.ToBool(level.Mutable) || aws.ToString(level.NumberAttributeConstraints.MaxValue) != "9" {
			t.Errorf("custom:level = %+v", level)
		}
		if !aws.ToBool(s["email"].Required) {
			t.Errorf("email not required: %+v", s["email"])
		}
		stored, err := e.ts.Store.GetPool(e.ctx, aws.ToString(p.Id))
		if err != nil {
			t.Fatal(err)
		}
		if stored.CaseSensitive || !slices.Equal(stored.AliasAttrs, []string{"email", "preferred_username"}) {
			t.Errorf("stored pool CaseSensitive=%v AliasAttrs=%v", stored.CaseSensitive, stored.AliasAttrs)
		}
	})
}

func TestCreateUserPoolRejects(t *testing.T) {
	custom := func(n int) []types.SchemaAttributeType {
		var out []types.SchemaAttributeType
		for i := range n {
			out = append(out, types.SchemaAttributeType{Name: aws.String("attr" + string(rune('a'+i%26)) + string(rune('a'+i/26))),
				AttributeDataType: types.AttributeDataTypeString})
		}
		return out
	}
	tests := []struct {
		name    string
		edit    func(*cip.CreateUserPoolInput)
		wantMsg string // "" = any InvalidParameterException message
	}{
		{"username and alias attributes", func(in *cip.CreateUserPoolInput) {
			in.UsernameAttributes = []types.UsernameAttributeType{"email"}
			in.AliasAttributes = []types.AliasAttributeType{"phone_number"}
		}, ""},
		{"unknown alias attribute", func(in *cip.CreateUserPoolInput) {
			in.AliasAttributes = []types.AliasAttributeType{"nickname"}
		}, "1 validation error detected: Value '[nickname]' at 'aliasAttributes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [phone_number, email, preferred_username]]"},
		{"short minimum length", func(in *cip.CreateUserPoolInput) {
			in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(5)}}
		}, "1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6"},
		{"required custom attribute", func(in *cip.CreateUserPoolInput) {
			in.Schema = []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: "String", Required: aws.Bool(true)}}
		}, "Required custom attributes are not supported currently."},
		{"custom attribute name too long", func(in *cip.CreateUserPoolInput) {
			in.Schema = []types.SchemaAttributeType{{Name: aws.String("abcdefghijklmnopqrstu"), AttributeDataType: "String"}}
		}, "1 validation error detected: Value 'abcdefghijklmnopqrstu' at 'schema.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 20"},
		{"51 custom attributes", func(in *cip.CreateUserPoolInput) { in.Schema = custom(51) }, ""},
		{"bad constraint number", func(in *cip.CreateUserPoolInput) {
			in.Schema = []types.SchemaAttributeType{{Name: aws.String("x"), AttributeDataType: "String",
				StringAttributeConstraints: &types.StringAttributeConstraintsType{MaxLength: aws.String("ten")}}}
		}, ""},
		{"bad pool name", func(in *cip.CreateUserPoolInput) { in.PoolName = aws.String("no/slash") },
			`1 validation error detected: Value 'no/slash' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+`},
	}
	e := newMgmtEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &cip.CreateUserPoolInput{PoolName: aws.String("p")}
			tt.edit(in)
			_, err := e.c.CreateUserPool(e.ctx, in)
			expectAPIError[*types.InvalidParameterException](t, err, tt.wantMsg)
		})
	}
	pools, err := e.ts.Store.ListPools(e.ctx)
	if err != nil || len(pools) != 0 {
		t.Errorf("rejected creates stored %d pools (err %v)", len(pools), err)
	}
	// 50 custom attributes is the limit, not over it.
	e.pool(t, "fifty", func(in *cip.CreateUserPoolInput) { in.Schema = custom(50) })
}

func TestUpdateUserPoolReplacesSettings(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "before", func(in *cip.CreateUserPoolInput) {
			in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(10)}}
			in.UserPoolTags = map[string]string{"a": "b"}
			in.DeletionProtection = types.DeletionProtectionTypeActive
			in.UsernameAttributes = []types.UsernameAttributeType{"email"}
			in.Schema = []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: "String"}}
		})
		e.ts.Clock.Advance(time.Hour)
		_, err := e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{
			UserPoolId:       p.Id,
			MfaConfiguration: types.UserPoolMfaTypeOff,
			AdminCreateUserConfig: &types.AdminCreateUserConfigType{
				AllowAdminCreateUserOnly: true,
			},
		})
		if err != nil {
			t.Fatalf("UpdateUserPool: %v", err)
		}
		d := e.describePool(t, aws.ToString(p.Id))
		// Settings the update did not send are back to their defaults...
		if got := aws.ToInt32(d.Policies.PasswordPolicy.MinimumLength); got != 8 || !d.Policies.PasswordPolicy.RequireSymbols {
			t.Errorf("PasswordPolicy after update = %+v, want the default", d.Policies.PasswordPolicy)
		}
		if d.UserPoolTags != nil || d.DeletionProtection != types.DeletionProtectionTypeInactive {
			t.Errorf("tags %v, DeletionProtection %q: want none, INACTIVE", d.UserPoolTags, d.DeletionProtection)
		}
		// ...what it sent is set, and what UpdateUserPool cannot change stays.
		if !d.AdminCreateUserConfig.AllowAdminCreateUserOnly {
			t.Error("AllowAdminCreateUserOnly not updated")
		}
		if aws.ToString(d.Name) != "before" || !slices.Equal(d.UsernameAttributes, []types.UsernameAttributeType{"email"}) {
			t.Errorf("name %q, UsernameAttributes %v changed", aws.ToString(d.Name), d.UsernameAttributes)
		}
		if _, ok := schemaByName(d.SchemaAttributes)["custom:tenant"]; !ok {
			t.Error("custom attribute lost by update")
		}
		if !d.LastModifiedDate.Equal(servertest.Epoch.Add(time.Hour)) || !d.CreationDate.Equal(servertest.Epoch) {
			t.Errorf("dates after update: created %v modified %v", d.CreationDate, d.LastModifiedDate)
		}

		_, err = e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: p.Id, PoolName: aws.String("after"),
			Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(100)}}})
		expectAPIError[*types.InvalidParameterException](t, err,
			"1 validation error detected: Value '100' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value less than or equal to 99")
		_, err = e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: p.Id, PoolName: aws.String("after")})
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToString(e.describePool(t, aws.ToString(p.Id)).Name); got != "after" {
			t.Errorf("Name = %q, want after", got)
		}
	})
}

func TestDeleteUserPool(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p := e.pool(t, "doomed", func(in *cip.CreateUserPoolInput) { in.DeletionProtection = types.DeletionProtectionTypeActive })
		client, err := e.c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("app")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.c.DeleteUserPool(e.ctx, &cip.DeleteUserPoolInput{UserPoolId: p.Id})
		expectAPIError[*types.InvalidParameterException](t, err, "")
		e.describePool(t, aws.ToString(p.Id)) // still there

		if _, err := e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: p.Id}); err != nil {
			t.Fatal(err) // replaces DeletionProtection with INACTIVE
		}
		if _, err := e.c.DeleteUserPool(e.ctx, &cip.DeleteUserPoolInput{UserPoolId: p.Id}); err != nil {
			t.Fatalf("DeleteUserPool: %v", err)
		}
		notFound := "User pool " + aws.ToString(p.Id) + " does not exist."
		_, err = e.c.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: p.Id})
		expectAPIError[*types.ResourceNotFoundException](t, err, notFound)
		_, err = e.c.DescribeUserPoolClient(e.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: client.UserPoolClient.ClientId})
		expectAPIError[*types.ResourceNotFoundException](t, err, notFound)
		if _, err := e.ts.Store.GetClient(e.ctx, aws.ToString(client.UserPoolClient.ClientId)); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("client after pool delete: err = %v, want ErrNotFound", err)
		}
		_, err = e.c.DeleteUserPool(e.ctx, &cip.DeleteUserPoolInput{UserPoolId: p.Id})
		expectAPIError[*types.ResourceNotFoundException](t, err, notFound)
	})
}

func TestUnknownUserPool(t *testing.T) {
	e := newMgmtEnv(t)
	id := aws.String("us-east-1_Nope12345")
	msg := "User pool us-east-1_Nope12345 does not exist."
	calls := map[string]func() error{
		"DescribeUserPool": func() error {
			_, err := e.c.DescribeUserPool(e.ctx, &cip.DescribeUserPoolInput{UserPoolId: id})
			return err
		},
		"UpdateUserPool": func() error {
			_, err := e.c.UpdateUserPool(e.ctx, &cip.UpdateUserPoolInput{UserPoolId: id})
			return err
		},
		"CreateUserPoolClient": func() error {
			_, err := e.c.CreateUserPoolClient(e.ctx, &cip.CreateUserPoolClientInput{UserPoolId: id, ClientName: aws.String("x")})
			return err
		},
		"ListUserPoolClients": func() error {
			_, err := e.c.ListUserPoolClients(e.ctx, &cip.ListUserPoolClientsInput{UserPoolId: id})
			return err
		},
		"CreateGroup": func() error {
			_, err := e.c.CreateGroup(e.ctx, &cip.CreateGroupInput{UserPoolId: id, GroupName: aws.String("g")})
			return err
		},
		"ListResourceServers": func() error {
			_, err := e.c.ListResourceServers(e.ctx, &cip.ListResourceServersInput{UserPoolId: id, MaxResults: aws.Int32(10)})
			return err
		},
		"CreateUserPoolDomain": func() error {
			_, err := e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: id, Domain: aws.String("abc")})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { expectAPIError[*types.ResourceNotFoundException](t, call(), msg) })
	}
}

func TestListUserPoolsPaging(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		want := map[string]string{}
		for _, n := range []string{"a", "b", "c", "d", "e"} {
			p := e.pool(t, n)
			want[aws.ToString(p.Id)] = n
		}
		got := map[string]string{}
		var token *string
		pages := 0
		for {
			out, err := e.c.ListUserPools(e.ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(2), NextToken: token})
			if err != nil {
				t.Fatalf("ListUserPools: %v", err)
			}
			pages++
			if len(out.UserPools) > 2 {
				t.Fatalf("page of %d pools, MaxResults 2", len(out.UserPools))
			}
			for _, p := range out.UserPools {
				if _, dup := got[aws.ToString(p.Id)]; dup {
					t.Fatalf("pool %s listed twice", aws.ToString(p.Id))
				}
				got[aws.ToString(p.Id)] = aws.ToString(p.Name)
				if p.CreationDate == nil || p.LastModifiedDate == nil {
					t.Errorf("pool %s without dates", aws.ToString(p.Id))
				}
			}
			if token = out.NextToken; token == nil {
				break
			}
		}
		if pages != 3 || !reflect.DeepEqual(got, want) {
			t.Errorf("%d pages listing %v, want 3 pages listing %v", pages, got, want)
		}

		// The paginator the SDK ships walks the same pages.
		pg := cip.NewListUserPoolsPaginator(e.c, &cip.ListUserPoolsInput{MaxResults: aws.Int32(4)})
		n := 0
		for pg.HasMorePages() {
			out, err := pg.NextPage(e.ctx)
			if err != nil {
				t.Fatal(err)
			}
			n += len(out.UserPools)
		}
		if n != 5 {
			t.Errorf("paginator listed %d pools, want 5", n)
		}

		for _, bad := range []int32{0, 61} {
			_, err := e.c.ListUserPools(e.ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(bad)})
			expectAPIError[*types.InvalidParameterException](t, err, "")
		}
		_, err := e.c.ListUserPools(e.ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(2), NextToken: aws.String("not base64!")})
		expectAPIError[*types.InvalidParameterException](t, err, "")
	})
}

func TestUserPoolDomain(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newMgmtEnv(t, opts...)
		p1 := e.pool(t, "one")
		p2 := e.pool(t, "two")

		out, err := e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: p1.Id, Domain: aws.String("my-app")})
		if err != nil {
			t.Fatalf("CreateUserPoolDomain: %v", err)
		}
		if out.CloudFrontDomain != nil {
			t.Errorf("prefix domain CloudFrontDomain = %q, want none", aws.ToString(out.CloudFrontDomain))
		}
		if d := e.describePool(t, aws.ToString(p1.Id)); aws.ToString(d.Domain) != "my-app" || d.CustomDomain != nil {
			t.Errorf("pool Domain = %q CustomDomain = %v", aws.ToString(d.Domain), d.CustomDomain)
		}
		dd, err := e.c.DescribeUserPoolDomain(e.ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("my-app")})
		if err != nil {
			t.Fatal(err)
		}
		if desc := dd.DomainDescription; aws.ToString(desc.UserPoolId) != aws.ToString(p1.Id) ||
			aws.ToString(desc.Domain) != "my-app" || desc.Status != types.DomainStatusTypeActive ||
			aws.ToString(desc.AWSAccountId) != "000000000000" {
			t.Errorf("DomainDescription = %+v", desc)
		}

		_, err = e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: p2.Id, Domain: aws.String("my-app")})
		expectAPIError[*types.InvalidParameterException](t, err, "Domain already associated with another user pool.")
		_, err = e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: p1.Id, Domain: aws.String("second")})
		expectAPIError[*types.InvalidParameterException](t, err, "")
		for _, bad := range []string{"UPPER", "-dash", "my-aws-app", "a.b"} {
			_, err = e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: p2.Id, Domain: aws.String(bad)})
			expectAPIError[*types.InvalidParameterException](t, err, "")
		}
		_, err = e.c.DeleteUserPool(e.ctx, &cip.DeleteUserPoolInput{UserPoolId: p1.Id})
		expectAPIError[*types.InvalidParameterException](t, err, "User pool cannot be deleted. It has a domain configured that should be deleted first.")

		_, err = e.c.DeleteUserPoolDomain(e.ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: p2.Id, Domain: aws.String("my-app")})
		expectAPIError[*types.InvalidParameterException](t, err, "")
		if _, err := e.c.DeleteUserPoolDomain(e.ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: p1.Id, Domain: aws.String("my-app")}); err != nil {
			t.Fatalf("DeleteUserPoolDomain: %v", err)
		}
		dd, err = e.c.DescribeUserPoolDomain(e.ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("my-app")})
		if err != nil || dd.DomainDescription == nil || dd.DomainDescription.UserPoolId != nil {
			t.Errorf("deleted domain described as %+v (err %v), want an empty description", dd.DomainDescription, err)
		}
		if d := e.describePool(t, aws.ToString(p1.Id)); d.Domain != nil {
			t.Errorf("pool Domain after delete = %q", aws.ToString(d.Domain))
		}
		// Freed, the domain can go to the other pool; a custom domain answers
		// with its CloudFront alias target.
		if _, err := e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: p2.Id, Domain: aws.String("my-app")}); err != nil {
			t.Fatal(err)
		}
		cd, err := e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: p1.Id, Domain: aws.String("auth.example.com"),
			CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String("arn:aws:acm:us-east-1:123456789012:certificate/abc")}})
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^d[a-z0-9]{13}\.cloudfront\.net$`).MatchString(aws.ToString(cd.CloudFrontDomain)) {
			t.Errorf("CloudFrontDomain = %q", aws.ToString(cd.CloudFrontDomain))
		}
		if d := e.describePool(t, aws.ToString(p1.Id)); aws.ToString(d.CustomDomain) != "auth.example.com" || d.Domain != nil {
			t.Errorf("custom domain pool: Domain %v CustomDomain %q", d.Domain, aws.ToString(d.CustomDomain))
		}
	})
}

// Two pools racing for one domain: exactly one gets it.
func TestUserPoolDomainConcurrentClaims(t *testing.T) {
	e := newMgmtEnv(t)
	const n = 6
	var ids []*string
	for range n {
		ids = append(ids, e.pool(t, "racer").Id)
	}
	errs := make(chan error, n)
	for _, id := range ids {
		go func() {
			_, err := e.c.CreateUserPoolDomain(e.ctx, &cip.CreateUserPoolDomainInput{UserPoolId: id, Domain: aws.String("contested")})
			errs <- err
		}()
	}
	won := 0
	for range n {
		if err := <-errs; err == nil {
			won++
		} else {
			expectAPIError[*types.InvalidParameterException](t, err, "Domain already associated with another user pool.")
		}
	}
	if won != 1 {
		t.Errorf("%d pools got the domain, want 1", won)
	}
}
