package session_test

import (
	"testing"

	"github.com/plugit-go/plugit/internal/session"
	"github.com/plugit-go/plugit/internal/session/sessiontest"
)

func TestMemoryStoreConformance(t *testing.T) {
	sessiontest.Run(t, func(t *testing.T) session.Store {
		st, err := session.NewMemoryStoreBytes(1 << 20)
		if err != nil {
			t.Fatalf("NewMemoryStoreBytes: %v", err)
		}
		return st
	})
}
