package srp

import (
	"strings"
	"time"
)

// timestampLayout is Java's "EEE MMM d HH:mm:ss z yyyy" in Go: English
// names, day of month unpadded, always UTC.
const timestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// FormatTimestamp formats t as the TIMESTAMP of PASSWORD_VERIFIER,
// e.g. "Tue Mar 5 07:08:09 UTC 2024".
func FormatTimestamp(t time.Time) string { return t.UTC().Format(timestampLayout) }

// ParseTimestamp parses a client's TIMESTAMP and returns it with its
// canonical form, the string the server signs over. Go's parser is more
// lenient than Cognito: it accepts a space-padded day ("Mar  5"), which
// Cognito rejects as a format error, and it ignores the weekday. So double
// spaces are refused here, and the caller HMACs the canonical re-format,
// which makes a zero-padded day or a wrong weekday fail the signature
// instead, as on real Cognito (spec §9.3).
func ParseTimestamp(s string) (time.Time, string, error) {
	if strings.Contains(s, "  ") || len(s) > 64 {
		return time.Time{}, "", ErrBadTimestamp
	}
	t, err := time.Parse(timestampLayout, s)
	if err != nil {
		return time.Time{}, "", ErrBadTimestamp
	}
	return t, FormatTimestamp(t), nil
}

// CheckSkew reports ErrTimestampSkew when t is more than maxSkew away from
// now in either direction; maxSkew ≤ 0 disables the check.
func CheckSkew(t, now time.Time, maxSkew time.Duration) error {
	if maxSkew <= 0 {
		return nil
	}
	d := now.Sub(t)
	if d > maxSkew || d < -maxSkew {
		return ErrTimestampSkew
	}
	return nil
}
