// Package crosscheck holds no code: its test mints a token set with a
// running locognito (in AWS-issuer mode), adds forged tokens, and checks
// that jwtverify and aws-jwt-verify 5.x (run by node on verify.mjs, from the
// package-lock.json here) give the same verdict on every row, listing the
// rows where they differ by design with the reason.
//
//	cd jwtverify/crosscheck && npm ci && go test -run TestAgainstAwsJwtVerify -v .
//
// Without node_modules the test is skipped, except under CI=true, where it
// fails (.ci/run runs npm ci first).
package crosscheck
