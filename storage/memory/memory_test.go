package memory_test

import (
	"testing"

	"github.com/locognito/locognito/storage"
	"github.com/locognito/locognito/storage/conformance"
	"github.com/locognito/locognito/storage/memory"
)

func TestConformance(t *testing.T) {
	conformance.RunTests(t, func(t *testing.T) storage.Storage {
		s := memory.New()
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}
