// Package seed applies a YAML seed file: user pools with fixed ids, their app
// clients (fixed ids and secrets), resource servers, groups and users
// (plain-text passwords, hashed on load).
//
// Applying is idempotent and declarative: every record the file declares is
// created, or brought back to what the file says; records it does not
// mention are left alone. A second start with the same file changes nothing.
// Records go through the same rules as the API (server/userpool): the same
// defaults and validation, bcrypt and SRP verifiers for passwords.
package seed
