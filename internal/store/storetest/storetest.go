// Package storetest holds the tests that every store.Store implementation
// must pass, and helpers that open the real implementations for tests of
// other packages.
package storetest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/internal/store/postgres"
	"github.com/plugit-go/plugit/internal/store/sqlite"
)

// PostgresEnv is the environment variable with the URL of the PostgreSQL
// database that tests use.
const PostgresEnv = "PLUGIT_TEST_POSTGRES"

// Run runs the shared tests of a store.Store implementation. open must
// return a new, empty store each time it is called, and close it when the
// test ends.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("users", func(t *testing.T) { testUsers(t, open) })
	t.Run("orgas", func(t *testing.T) { testOrgas(t, open) })
	t.Run("services", func(t *testing.T) { testServices(t, open) })
	t.Run("subscriptions", func(t *testing.T) { testSubscriptions(t, open) })
	t.Run("reset tokens", func(t *testing.T) { testResetTokens(t, open) })
}

// OpenSQLite returns a store on a new SQLite file in a temporary folder,
// closed when the test ends.
func OpenSQLite(t testing.TB) store.Store {
	t.Helper()

	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "plugit.db"))
	if err != nil {
		t.Fatalf("opening SQLite store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// OpenPostgres returns a store in a new schema of the PostgreSQL database
// that PLUGIT_TEST_POSTGRES names, closed and dropped when the test ends.
// It skips the test when PLUGIT_TEST_POSTGRES is not set.
func OpenPostgres(t testing.TB) store.Store {
	t.Helper()

	db, err := postgres.Open(t.Context(), PostgresDSN(t))
	if err != nil {
		t.Fatalf("opening PostgreSQL store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresDSN creates a schema in the PostgreSQL database that
// PLUGIT_TEST_POSTGRES names, drops it when the test ends, and returns a
// data source name whose search_path is that schema, so that tests never
// see each other's tables. It skips the test when PLUGIT_TEST_POSTGRES is
// not set.
func PostgresDSN(t testing.TB) string {
	t.Helper()

	base := SkipWithoutPostgres(t)
	schema := "plugit_test_" + strings.ToLower(rand.Text())
	execAdmin(t, base, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { execAdmin(t, base, "DROP SCHEMA "+schema+" CASCADE") })

	dsn, err := withSearchPath(base, schema)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	return dsn
}

// SkipWithoutPostgres skips the test when PLUGIT_TEST_POSTGRES is not set,
// and returns its value otherwise.
func SkipWithoutPostgres(t testing.TB) string {
	t.Helper()

	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skip(PostgresEnv + " is not set, so the PostgreSQL tests are skipped; set it to a database URL " +
			"such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	return dsn
}

func execAdmin(t testing.TB, dsn, sql string) {
	t.Helper()

	ctx := context.WithoutCancel(t.Context())
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connecting to %s: %v", PostgresEnv, err)
	}
	defer conn.Close(ctx)

	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("running %q: %v", sql, err)
	}
}

// withSearchPath adds a search_path parameter to a URL or key=value data
// source name.
func withSearchPath(dsn, schema string) (string, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " search_path=" + schema, nil
	}

	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("invalid database URL: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

// sameUser reports whether two users are equal, comparing their creation
// times as instants.
func sameUser(a, b store.User) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return false
	}
	a.CreatedAt, b.CreatedAt = time.Time{}, time.Time{}
	return a == b
}
