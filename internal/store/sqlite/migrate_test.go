package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/plugit-go/plugit/internal/store"
)

func countRows(t *testing.T, db *sql.DB, query string) int {
	t.Helper()

	var n int
	if err := db.QueryRowContext(t.Context(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestOpenCreatesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")

	d, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer d.Close()

	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file was not created: %v", err)
	}

	var mode string
	if err := d.db.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	if n := countRows(t, d.db, "PRAGMA foreign_keys"); n != 1 {
		t.Errorf("foreign_keys = %d, want 1", n)
	}
	if n := countRows(t, d.db, "PRAGMA busy_timeout"); n != 5000 {
		t.Errorf("busy_timeout = %d, want 5000", n)
	}
}

func TestOpenTwiceKeepsData(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "plugit.db")

	first, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("first Open: %v", err)
	}
	u := store.User{Username: "alice", Email: "alice@example.org", IsActive: true}
	if err := first.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	first.Close()

	second, err := Open(ctx, path)
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
	if n := countRows(t, second.db, "SELECT count(*) FROM schema_migrations"); n != len(all) {
		t.Errorf("schema_migrations has %d rows, want %d (one per migration)", n, len(all))
	}
}

func TestOpenConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plugit.db")

	const openers = 4
	errs := make([]error, openers)
	var wg sync.WaitGroup
	for i := range openers {
		wg.Go(func() {
			d, err := Open(t.Context(), path)
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
	path := filepath.Join(t.TempDir(), "plugit.db")

	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.db.ExecContext(ctx,
		"INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', '')")
	d.Close()
	if err != nil {
		t.Fatal(err)
	}

	_, err = Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "schema version 9999 is newer") {
		t.Errorf("Open of a newer schema: error %v, want one saying the schema is newer", err)
	}
}

func TestOpenRejectsPath(t *testing.T) {
	for _, path := range []string{"", ":memory:", "plugit.db?mode=ro", "a#b"} {
		t.Run(path, func(t *testing.T) {
			if _, err := Open(t.Context(), path); err == nil {
				t.Errorf("Open(%q) succeeded, want an error", path)
			}
		})
	}

	t.Run("missing folder", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "missing", "plugit.db")
		_, err := Open(t.Context(), path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("Open in a missing folder: error %v, want one naming %s", err, path)
		}
	})
}

func TestMigrateRollsBackFailedMigration(t *testing.T) {
	ctx := t.Context()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "plugit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	bad := []store.Migration{
		{Version: 1, Name: "0001_accounts", SQL: "this would fail if it ran again"},
		{Version: 2, Name: "0002_good", SQL: "CREATE TABLE good (id INTEGER)"},
		{Version: 3, Name: "0003_bad", SQL: "CREATE TABLE half (id INTEGER); INSERT INTO nowhere VALUES (1)"},
	}
	err = migrate(ctx, d.db, bad)
	if err == nil || !strings.Contains(err.Error(), "0003_bad") {
		t.Fatalf("migrate: error %v, want one naming 0003_bad", err)
	}

	if n := countRows(t, d.db, "SELECT count(*) FROM schema_migrations WHERE version IN (2, 3)"); n != 1 {
		t.Errorf("%d of migrations 2 and 3 recorded, want only 2", n)
	}
	if n := countRows(t, d.db, "SELECT count(*) FROM sqlite_master WHERE name = 'half'"); n != 0 {
		t.Error("table of the failed migration exists, want it rolled back")
	}
	if n := countRows(t, d.db, "SELECT count(*) FROM sqlite_master WHERE name = 'good'"); n != 1 {
		t.Error("table of the good migration is missing")
	}
}

func TestMapErrorKeepsOtherErrors(t *testing.T) {
	err := errors.New("disk on fire")
	if got := mapError(err); got != err {
		t.Errorf("mapError changed an unrelated error to %v", got)
	}
	if got := mapError(sql.ErrNoRows); !errors.Is(got, store.ErrNotFound) {
		t.Errorf("mapError(sql.ErrNoRows) = %v, want store.ErrNotFound", got)
	}
	if got := mapError(context.Canceled); !errors.Is(got, context.Canceled) {
		t.Errorf("mapError(context.Canceled) = %v, want context.Canceled kept", got)
	}
}
