package jwtverify_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/locognito/locognito/jwtverify"
)

// Verifying access tokens of a real Cognito user pool: the issuer and the
// JWKS URL are derived from the pool id.
func Example_cognito() {
	v, err := jwtverify.New(jwtverify.Config{
		UserPoolID: "eu-central-1_vTci8DPwj", // Region may be given too; it must match
		ClientIDs:  []string{"7k2mq9x4b1n8c3v6z0p5r2t7wy"},
		TokenUse:   jwtverify.TokenUseAccess,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Issuer())
	fmt.Println(v.JWKSURL())

	var accessToken string // from the client
	claims, err := v.Verify(context.Background(), accessToken)
	var ve *jwtverify.ValidationError
	switch {
	case errors.As(err, &ve):
		fmt.Println("refused:", ve.Check, ve.HTTPStatus())
	case err == nil:
		fmt.Println("user", claims.Username, "scopes", claims.Scopes.List())
	}
	// Output:
	// https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_vTci8DPwj
	// https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_vTci8DPwj/.well-known/jwks.json
	// refused: malformed 401
}

// Protecting a net/http API with tokens from locognito, identified by its
// issuer URL; the JWKS is fetched from <issuer>/.well-known/jwks.json.
func Example_locognito() {
	v, err := jwtverify.New(jwtverify.Config{
		Issuer:    "http://127.0.0.1:9229/us-east-1_AbC123xYz",
		ClientIDs: []string{"7k2mq9x4b1n8c3v6z0p5r2t7wy"},
		TokenUse:  jwtverify.TokenUseAccess,
	})
	if err != nil {
		log.Fatal(err)
	}
	notes := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := jwtverify.ClaimsFromContext(r.Context())
		fmt.Fprintf(w, "notes of %s\n", claims.Subject)
	})
	mux := http.NewServeMux()
	auth := jwtverify.Middleware(v, jwtverify.CookieName("access_token"))
	mux.Handle("GET /notes", auth(jwtverify.RequireScopes("notes/read")(notes)))
	mux.Handle("DELETE /notes", auth(jwtverify.RequireGroups("admins")(notes)))
	fmt.Println(v.JWKSURL())
	// Output: http://127.0.0.1:9229/us-east-1_AbC123xYz/.well-known/jwks.json
}
