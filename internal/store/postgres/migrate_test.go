package postgres

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/plugit-go/plugit/internal/store"
)

// testDSN creates a schema for the test, drops it when the test ends, and
// returns a data source name whose search_path is that schema. This
// package's own tests cannot use storetest, which imports this package.
func testDSN(t *testing.T) string {
	t.Helper()

	base := os.Getenv("PLUGIT_TEST_POSTGRES")
	if base == "" {
		t.Skip("PLUGIT_TEST_POSTGRES is not set, so the PostgreSQL tests are skipped; set it to a database URL " +
			"such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}

	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("PLUGIT_TEST_POSTGRES: %v", err)
	}
	schema := "plugit_test_" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "_"))
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()

	adminExec(t, base, "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
	adminExec(t, base, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { adminExec(t, base, "DROP SCHEMA "+schema+" CASCADE") })
	return u.String()
}

func adminExec(t *testing.T, dsn, sql string) {
	t.Helper()

	ctx := context.WithoutCancel(t.Context())
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connecting to PLUGIT_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(ctx)

	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func countRows(t *testing.T, d *DB, query string) int {
	t.Helper()

	var n int
	if err := d.pool.QueryRow(t.Context(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestOpenTwiceKeepsData(t *testing.T) {
	ctx := t.Context()
	dsn := testDSN(t)

	first, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("first Open: %v", err)
	}
	u := store.User{Username: "alice", Email: "alice@example.org", IsActive: true}
	if err := first.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	first.Close()

	second, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer second.Close()

	if _, err := second.UserByUsername(ctx, "alice"); err != nil {
		t.Errorf("user lost on reopening: %v", err)
	}

	all, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, second, "SELECT count(*) FROM schema_migrations"); n != len(all) {
		t.Errorf("schema_migrations has %d rows, want %d (one per migration)", n, len(all))
	}
}

func TestOpenConcurrently(t *testing.T) {
	dsn := testDSN(t)

	const openers = 4
	errs := make([]error, openers)
	var wg sync.WaitGroup
	for i := range openers {
		wg.Go(func() {
			d, err := Open(t.Context(), dsn)
			if err == nil {
				d.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			t.Errorf("opener %d: %v", i, err)
		}
	}
}

func TestOpenRejectsNewerSchema(t *testing.T) {
	ctx := t.Context()
	dsn := testDSN(t)

	d, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.pool.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future')")
	d.Close()
	if err != nil {
		t.Fatal(err)
	}

	_, err = Open(ctx, dsn)
	if err == nil || !strings.Contains(err.Error(), "schema version 9999 is newer") {
		t.Errorf("Open of a newer schema: error %v, want one saying the schema is newer", err)
	}
}

func TestOpenRejectsBadDSN(t *testing.T) {
	_, err := Open(t.Context(), "postgres://user:hunter2@127.0.0.1:5432/db?sslmode=bogus")
	if err == nil {
		t.Fatal("Open with sslmode=bogus succeeded, want an error")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %q shows the password", err)
	}
}

func TestMigrateRollsBackFailedMigration(t *testing.T) {
	ctx := t.Context()
	d, err := Open(ctx, testDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	bad := []store.Migration{
		{Version: 1, Name: "0001_accounts", SQL: "this would fail if it ran again"},
		{Version: 2, Name: "0002_good", SQL: "CREATE TABLE good (id INTEGER)"},
		{Version: 3, Name: "0003_bad", SQL: "CREATE TABLE half (id INTEGER); INSERT INTO nowhere VALUES (1)"},
	}
	err = migrate(ctx, d.pool, bad)
	if err == nil || !strings.Contains(err.Error(), "0003_bad") {
		t.Fatalf("migrate: error %v, want one naming 0003_bad", err)
	}

	if n := countRows(t, d, "SELECT count(*) FROM schema_migrations WHERE version IN (2, 3)"); n != 1 {
		t.Errorf("%d of migrations 2 and 3 recorded, want only 2", n)
	}
	const tables = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = "
	if n := countRows(t, d, tables+"'half'"); n != 0 {
		t.Error("table of the failed migration exists, want it rolled back")
	}
	if n := countRows(t, d, tables+"'good'"); n != 1 {
		t.Error("table of the good migration is missing")
	}

	// The migration lock was released, so migrating again does not wait.
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := migrate(ctx, d.pool, bad[:2]); err != nil {
		t.Errorf("migrating again after a failed migration: %v", err)
	}
}

func TestMapErrorKeepsOtherErrors(t *testing.T) {
	err := errors.New("disk on fire")
	if got := mapError(err); got != err {
		t.Errorf("mapError changed an unrelated error to %v", got)
	}
	if got := mapError(pgx.ErrNoRows); !errors.Is(got, store.ErrNotFound) {
		t.Errorf("mapError(pgx.ErrNoRows) = %v, want store.ErrNotFound", got)
	}
}
