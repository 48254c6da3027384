package cognitoapi

import (
	"context"

	"github.com/locognito/locognito/server/userpool"
)

// userActions are sign-up and confirmation, the admin user actions, the
// self-service attribute and password actions, and ListUsers.
func (a *API) userActions() map[string]handler {
	return map[string]handler{
		"SignUp":                           op(a.signUp),
		"ConfirmSignUp":                    op(a.confirmSignUp),
		"ResendConfirmationCode":           op(a.resendConfirmationCode),
		"AdminConfirmSignUp":               op(a.adminConfirmSignUp),
		"AdminCreateUser":                  op(a.adminCreateUser),
		"AdminSetUserPassword":             op(a.adminSetUserPassword),
		"AdminGetUser":                     op(a.adminGetUser),
		"GetUser":                          op(a.getUser),
		"AdminUpdateUserAttributes":        op(a.adminUpdateUserAttributes),
		"UpdateUserAttributes":             op(a.updateUserAttributes),
		"AdminDeleteUserAttributes":        op(a.adminDeleteUserAttributes),
		"DeleteUserAttributes":             op(a.deleteUserAttributes),
		"GetUserAttributeVerificationCode": op(a.getUserAttributeVerificationCode),
		"VerifyUserAttribute":              op(a.verifyUserAttribute),
		"AdminDeleteUser":                  op(a.adminDeleteUser),
		"DeleteUser":                       op(a.deleteUser),
		"AdminDisableUser":                 op(a.adminDisableUser),
		"AdminEnableUser":                  op(a.adminEnableUser),
		"ListUsers":                        op(a.listUsers),
		"ForgotPassword":                   op(a.forgotPassword),
		"ConfirmForgotPassword":            op(a.confirmForgotPassword),
		"ChangePassword":                   op(a.changePassword),
		"AdminResetUserPassword":           op(a.adminResetUserPassword),
	}
}

func (a *API) signUp(ctx context.Context, in *signUpInput) (signUpOutput, error) {
	out, err := a.Pools.SignUp(ctx, userpool.SignUpInput{
		ClientID: *in.ClientId, SecretHash: in.SecretHash, Username: *in.Username,
		Password: *in.Password, Attributes: userAttributes(in.UserAttributes),
	})
	if err != nil {
		return signUpOutput{}, err
	}
	return signUpOutput{UserConfirmed: out.UserConfirmed, UserSub: out.UserSub, CodeDeliveryDetails: codeDelivery(out.Delivery)}, nil
}

func (a *API) confirmSignUp(ctx context.Context, in *confirmSignUpInput) (struct{}, error) {
	return struct{}{}, a.Pools.ConfirmSignUp(ctx, userpool.ConfirmSignUpInput{
		ClientID: *in.ClientId, SecretHash: in.SecretHash, Username: *in.Username,
		Code: *in.ConfirmationCode, ForceAliasCreation: in.ForceAliasCreation,
	})
}

func (a *API) resendConfirmationCode(ctx context.Context, in *resendConfirmationCodeInput) (codeDeliveryOutput, error) {
	d, err := a.Pools.ResendConfirmationCode(ctx, userpool.ResendInput{
		ClientID: *in.ClientId, SecretHash: in.SecretHash, Username: *in.Username,
	})
	return codeDeliveryOutput{CodeDeliveryDetails: codeDelivery(d)}, err
}

func (a *API) adminConfirmSignUp(ctx context.Context, in *adminUserInput) (struct{}, error) {
	return struct{}{}, a.Pools.AdminConfirmSignUp(ctx, *in.UserPoolId, *in.Username)
}

func (a *API) adminCreateUser(ctx context.Context, in *adminCreateUserInput) (adminCreateUserOutput, error) {
	u, err := a.Pools.AdminCreateUser(ctx, userpool.AdminCreateUserInput{
		PoolID: *in.UserPoolId, Username: *in.Username, Attributes: userAttributes(in.UserAttributes),
		TemporaryPassword: deref(in.TemporaryPassword), MessageAction: in.MessageAction,
		DesiredDeliveryMediums: in.DesiredDeliveryMediums, ForceAliasCreation: in.ForceAliasCreation,
	})
	if err != nil {
		return adminCreateUserOutput{}, err
	}
	return adminCreateUserOutput{User: userType(u)}, nil
}

func (a *API) adminSetUserPassword(ctx context.Context, in *adminSetUserPasswordInput) (struct{}, error) {
	return struct{}{}, a.Pools.AdminSetUserPassword(ctx, *in.UserPoolId, *in.Username, *in.Password, in.Permanent)
}

func (a *API) adminGetUser(ctx context.Context, in *adminUserInput) (adminGetUserOutput, error) {
	u, err := a.Pools.AdminGetUser(ctx, *in.UserPoolId, *in.Username)
	if err != nil {
		return adminGetUserOutput{}, err
	}
	return adminGetUserOutput{
		Username:             u.Username,
		UserAttributes:       attributeShapes(userpool.Attributes(u)),
		UserCreateDate:       epochTime(u.CreatedAt),
		UserLastModifiedDate: epochTime(u.LastModifiedAt),
		Enabled:              u.Enabled,
		UserStatus:           u.Status,
	}, nil
}

