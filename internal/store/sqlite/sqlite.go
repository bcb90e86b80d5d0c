// Package sqlite implements store.Store on an SQLite file, with the
// modernc.org/sqlite driver (pure Go). Importing it registers the "sqlite"
// driver of store.Open.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/plugit-go/plugit/internal/store"
)

// DB is a store.Store on an SQLite database.
type DB struct {
	db *sql.DB
}

var _ store.Store = (*DB)(nil)

func init() {
	store.Register("sqlite", func(ctx context.Context, path string) (store.Store, error) {
		return Open(ctx, path)
	})
}

// Open opens the SQLite database at path, creating the file when it does
// not exist, and applies the migrations it lacks. The database runs in WAL
// mode with foreign keys on, and waits up to 5 s for a lock held by
// another connection.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}

	query := url.Values{}
	query.Add("_pragma", "journal_mode(WAL)")
	query.Add("_pragma", "foreign_keys(1)")
	query.Add("_pragma", "busy_timeout(5000)")
	query.Add("_pragma", "synchronous(NORMAL)")
	// Transactions take the write lock when they begin, so that two of them
	// never both read and then fail to upgrade to writing.
	query.Set("_txlock", "immediate")

	db, err := sql.Open("sqlite", "file:"+path+"?"+query.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: opening %s: %w", path, err)
	}

	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: opening %s: %w", path, err)
	}

	if err := migrateAll(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: migrating %s: %w", path, err)
	}

	return &DB{db: db}, nil
}

func migrateAll(ctx context.Context, db *sql.DB) error {
	all, err := migrations()
	if err != nil {
		return err
	}
	return migrate(ctx, db, all)
}

func checkPath(path string) error {
	switch {
	case path == "":
		return errors.New("sqlite: database path is empty")
	case path == ":memory:":
		return errors.New("sqlite: an in-memory database is not supported, because each connection " +
			"would get its own; give a file path")
	case strings.ContainsAny(path, "?#"):
		return fmt.Errorf("sqlite: database path %q contains '?' or '#'; give a plain file path", path)
	}
	return nil
}

// Close closes the database.
func (d *DB) Close() error {
	return d.db.Close()
}

// mapError turns constraint errors into the store's sentinel errors.
func mapError(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}

	var sqliteErr *sqlite.Error
	if !errors.As(err, &sqliteErr) {
		return err
	}

	switch sqliteErr.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return fmt.Errorf("%w: %w", store.ErrConflict, err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return fmt.Errorf("%w: a referenced user, organisation or service does not exist: %w", store.ErrNotFound, err)
	}
	return err
}

// execOne runs a statement that must change at least one row, and returns
// store.ErrNotFound when it changes none.
func (d *DB) execOne(ctx context.Context, query string, args ...any) error {
	res, err := d.db.ExecContext(ctx, query, args...)
	if err != nil {
		return mapError(err)
	}

	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// queryList returns the rows of a query, each read by scan. It returns an
// empty slice, not nil, when there are no rows.
func queryList[T any](ctx context.Context, db *sql.DB, scan func(scanner) (T, error), query string,
	args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	list := []T{}
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, item)
	}
	return list, rows.Err()
}

// timeLayout is fixed-width so that comparing the text compares the times.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string {
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: reading time %q: %w", s, err)
	}
	return t, nil
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}
