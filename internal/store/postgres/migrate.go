package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/plugit-go/plugit/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the migrations embedded in the program.
func migrations() ([]store.Migration, error) {
	return store.LoadMigrations(migrationFiles, "migrations")
}

// migrate applies, in order and each in its own transaction, the
// migrations that schema_migrations does not list yet. An advisory lock
// per schema keeps two programs from migrating the same schema at once.
func migrate(ctx context.Context, pool *pgxpool.Pool, migrations []store.Migration) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquiring a connection: %w", err)
	}
	defer conn.Release()

	if err := lockMigrations(ctx, conn.Conn()); err != nil {
		return err
	}
	defer unlockMigrations(ctx, conn.Conn())

	_, err = conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
	)`)
	if err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}

	if err := checkNotNewer(ctx, conn.Conn(), migrations); err != nil {
		return err
	}

	for _, m := range migrations {
		if err := applyMigration(ctx, conn.Conn(), m); err != nil {
			return err
		}
	}
	return nil
}

const migrationLockKey = "hashtext('plugit schema_migrations ' || current_schema())"

func lockMigrations(ctx context.Context, conn *pgx.Conn) error {
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock("+migrationLockKey+")"); err != nil {
		return fmt.Errorf("taking the migration lock: %w", err)
	}
	return nil
}

// unlockMigrations releases the lock, or closes the connection, which
// releases it too, when the unlock fails.
func unlockMigrations(ctx context.Context, conn *pgx.Conn) {
	ctx = context.WithoutCancel(ctx)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_unlock("+migrationLockKey+")"); err != nil {
		conn.Close(ctx)
	}
}

// checkNotNewer rejects a database migrated by a newer program, whose
// schema this one does not know.
func checkNotNewer(ctx context.Context, conn *pgx.Conn, migrations []store.Migration) error {
	var newest *int
	if err := conn.QueryRow(ctx, "SELECT max(version) FROM schema_migrations").Scan(&newest); err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}

	known := 0
	if len(migrations) > 0 {
		known = migrations[len(migrations)-1].Version
	}
	if newest != nil && *newest > known {
		return fmt.Errorf("schema version %d is newer than the newest this program knows (%d): upgrade plugit",
			*newest, known)
	}
	return nil
}

func applyMigration(ctx context.Context, conn *pgx.Conn, m store.Migration) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("applying %s: %w", m.Name, err)
	}
	defer tx.Rollback(ctx)

	var applied bool
	err = tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", m.Version).Scan(&applied)
	if err != nil {
		return fmt.Errorf("applying %s: %w", m.Name, err)
	}
	if applied {
		return nil
	}

	if _, err := tx.Exec(ctx, m.SQL); err != nil {
		return fmt.Errorf("applying %s: %w", m.Name, err)
	}

	_, err = tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.Version, m.Name)
	if err != nil {
		return fmt.Errorf("recording %s: %w", m.Name, err)
	}

	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("committing %s: %w", m.Name, err)
	}
	return nil
}
