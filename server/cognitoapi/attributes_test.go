package cognitoapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/locognito/locognito/server/servertest"
	"github.com/locognito/locognito/server/userpool"
)

func TestCustomAttributesRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts, func(in *cip.CreateUserPoolInput) {
			in.Schema = append(in.Schema, types.SchemaAttributeType{
				Name: aws.String("level"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(true),
				NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("1"), MaxValue: aws.String("10")},
			})
		})
		e.signUp("jane", "custom:username", "jd", "custom:mode", "dark", "custom:level", "3")
		a := attrValues(e.adminGet("jane").UserAttributes)
		if a["custom:username"] != "jd" || a["custom:mode"] != "dark" || a["custom:level"] != "3" {
			t.Fatalf("attributes = %v", a)
		}
		e.adminUpdate("jane", "custom:mode", "light")
		if got := attrValues(e.adminGet("jane").UserAttributes)["custom:mode"]; got != "light" {
			t.Errorf("custom:mode = %q, want light", got)
		}
		for _, tt := range []struct{ value, msg string }{
			{"eleven", "Attributes did not conform to the schema: custom:level: Number must be a valid number"},
			{"11", "Attributes did not conform to the schema: custom:level: Number must be no greater than 10"},
		} {
			_, err := e.ts.Client.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{
				UserPoolId: aws.String(e.poolID), Username: aws.String("jane"), UserAttributes: attrList("custom:level", tt.value),
			})
			wantAPIErr[*types.InvalidParameterException](t, err, tt.msg)
		}
	})
}

func TestAdminUpdateUserAttributes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, append(opts, withFixedCode()), func(in *cip.CreateUserPoolInput) {
			in.Schema = append(in.Schema, types.SchemaAttributeType{
				Name: aws.String("tier"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(false),
			})
		})
		e.confirmedUser("jane", "jane@example.com")
		update := func(kv ...string) error {
			_, err := e.ts.Client.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{
				UserPoolId: aws.String(e.poolID), Username: aws.String("jane"), UserAttributes: attrList(kv...),
			})
			return err
		}
		// A changed email becomes unverified and gets a code.
		if err := update("email", "new@example.com"); err != nil {
			t.Fatal(err)
		}
		a := attrValues(e.adminGet("jane").UserAttributes)
		if a["email"] != "new@example.com" || a["email_verified"] != "false" {
			t.Errorf("after email change: %v", a)
		}
		if ms := e.messages("jane", userpool.KindVerificationCode); len(ms) != 1 || ms[0].Destination != "new@example.com" {
			t.Errorf("verification messages = %+v", ms)
		}
		// Unless the same call verifies it.
		if err := update("email", "other@example.com", "email_verified", "true"); err != nil {
			t.Fatal(err)
		}
		if a := attrValues(e.adminGet("jane").UserAttributes); a["email_verified"] != "true" {
			t.Errorf("email_verified = %q, want true", a["email_verified"])
		}
		wantAPIErr[*types.InvalidParameterException](t, update("sub", "x"), "Cannot modify the non-mutable attribute sub")
		wantAPIErr[*types.InvalidParameterException](t, update("custom:tier", "gold"), "Cannot modify the non-mutable attribute custom:tier")
		wantAPIErr[*types.InvalidParameterException](t, update("custom:nope", "x"), "Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined")
		// An empty value deletes.
		if err := update("custom:mode", "dark"); err != nil {
			t.Fatal(err)
		}
		if err := update("custom:mode", ""); err != nil {
			t.Fatal(err)
		}
		if _, ok := attrValues(e.adminGet("jane").UserAttributes)["custom:mode"]; ok {
			t.Error("custom:mode still set after an empty value")
		}
	})
}

func TestUpdateUserAttributesSelf(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, append(opts, withFixedCode()))
		e.confirmedUser("jane", "jane@example.com")
		token := e.signIn("jane", goodPassword)
		update := func(kv ...string) (*cip.UpdateUserAttributesOutput, error) {
			return e.ts.Client.UpdateUserAttributes(e.ctx, &cip.UpdateUserAttributesInput{AccessToken: aws.String(token), UserAttributes: attrList(kv...)})
		}
		out, err := update("email", "jane2@example.com", "custom:mode", "dark")
		if err != nil {
			t.Fatalf("UpdateUserAttributes: %v", err)
		}
		if len(out.CodeDeliveryDetailsList) != 1 || aws.ToString(out.CodeDeliveryDetailsList[0].Destination) != "j***@e***" ||
			aws.ToString(out.CodeDeliveryDetailsList[0].AttributeName) != "email" {
			t.Fatalf("CodeDeliveryDetailsList = %+v", out.CodeDeliveryDetailsList)
		}
		a := attrValues(e.adminGet("jane").UserAttributes)
		if a["email"] != "jane2@example.com" || a["email_verified"] != "false" || a["custom:mode"] != "dark" {
			t.Errorf("attributes = %v", a)
		}
		_, err = update("email_verified", "true")
		wantAPIErr[*types.NotAuthorizedException](t, err, "A client attempted to write unauthorized attribute")

		verify := func(code string) error {
			_, err := e.ts.Client.VerifyUserAttribute(e.ctx, &cip.VerifyUserAttributeInput{AccessToken: aws.String(token), AttributeName: aws.String("email"), Code: aws.String(code)})
			return err
		}
		wantAPIErr[*types.CodeMismatchException](t, verify("000000"), "Invalid verification code provided, please try again.")
		if err := verify(fixedCode); err != nil {
			t.Fatalf("VerifyUserAttribute: %v", err)
		}
		if a := attrValues(e.adminGet("jane").UserAttributes); a["email_verified"] != "true" {
			t.Errorf("email_verified = %q after VerifyUserAttribute", a["email_verified"])
		}
		wantAPIErr[*types.ExpiredCodeException](t, verify(fixedCode), "Invalid code provided, please request a code again.")

		// A client limited by WriteAttributes.
		e.clientID = e.newClient(func(in *cip.CreateUserPoolClientInput) { in.WriteAttributes = []string{"custom:mode"} })
		token = e.signIn("jane", goodPassword)
		if _, err := update("custom:mode", "light"); err != nil {
			t.Fatalf("writable attribute: %v", err)
		}
		_, err = update("custom:username", "x")
		wantAPIErr[*types.NotAuthorizedException](t, err, "A client attempted to write unauthorized attribute")
	})
}

