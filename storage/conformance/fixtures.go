package conformance

import (
	"time"

	"github.com/locognito/locognito/storage"
)

// t0 has nanoseconds and a zone other than UTC, so backends must normalise.
var t0 = time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.FixedZone("UTC+2", 2*60*60))

func at(d time.Duration) time.Time { return t0.Add(d) }

func intp(v int) *int { return &v }

const (
	poolA   = "us-east-1_AAAAAAAAA"
	poolB   = "us-east-1_BBBBBBBBB"
	noPool  = "us-east-1_missing0"
	userKey = "alice"
)

func fullPool(id string) storage.Pool {
	return storage.Pool{
		ID:             id,
		Name:           "pool " + id,
		Region:         "us-east-1",
		CreatedAt:      at(0),
		LastModifiedAt: at(time.Minute),
		PasswordPolicy: storage.PasswordPolicy{
			MinimumLength:                 12,
			RequireUppercase:              true,
			RequireLowercase:              true,
			RequireNumbers:                true,
			RequireSymbols:                true,
			TemporaryPasswordValidityDays: 7,
		},
		UsernameAttrs: []string{"email"},
		AliasAttrs:    []string{}, // empty, not nil
		AutoVerified:  []string{"email", "phone_number"},
		CaseSensitive: true,
		Schema: []storage.SchemaAttribute{
			{Name: "email", AttributeDataType: "String", Mutable: true, Required: true, MinLength: intp(0), MaxLength: intp(2048)},
			{Name: "custom:age", AttributeDataType: "Number", Mutable: true, DeveloperOnly: true, MinValue: intp(1), MaxValue: intp(150)},
		},
		AdminCreateOnly:    true,
		UnusedAccountDays:  7,
		MfaConfiguration:   "OFF",
		DeletionProtection: "ACTIVE",
		Domain:             "auth-" + id,
		Extra: map[string][]byte{
			"UserPoolTags":       []byte(`{"team":"id"}`),
			"EmailConfiguration": []byte(`{"EmailSendingAccount":"COGNITO_DEFAULT"}`),
			"Empty":              {},
		},
	}
}

func fullClient(poolID, clientID string) storage.Client {
	return storage.Client{
		ClientID:                        clientID,
		PoolID:                          poolID,
		Name:                            "web",
		Secret:                          "s3cr3t",
		CreatedAt:                       at(0),
		LastModifiedAt:                  at(time.Second),
		ExplicitAuthFlows:               []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		AccessTokenValidity:             time.Hour,
		IDTokenValidity:                 30 * time.Minute,
		RefreshTokenValidity:            30 * 24 * time.Hour,
		AuthSessionValidity:             3 * time.Minute,
		UnitsAccess:                     "hours",
		UnitsID:                         "minutes",
		UnitsRefresh:                    "days",
		ReadAttributes:                  []string{"email", "email_verified"},
		WriteAttributes:                 []string{}, // empty (nothing writable), not nil (unset)
		PreventUserExistenceErrors:      "ENABLED",
		EnableTokenRevocation:           true,
		RefreshTokenRotation:            true,
		RotationGracePeriod:             10 * time.Second,
		AllowedOAuthFlows:               []string{"code"},
		AllowedOAuthScopes:              []string{"openid", "email", "notes/read"},
		AllowedOAuthFlowsUserPoolClient: true,
		CallbackURLs:                    []string{"https://app.example.com/cb", "http://localhost:3000/cb"},
		LogoutURLs:                      []string{"https://app.example.com/"},
		DefaultRedirectURI:              "https://app.example.com/cb",
		SupportedIdentityProviders:      []string{"COGNITO"},
		RequirePKCE:                     true,
	}
}

