// Package flagenv parses a program's flags with environment-variable
// fallbacks: a flag on the command line beats its variable, which beats the
// default. Both locognito and the demo resource server are configured this
// way, so the precedence and error rules live here once.
package flagenv

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// UsageError is a bad command line or environment; programs exit with 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a *UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// Parse parses args into fs, then sets every flag the command line left
// unset from env(envName(flag)) when that is not empty. Values from the
// environment go through the flag's own Set, so they get the same checks.
// -h/--help returns flag.ErrHelp; anything else wrong is a *UsageError.
func Parse(fs *flag.FlagSet, args []string, env func(string) string, envName func(flag string) string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &UsageError{Err: err}
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected argument %q (all settings are flags)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || envErr != nil {
			return
		}
		name := envName(f.Name)
		if v := env(name); name != "" && v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = Usagef("invalid value %q for %s: %v", v, name, err)
			}
		}
	})
	return envErr
}

// ExitCode reports err on stderr as the program called name would and
// returns its exit code: 0 for nil or --help, 2 for a *UsageError (with a
// pointer to --help), 1 for anything else.
func ExitCode(name string, err error, stderr io.Writer) int {
	var usage *UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		fmt.Fprintln(stderr, name+":", err)
		fmt.Fprintf(stderr, "Run '%s --help' for the list of flags.\n", name)
		return 2
	default:
		fmt.Fprintln(stderr, name+":", err)
		return 1
	}
}
