// Package pgtest gives tests of any package a PostgreSQL storage backend in
// a fresh schema of the database named by TEST_DATABASE_URL.
//
// Without TEST_DATABASE_URL, or when that database cannot be reached, the
// test fails under CI=true and is skipped otherwise.
package pgtest