func TestAttributeVerificationCode(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.signUp("jane", "email", "jane@example.com")
		if _, err := e.ts.Client.AdminConfirmSignUp(e.ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(e.poolID), Username: aws.String("jane")}); err != nil {
			t.Fatal(err)
		}
		token := e.signIn("jane", goodPassword)
		get := func(attr string) (*cip.GetUserAttributeVerificationCodeOutput, error) {
			return e.ts.Client.GetUserAttributeVerificationCode(e.ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: aws.String(token), AttributeName: aws.String(attr)})
		}
		out, err := get("email")
		if err != nil || aws.ToString(out.CodeDeliveryDetails.Destination) != "j***@e***" {
			t.Fatalf("GetUserAttributeVerificationCode: %+v, %v", out, err)
		}
		code := e.lastCode("jane", userpool.KindVerificationCode)
		if _, err := e.ts.Client.VerifyUserAttribute(e.ctx, &cip.VerifyUserAttributeInput{
			AccessToken: aws.String(token), AttributeName: aws.String("email"), Code: aws.String(code),
		}); err != nil {
			t.Fatalf("VerifyUserAttribute with the outbox code: %v", err)
		}
		if a := attrValues(e.adminGet("jane").UserAttributes); a["email_verified"] != "true" {
			t.Errorf("email_verified = %q", a["email_verified"])
		}
		_, err = get("phone_number")
		wantAPIErr[*types.InvalidParameterException](t, err, "")
		for range 4 {
			if _, err := get("email"); err != nil {
				t.Fatal(err)
			}
		}
		_, err = get("email")
		wantAPIErr[*types.LimitExceededException](t, err, "Attempt limit exceeded, please try after some time.")
	})
}

func TestDeleteUserAttributes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts)
		e.confirmedUser("jane", "jane@example.com")
		e.adminUpdate("jane", "custom:mode", "dark", "custom:username", "jd", "name", "Jane")
		token := e.signIn("jane", goodPassword)
		if _, err := e.ts.Client.DeleteUserAttributes(e.ctx, &cip.DeleteUserAttributesInput{
			AccessToken: aws.String(token), UserAttributeNames: []string{"custom:mode"},
		}); err != nil {
			t.Fatalf("DeleteUserAttributes: %v", err)
		}
		if _, err := e.ts.Client.AdminDeleteUserAttributes(e.ctx, &cip.AdminDeleteUserAttributesInput{
			UserPoolId: aws.String(e.poolID), Username: aws.String("jane"), UserAttributeNames: []string{"custom:username", "email"},
		}); err != nil {
			t.Fatalf("AdminDeleteUserAttributes: %v", err)
		}
		a := attrValues(e.adminGet("jane").UserAttributes)
		for _, gone := range []string{"custom:mode", "custom:username", "email", "email_verified"} {
			if _, ok := a[gone]; ok {
				t.Errorf("%s still set: %v", gone, a)
			}
		}
		if a["name"] != "Jane" {
			t.Errorf("name = %q, want it kept", a["name"])
		}
		_, err := e.ts.Client.DeleteUserAttributes(e.ctx, &cip.DeleteUserAttributesInput{AccessToken: aws.String(token), UserAttributeNames: []string{"sub"}})
		wantAPIErr[*types.InvalidParameterException](t, err, "Cannot modify the non-mutable attribute sub")
	})
}

func TestAliasExistsOnUpdate(t *testing.T) {
	forEachBackend(t, func(t *testing.T, opts ...servertest.Option) {
		e := newUserEnv(t, opts, func(in *cip.CreateUserPoolInput) {
			in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePreferredUsername}
		})
		e.confirmedUser("first", "first@example.com")
		e.adminUpdate("first", "preferred_username", "champ")
		e.confirmedUser("second", "second@example.com")
		for _, tt := range []struct {
			kv  []string
			msg string
		}{
			{[]string{"preferred_username", "champ"}, "An account with the given preferred_username already exists."},
			{[]string{"email", "first@example.com", "email_verified", "true"}, "An account with the given email already exists."},
		} {
			_, err := e.ts.Client.AdminUpdateUserAttributes(e.ctx, &cip.AdminUpdateUserAttributesInput{
				UserPoolId: aws.String(e.poolID), Username: aws.String("second"), UserAttributes: attrList(tt.kv...),
			})
			wantAPIErr[*types.AliasExistsException](t, err, tt.msg)
		}
		// An unverified copy of someone's email is no alias and is allowed.
		e.adminUpdate("second", "email", "first@example.com")
		if got := e.adminGet("first@example.com"); aws.ToString(got.Username) != "first" {
			t.Errorf("alias resolves to %s", aws.ToString(got.Username))
		}
	})
}
