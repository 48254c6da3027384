package userpool

import (
	"context"
	"testing"
	"time"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/server/exception"
	"github.com/locognito/locognito/storage/memory"
)

// mgmtTestService is a Service on a memory store without keys (CreatePool
// skips key creation when Keys is nil).
func mgmtTestService() *Service {
	return &Service{Store: memory.New(), Clock: clock.NewFake(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), Region: "eu-west-1"}
}

// Seeds pin pool, client ids and secrets; a pinned id that exists is refused.
func TestPinnedIDs(t *testing.T) {
	ctx := context.Background()
	s := mgmtTestService()
	p, err := s.CreatePool(ctx, CreatePoolInput{ID: "us-east-1_Seeded123", PoolSettings: PoolSettings{Name: "seeded"}})
	if err != nil {
		t.Fatalf("CreatePool: %v", err)
	}
	if p.ID != "us-east-1_Seeded123" || p.Region != "us-east-1" {
		t.Errorf("pool id %q region %q: the region follows the pinned id", p.ID, p.Region)
	}
	_, err = s.CreatePool(ctx, CreatePoolInput{ID: "us-east-1_Seeded123", PoolSettings: PoolSettings{Name: "again"}})
	if !exception.Is(err, exception.InvalidParameter) {
		t.Errorf("second pinned create: %v, want InvalidParameterException", err)
	}
	_, err = s.CreatePool(ctx, CreatePoolInput{ID: "local_pool", PoolSettings: PoolSettings{Name: "bad"}})
	if !exception.Is(err, exception.InvalidParameter) {
		t.Errorf("pool id local_pool: %v, want InvalidParameterException (aws-jwt-verify needs region_id)", err)
	}
	random, err := s.CreatePool(ctx, CreatePoolInput{PoolSettings: PoolSettings{Name: "random"}})
	if err != nil || !poolIDPattern.MatchString(random.ID) || random.Region != "eu-west-1" {
		t.Errorf("random pool %q region %q (err %v)", random.ID, random.Region, err)
	}

	const secret = "seededsecret0123456789abcdef"
	c, err := s.CreateClient(ctx, CreateClientInput{PoolID: p.ID, ClientID: "seededclient1", ClientSecret: secret,
		ClientSettings: ClientSettings{Name: "web"}})
	if err != nil {
		t.Fatalf("CreateClient: %v", err)
	}
	if c.ClientID != "seededclient1" || c.Secret != secret {
		t.Errorf("client %q secret %q", c.ClientID, c.Secret)
	}
	_, err = s.CreateClient(ctx, CreateClientInput{PoolID: p.ID, ClientID: "seededclient1", ClientSettings: ClientSettings{Name: "web"}})
	if !exception.Is(err, exception.InvalidParameter) {
		t.Errorf("second pinned client: %v, want InvalidParameterException", err)
	}
}

// RequirePKCE has no Cognito API member: an API update (nil) keeps it.
func TestUpdateClientKeepsRequirePKCE(t *testing.T) {
	ctx := context.Background()
	s := mgmtTestService()
	p, err := s.CreatePool(ctx, CreatePoolInput{PoolSettings: PoolSettings{Name: "p"}})
	if err != nil {
		t.Fatal(err)
	}
	on := true
	c, err := s.CreateClient(ctx, CreateClientInput{PoolID: p.ID, ClientSettings: ClientSettings{Name: "c", RequirePKCE: &on}})
	if err != nil || !c.RequirePKCE {
		t.Fatalf("CreateClient: %+v %v", c, err)
	}
	c, err = s.UpdateClient(ctx, p.ID, c.ClientID, ClientSettings{})
	if err != nil || !c.RequirePKCE || c.Name != "c" {
		t.Errorf("after update RequirePKCE=%v Name=%q err=%v, want true, c", c.RequirePKCE, c.Name, err)
	}
}

func TestBuildSchema(t *testing.T) {
	b := func(v bool) *bool { return &v }
	n := func(v int) *int { return &v }
	tests := []struct {
		name    string
		in      []SchemaAttributeInput
		wantErr bool
	}{
		{name: "custom string defaults", in: []SchemaAttributeInput{{Name: "tenant"}}},
		{name: "custom: prefix accepted", in: []SchemaAttributeInput{{Name: "custom:tenant"}}},
		{name: "standard made required", in: []SchemaAttributeInput{{Name: "email", Required: b(true)}}},
		{name: "standard type change", in: []SchemaAttributeInput{{Name: "email", AttributeDataType: "Number"}}, wantErr: true},
		{name: "sub", in: []SchemaAttributeInput{{Name: "sub", Mutable: b(true)}}, wantErr: true},
		{name: "duplicate", in: []SchemaAttributeInput{{Name: "x"}, {Name: "custom:x"}}, wantErr: true},
		{name: "required custom", in: []SchemaAttributeInput{{Name: "x", Required: b(true)}}, wantErr: true},
		{name: "bad type", in: []SchemaAttributeInput{{Name: "x", AttributeDataType: "Date"}}, wantErr: true},
		{name: "min above max", in: []SchemaAttributeInput{{Name: "x", MinLength: n(5), MaxLength: n(4)}}, wantErr: true},
		{name: "length above 2048", in: []SchemaAttributeInput{{Name: "x", MaxLength: n(2049)}}, wantErr: true},
		{name: "name too long", in: []SchemaAttributeInput{{Name: "abcdefghijklmnopqrstu"}}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := buildSchema(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				if !exception.Is(err, exception.InvalidParameter) {
					t.Errorf("err %v is not InvalidParameterException", err)
				}
				return
			}
			if len(got) < len(StandardSchema()) || got[0].Name != "sub" {
				t.Fatalf("schema lost the standard attributes: %+v", got)
			}
			for _, a := range got {
				if a.Name == "custom:custom:tenant" {
					t.Errorf("prefix doubled: %q", a.Name)
				}
				if a.Name == "custom:tenant" && (!a.Mutable || a.AttributeDataType != "String") {
					t.Errorf("custom:tenant = %+v, want a mutable String", a)
				}
				if a.Name == "email" && tt.name == "standard made required" && !a.Required {
					t.Error("email not required")
				}
			}
		})
	}
}

func TestCheckSignInAttributes(t *testing.T) {
	tests := []struct {
		username, alias []string
		wantErr         bool
	}{
		{[]string{"email"}, nil, false},
		{[]string{"email", "phone_number"}, nil, false},
		{nil, []string{"email", "preferred_username"}, false},
		{[]string{"email"}, []string{"phone_number"}, true},
		{[]string{"preferred_username"}, nil, true},
		{nil, []string{"nickname"}, true},
		{[]string{"email", "email"}, nil, true},
	}
	for _, tt := range tests {
		if err := checkSignInAttributes(tt.username, tt.alias); (err != nil) != tt.wantErr {
			t.Errorf("checkSignInAttributes(%v, %v) = %v, wantErr %v", tt.username, tt.alias, err, tt.wantErr)
		}
	}
}
