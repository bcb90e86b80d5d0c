package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/internal/store/sqlite"
	"github.com/plugit-go/plugit/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return storetest.OpenSQLite(t) })
}

func TestStoreOpenPicksSQLite(t *testing.T) {
	dir := t.TempDir()
	for _, dsn := range []string{filepath.Join(dir, "plain.db"), "sqlite:" + filepath.Join(dir, "prefixed.db")} {
		t.Run(dsn, func(t *testing.T) {
			s, err := store.Open(t.Context(), dsn)
			if err != nil {
				t.Fatalf("store.Open(%q): %v", dsn, err)
			}
			defer s.Close()

			if _, ok := s.(*sqlite.DB); !ok {
				t.Errorf("store.Open(%q) returned %T, want *sqlite.DB", dsn, s)
			}
		})
	}
}
