// Package exception is the error type every Cognito-facing failure becomes:
// a Cognito exception name (the JSON API's "__type") and a message that is
// safe to show. Anything that is not an *Error is an internal failure: it is
// logged and reported as InternalErrorException, never shown.
package exception

import (
	"errors"
	"fmt"
)

// Error is a Cognito exception.
type Error struct {
	Code    string // e.g. "NotAuthorizedException"
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// New returns an *Error.
func New(code, message string) *Error { return &Error{Code: code, Message: message} }

// Newf returns an *Error with a formatted message.
func Newf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal is the code of unexpected failures.
const Internal = "InternalErrorException"

// Code returns the Cognito exception name of err, or InternalErrorException.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Message returns the safe message of err; internal errors get a generic one.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal server error."
}

// Is reports whether err is a Cognito exception with the given code.
func Is(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// Exception names used across locognito (spec §7.4).
const (
	InvalidParameter      = "InvalidParameterException"
	NotAuthorized         = "NotAuthorizedException"
	ResourceNotFound      = "ResourceNotFoundException"
	UserNotFound          = "UserNotFoundException"
	UsernameExists        = "UsernameExistsException"
	AliasExists           = "AliasExistsException"
	UserNotConfirmed      = "UserNotConfirmedException"
	PasswordResetRequired = "PasswordResetRequiredException"
	CodeMismatch          = "CodeMismatchException"
	ExpiredCode           = "ExpiredCodeException"
	InvalidPassword       = "InvalidPasswordException"
	LimitExceeded         = "LimitExceededException"
	TooManyRequests       = "TooManyRequestsException"
	GroupExists           = "GroupExistsException"
	UnsupportedUserState  = "UnsupportedUserStateException"
	UnsupportedOperation  = "UnsupportedOperationException"
	UnsupportedTokenType  = "UnsupportedTokenTypeException"
	RefreshTokenReuse     = "RefreshTokenReuseException"
	ScopeDoesNotExist     = "ScopeDoesNotExistException"
	InvalidOAuthFlow      = "InvalidOAuthFlowException"
	UnknownOperation      = "UnknownOperationException"
	Serialization         = "SerializationException"
	Unauthorized          = "UnauthorizedException"
)
