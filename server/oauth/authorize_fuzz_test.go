package oauth

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/locognito/locognito/internal/clock"
	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/memory"
)

// FuzzParseAuthorize checks the one property of authorize validation that
// must never break: whatever the query, locognito only ever sends the
// browser to a redirect URI the client registered, byte for byte, and
// grants only scopes the client may have.
func FuzzParseAuthorize(f *testing.F) {
	ctx := context.Background()
	store := memory.New()
	now := time.Date(2026, 3, 5, 7, 8, 9, 0, time.UTC)
	if err := store.CreatePool(ctx, storage.Pool{ID: "us-east-1_Fuzz12345", CreatedAt: now}); err != nil {
		f.Fatal(err)
	}
	client := storage.Client{
		ClientID: "fuzzclient00000000000000000", PoolID: "us-east-1_Fuzz12345",
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []string{"code", "implicit"},
		AllowedOAuthScopes:         []string{"openid", "email", "notes/read"},
		CallbackURLs:               []string{"https://app.example/cb", "myapp://callback", "http://localhost:3000/cb?x=1"},
		SupportedIdentityProviders: []string{"COGNITO"},
	}
	if err := store.CreateClient(ctx, client); err != nil {
		f.Fatal(err)
	}
	p := New(store, nil, nil, clock.NewFake(now), slog.New(slog.DiscardHandler))

	f.Add(client.ClientID, "https://app.example/cb", "code", "openid email", "", "", "s")
	f.Add(client.ClientID, "https://app.example/cb/", "token", "openid", "", "", "")
	f.Add(client.ClientID, "HTTPS://app.example/cb", "code", "", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256", "x")
	f.Add(client.ClientID, "http://localhost:3000/cb?x=1", "code", "notes/read", "abc", "plain", "y")
	f.Add("other", "https://app.example/cb", "code", "openid", "", "", "")
	f.Add(client.ClientID, "myapp://callback#frag", "code", "openid email phone", "", "", "z")

	f.Fuzz(func(t *testing.T, clientID, redirect, responseType, scope, challenge, method, state string) {
		q := url.Values{
			"client_id": {clientID}, "redirect_uri": {redirect}, "response_type": {responseType},
			"scope": {scope}, "code_challenge": {challenge}, "code_challenge_method": {method}, "state": {state},
		}
		ar, err := p.ParseAuthorize(ctx, q)
		var pe *PageError
		var re *RedirectError
		switch {
		case err == nil:
			if !slices.Contains(client.CallbackURLs, ar.RedirectURI) || ar.Client.ClientID != client.ClientID {
				t.Fatalf("accepted redirect %q for client %q", ar.RedirectURI, ar.Client.ClientID)
			}
			for _, s := range ar.Scopes {
				if !slices.Contains(client.AllowedOAuthScopes, s) {
					t.Fatalf("granted scope %q", s)
				}
			}
		case errors.As(err, &re):
			if !slices.Contains(client.CallbackURLs, re.RedirectURI) || !strings.HasPrefix(re.Location(), re.RedirectURI) {
				t.Fatalf("error redirect to %q (%s)", re.RedirectURI, re.Location())
			}
		case errors.As(err, &pe):
			if pe.Status != 400 {
				t.Fatalf("error page status %d", pe.Status)
			}
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	})
}
