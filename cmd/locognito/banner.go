package main

import (
	"context"
	"fmt"
	"strings"
)

// maxBannerPools bounds the startup listing on a database with many pools.
const maxBannerPools = 20

// printBanner tells a newcomer where everything is: the endpoint, each
// pool's issuer, discovery and JWKS URLs and client ids (never secrets), and
// how to point the AWS CLI and SDKs at locognito.
func (p *Program) printBanner(ctx context.Context) error {
	pools, err := p.Store.ListPools(ctx)
	if err != nil {
		return fmt.Errorf("list pools: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "locognito is listening on %s (storage: %s, issuer mode: %s)\n",
		p.URL, storageName(p.Config.DatabaseURL), p.Config.IssuerMode)
	fmt.Fprintf(&b, "  Cognito API endpoint: %s\n", p.URL)
	fmt.Fprintf(&b, "  health:               %s/health\n", p.URL)
	if len(pools) == 0 {
		b.WriteString("  no user pools yet: create one with the API or start with --config seed.yaml\n")
	}
	for i, pool := range pools {
		if i == maxBannerPools {
			fmt.Fprintf(&b, "  ... and %d more pools\n", len(pools)-i)
			break
		}
		fmt.Fprintf(&b, "  user pool %s (%s)\n", pool.ID, pool.Name)
		fmt.Fprintf(&b, "    issuer:    %s\n", p.Server.IssuerURL(pool.ID))
		fmt.Fprintf(&b, "    discovery: %s/%s/.well-known/openid-configuration\n", p.URL, pool.ID)
		fmt.Fprintf(&b, "    jwks:      %s/%s/.well-known/jwks.json\n", p.URL, pool.ID)
		clients, err := p.Store.ListClients(ctx, pool.ID)
		if err != nil {
			return fmt.Errorf("list clients of %s: %w", pool.ID, err)
		}
		clientIDs := make([]string, 0, len(clients))
		for _, c := range clients {
			clientIDs = append(clientIDs, c.ClientID)
			kind := "public"
			if c.Secret != "" {
				kind = "with secret"
			}
			fmt.Fprintf(&b, "    client %s (%s, %s)\n", c.ClientID, c.Name, kind)
		}
		p.Log.Info("user pool", "pool_id", pool.ID, "name", pool.Name, "issuer", p.Server.IssuerURL(pool.ID),
			"jwks", p.URL+"/"+pool.ID+"/.well-known/jwks.json", "client_ids", clientIDs)
	}
	fmt.Fprintf(&b, "  AWS CLI: aws cognito-idp --endpoint-url %s list-user-pools --max-results 10\n", p.URL)
	fmt.Fprintf(&b, "  SDKs:    export AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=%s\n", p.URL)
	_, err = fmt.Fprint(p.Stdout, b.String())
	return err
}
