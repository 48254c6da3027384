package cognitoapi

// Action groups. Each is defined in its own file (pools.go, clients.go,
// groups.go, resource_servers.go, users.go, auth.go); these stubs are
// replaced as the files land.
