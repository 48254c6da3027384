package cognitoapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"github.com/locognito/locognito/server/exception"
)

// validator is implemented by inputs that check their required members.
type validator interface {
	validate() error
}

// op adapts a typed action to a handler: it decodes the body into In,
// validates it and calls f.
func op[In any, Out any](f func(ctx context.Context, in *In) (Out, error)) handler {
	return func(ctx context.Context, body []byte) (any, error) {
		in := new(In)
		if err := decode(body, in); err != nil {
			return nil, err
		}
		if v, ok := any(in).(validator); ok {
			if err := v.validate(); err != nil {
				return nil, err
			}
		}
		return f(ctx, in)
	}
}

// decode parses a JSON object into v, turning every failure into
// SerializationException as AWS JSON services do.
func decode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return exception.Newf(exception.Serialization,
				"Value of type %s at '%s' cannot be deserialized as %s.", typeErr.Value, typeErr.Field, typeErr.Type)
		}
		return exception.New(exception.Serialization, "Request body is not valid JSON.")
	}
	if dec.More() {
		return exception.New(exception.Serialization, "Request body has trailing data after the JSON object.")
	}
	return nil
}

// required returns Cognito's validation error for a missing member; member is
// the camelCase name Cognito prints ("clientId").
func required(member string) error {
	return exception.Newf(exception.InvalidParameter,
		"1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

// constraint returns Cognito's validation error for a bad value.
func constraint(value any, member, rule string) error {
	return exception.Newf(exception.InvalidParameter,
		"1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, member, rule)
}
