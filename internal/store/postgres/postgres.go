// Package postgres implements store.Store on PostgreSQL, with pgx and its
// connection pool. Importing it registers the "postgres" driver of
// store.Open.
package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/plugit-go/plugit/internal/store"
)

// DB is a store.Store on a PostgreSQL database.
type DB struct {
	pool *pgxpool.Pool
}

var _ store.Store = (*DB)(nil)

func init() {
	store.Register("postgres", func(ctx context.Context, dsn string) (store.Store, error) {
		return Open(ctx, dsn)
	})
}

// Open connects to the PostgreSQL database that dsn names (a postgres://
// URL or a key=value string, as pgx reads them) and applies the
// migrations it lacks. The tables live in the connection's search_path,
// which a search_path parameter in dsn can choose.
func Open(ctx context.Context, dsn string) (*DB, error) {
	config, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The error of ParseConfig hides the password of dsn, so it can be logged.
		return nil, fmt.Errorf("postgres: reading the data source name: %w", err)
	}

	pool, err := pgxpool.NewWithConfig(ctx, config)
	if err != nil {
		return nil, fmt.Errorf("postgres: connecting to %s: %w", config.ConnConfig.Host, err)
	}

	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connecting to %s: %w", config.ConnConfig.Host, err)
	}

	if err := migrateAll(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrating %s: %w", config.ConnConfig.Database, err)
	}

	return &DB{pool: pool}, nil
}

func migrateAll(ctx context.Context, pool *pgxpool.Pool) error {
	all, err := migrations()
	if err != nil {
		return err
	}
	return migrate(ctx, pool, all)
}

// Close closes the connections.
func (d *DB) Close() error {
	d.pool.Close()
	return nil
}

// SQLSTATE codes of PostgreSQL.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

// mapError turns constraint errors into the store's sentinel errors.
func mapError(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}

	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return err
	}

	switch pgErr.Code {
	case uniqueViolation:
		return fmt.Errorf("%w: %w", store.ErrConflict, err)
	case foreignKeyViolation:
		return fmt.Errorf("%w: a referenced user, organisation or service does not exist: %w", store.ErrNotFound, err)
	}
	return err
}

// execOne runs a statement that must change at least one row, and returns
// store.ErrNotFound when it changes none.
func (d *DB) execOne(ctx context.Context, query string, args ...any) error {
	tag, err := d.pool.Exec(ctx, query, args...)
	if err != nil {
		return mapError(err)
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
}

// queryList returns the rows of a query, each read by scan, or an empty
// slice when there are none.
func queryList[T any](ctx context.Context, d *DB, scan pgx.RowToFunc[T], query string, args ...any) ([]T, error) {
	rows, err := d.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scan)
}
