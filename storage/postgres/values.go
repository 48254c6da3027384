package postgres

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Conversions between record fields and column values.

// ts normalises a time the way the column stores it: UTC, microseconds.
func ts(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// tsArg is the timestamptz argument for t: NULL for the zero time.
func tsArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// timeCol scans a nullable timestamptz: NULL is the zero time, others UTC.
type timeCol struct{ dst *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.dst = time.Time{}
	case time.Time:
		*c.dst = v.UTC()
	default:
		return fmt.Errorf("postgres: scan %T into time.Time", src)
	}
	return nil
}

// textArg is the argument for a nullable text column: NULL for "".
func textArg(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// textCol scans a nullable text column: NULL is "".
type textCol struct{ dst *string }

func (c textCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.dst = ""
	case string:
		*c.dst = v
	default:
		return fmt.Errorf("postgres: scan %T into string", src)
	}
	return nil
}

// jsonArg is a jsonb argument: v encoded with encoding/json (nil slices and
// maps as null).
type jsonArg struct{ v any }

func (j jsonArg) Value() (driver.Value, error) {
	b, err := json.Marshal(j.v)
	if err != nil {
		return nil, fmt.Errorf("postgres: encode %T: %w", j.v, err)
	}
	return string(b), nil
}

// jsonCol scans a jsonb column into dst with encoding/json.
type jsonCol struct{ dst any }

func (c jsonCol) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("postgres: scan %T into %T", src, c.dst)
	}
	if err := json.Unmarshal(b, c.dst); err != nil {
		return fmt.Errorf("postgres: decode %T: %w", c.dst, err)
	}
	return nil
}
