package cognitoapi

// Action groups. Each is defined in its own file (pools.go, clients.go,
// groups.go, resource_servers.go, users.go, auth.go); these stubs are
// replaced as the files land.

func (a *API) poolActions() map[string]handler           { return map[string]handler{} }
func (a *API) clientActions() map[string]handler         { return map[string]handler{} }
func (a *API) groupActions() map[string]handler          { return map[string]handler{} }
func (a *API) resourceServerActions() map[string]handler { return map[string]handler{} }
func (a *API) userActions() map[string]handler           { return map[string]handler{} }