func fullUser(poolID, key, sub string) storage.User {
	return storage.User{
		PoolID:      poolID,
		Username:    key,
		UsernameKey: key,
		Sub:         sub,
		Attributes: map[string]string{
			"sub":            sub,
			"email":          key + "@example.com",
			"email_verified": "true",
			"custom:tier":    "gold",
		},
		Status:                "FORCE_CHANGE_PASSWORD",
		Enabled:               true,
		CreatedAt:             at(0),
		LastModifiedAt:        at(time.Hour),
		PasswordHash:          []byte("$2a$10$abcdefghijklmnopqrstuv"),
		SRPSalt:               "00112233445566778899aabbccddeeff",
		SRPVerifier:           "abcdef0123456789",
		TempPasswordExpiresAt: at(7 * 24 * time.Hour),
		Codes: map[string]storage.Code{
			"signup":       {Hash: "c0ffee", ExpiresAt: at(24 * time.Hour), Attempts: 1},
			"verify:email": {Hash: "beef", ExpiresAt: at(time.Hour)},
		},
		FailedAttempts: 2,
		LastFailureAt:  at(30 * time.Minute),
		Quota: map[string][]time.Time{
			"ForgotPassword": {at(time.Minute), at(2 * time.Minute)},
			"Empty":          {},
		},
		SignedOutAt: at(2 * time.Hour),
	}
}

func fullGroup(poolID, name string) storage.Group {
	return storage.Group{
		PoolID:         poolID,
		Name:           name,
		Description:    "the " + name,
		RoleArn:        "arn:aws:iam::123456789012:role/" + name,
		Precedence:     intp(3),
		CreatedAt:      at(0),
		LastModifiedAt: at(time.Second),
	}
}

func fullResourceServer(poolID, identifier string) storage.ResourceServer {
	return storage.ResourceServer{
		PoolID:     poolID,
		Identifier: identifier,
		Name:       "Notes API",
		Scopes: []storage.ResourceServerScope{
			{Name: "read", Description: "read notes"},
			{Name: "write", Description: "write notes"},
		},
	}
}

func fullRefreshToken(poolID, hash string) storage.RefreshToken {
	return storage.RefreshToken{
		Hash:        hash,
		PoolID:      poolID,
		ClientID:    "client1",
		UsernameKey: userKey,
		OriginJTI:   "origin-" + hash,
		AuthTime:    at(0),
		Scopes:      []string{"openid", "email"},
		IssuedAt:    at(time.Second),
		ExpiresAt:   at(30 * 24 * time.Hour),
		RevokedAt:   at(time.Hour),
		RotatedAt:   at(2 * time.Hour),
	}
}

func fullGrant(poolID, kind, id string) storage.Grant {
	return storage.Grant{
		Kind:      kind,
		ID:        id,
		PoolID:    poolID,
		ClientID:  "client1",
		Data:      []byte(`{"opaque":true}`),
		CreatedAt: at(0),
		ExpiresAt: at(5 * time.Minute),
	}
}

func fullSession(poolID, id string) storage.Session {
	return storage.Session{
		ID:          id,
		PoolID:      poolID,
		UsernameKey: userKey,
		AuthTime:    at(0),
		CreatedAt:   at(time.Second),
		ExpiresAt:   at(time.Hour),
	}
}

func fullKeys() []storage.Key {
	return []storage.Key{
		{
			KID:           "id-1",
			Use:           "id",
			PrivateKeyDER: []byte{0x30, 0x82, 0x01, 0x02},
			CreatedAt:     at(0),
			ActivatesAt:   at(time.Minute),
			RetiredAt:     at(time.Hour),
			RemoveAfter:   at(2 * time.Hour),
		},
		{
			KID:           "access-1",
			Use:           "access",
			PrivateKeyDER: []byte{0x30, 0x82, 0x03, 0x04},
			CreatedAt:     at(0),
			ActivatesAt:   at(0),
		},
	}
}

func fullMessage(poolID, username, code string, created time.Time) storage.Message {
	return storage.Message{
		PoolID:      poolID,
		Username:    username,
		Kind:        "confirmation_code",
		Destination: username + "@example.com",
		Medium:      "EMAIL",
		Attribute:   "email",
		Code:        code,
		CreatedAt:   created,
	}
}
