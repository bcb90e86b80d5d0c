package postgres_test

import (
	"testing"

	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/internal/store/postgres"
	"github.com/plugit-go/plugit/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.SkipWithoutPostgres(t)
	storetest.Run(t, func(t *testing.T) store.Store { return storetest.OpenPostgres(t) })
}

func TestStoreOpenPicksPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)

	s, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	defer s.Close()

	if _, ok := s.(*postgres.DB); !ok {
		t.Errorf("store.Open returned %T, want *postgres.DB", s)
	}
}