func (a *API) getUser(ctx context.Context, in *accessTokenInput) (getUserOutput, error) {
	u, attrs, err := a.Pools.GetUser(ctx, *in.AccessToken)
	if err != nil {
		return getUserOutput{}, err
	}
	return getUserOutput{Username: u.Username, UserAttributes: attributeShapes(attrs)}, nil
}

func (a *API) adminUpdateUserAttributes(ctx context.Context, in *adminUpdateUserAttributesInput) (struct{}, error) {
	return struct{}{}, a.Pools.AdminUpdateUserAttributes(ctx, *in.UserPoolId, *in.Username, userAttributes(in.UserAttributes))
}

func (a *API) updateUserAttributes(ctx context.Context, in *updateUserAttributesInput) (updateUserAttributesOutput, error) {
	ds, err := a.Pools.UpdateUserAttributes(ctx, *in.AccessToken, userAttributes(in.UserAttributes))
	if err != nil {
		return updateUserAttributesOutput{}, err
	}
	var out updateUserAttributesOutput
	for i := range ds {
		out.CodeDeliveryDetailsList = append(out.CodeDeliveryDetailsList, *codeDelivery(&ds[i]))
	}
	return out, nil
}

func (a *API) adminDeleteUserAttributes(ctx context.Context, in *adminDeleteUserAttributesInput) (struct{}, error) {
	return struct{}{}, a.Pools.AdminDeleteUserAttributes(ctx, *in.UserPoolId, *in.Username, in.UserAttributeNames)
}

func (a *API) deleteUserAttributes(ctx context.Context, in *deleteUserAttributesInput) (struct{}, error) {
	return struct{}{}, a.Pools.DeleteUserAttributes(ctx, *in.AccessToken, in.UserAttributeNames)
}

func (a *API) getUserAttributeVerificationCode(ctx context.Context, in *getUserAttributeVerificationCodeInput) (codeDeliveryOutput, error) {
	d, err := a.Pools.GetUserAttributeVerificationCode(ctx, *in.AccessToken, *in.AttributeName)
	return codeDeliveryOutput{CodeDeliveryDetails: codeDelivery(d)}, err
}

func (a *API) verifyUserAttribute(ctx context.Context, in *verifyUserAttributeInput) (struct{}, error) {
	return struct{}{}, a.Pools.VerifyUserAttribute(ctx, *in.AccessToken, *in.AttributeName, *in.Code)
}

func (a *API) adminDeleteUser(ctx context.Context, in *adminUserInput) (struct{}, error) {
	return struct{}{}, a.Pools.AdminDeleteUser(ctx, *in.UserPoolId, *in.Username)
}

func (a *API) deleteUser(ctx context.Context, in *accessTokenInput) (struct{}, error) {
	return struct{}{}, a.Pools.DeleteUser(ctx, *in.AccessToken)
}

func (a *API) adminDisableUser(ctx context.Context, in *adminUserInput) (struct{}, error) {
	return struct{}{}, a.Pools.AdminDisableUser(ctx, *in.UserPoolId, *in.Username)
}

func (a *API) adminEnableUser(ctx context.Context, in *adminUserInput) (struct{}, error) {
	return struct{}{}, a.Pools.AdminEnableUser(ctx, *in.UserPoolId, *in.Username)
}

func (a *API) listUsers(ctx context.Context, in *listUsersInput) (listUsersOutput, error) {
	limit := 0
	if in.Limit != nil {
		limit = *in.Limit
	}
	page, err := a.Pools.ListUsers(ctx, userpool.ListUsersInput{
		PoolID: *in.UserPoolId, Limit: limit, Filter: deref(in.Filter), PaginationToken: deref(in.PaginationToken),
	})
	if err != nil {
		return listUsersOutput{}, err
	}
	out := listUsersOutput{Users: make([]userTypeShape, 0, len(page.Users)), PaginationToken: page.PaginationToken}
	for _, u := range page.Users {
		out.Users = append(out.Users, userTypeWith(u, in.AttributesToGet))
	}
	return out, nil
}

func (a *API) forgotPassword(ctx context.Context, in *forgotPasswordInput) (codeDeliveryOutput, error) {
	d, err := a.Pools.ForgotPassword(ctx, userpool.ForgotPasswordInput{
		ClientID: *in.ClientId, SecretHash: in.SecretHash, Username: *in.Username,
	})
	return codeDeliveryOutput{CodeDeliveryDetails: codeDelivery(d)}, err
}

func (a *API) confirmForgotPassword(ctx context.Context, in *confirmForgotPasswordInput) (struct{}, error) {
	return struct{}{}, a.Pools.ConfirmForgotPassword(ctx, userpool.ConfirmForgotPasswordInput{
		ClientID: *in.ClientId, SecretHash: in.SecretHash, Username: *in.Username,
		Code: *in.ConfirmationCode, Password: *in.Password,
	})
}

func (a *API) changePassword(ctx context.Context, in *changePasswordInput) (struct{}, error) {
	return struct{}{}, a.Pools.ChangePassword(ctx, *in.AccessToken, in.PreviousPassword, *in.ProposedPassword)
}

func (a *API) adminResetUserPassword(ctx context.Context, in *adminUserInput) (struct{}, error) {
	return struct{}{}, a.Pools.AdminResetUserPassword(ctx, *in.UserPoolId, *in.Username)
}
