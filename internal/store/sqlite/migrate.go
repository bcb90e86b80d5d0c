package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"

	"github.com/plugit-go/plugit/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the migrations embedded in the program.
func migrations() ([]store.Migration, error) {
	return store.LoadMigrations(migrationFiles, "migrations")
}

// migrate applies, in order and each in its own transaction, the
// migrations that schema_migrations does not list yet.
func migrate(ctx context.Context, db *sql.DB, migrations []store.Migration) error {
	_, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`)
	if err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}

	if err := checkNotNewer(ctx, db, migrations); err != nil {
		return err
	}

	for _, m := range migrations {
		if err := applyMigration(ctx, db, m); err != nil {
			return err
		}
	}
	return nil
}

// checkNotNewer rejects a database migrated by a newer program, whose
// schema this one does not know.
func checkNotNewer(ctx context.Context, db *sql.DB, migrations []store.Migration) error {
	var newest sql.NullInt64
	err := db.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&newest)
	if err != nil {
		return fmt.Errorf("reading schema version: %w", err)
	}

	known := 0
	if len(migrations) > 0 {
		known = migrations[len(migrations)-1].Version
	}
	if newest.Valid && newest.Int64 > int64(known) {
		return fmt.Errorf("schema version %d is newer than the newest this program knows (%d): upgrade plugit",
			newest.Int64, known)
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, m store.Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("applying %s: %w", m.Name, err)
	}
	defer tx.Rollback()

	var applied int
	err = tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&applied)
	if err != nil {
		return fmt.Errorf("applying %s: %w", m.Name, err)
	}
	if applied > 0 {
		return nil
	}

	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("applying %s: %w", m.Name, err)
	}

	_, err = tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.Version, m.Name, formatTime(time.Now()))
	if err != nil {
		return fmt.Errorf("recording %s: %w", m.Name, err)
	}

	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing %s: %w", m.Name, err)
	}
	return nil
}
