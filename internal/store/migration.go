package store

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Migration is one step of a database schema, applied once and in order of
// Version.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// LoadMigrations reads the migrations of dir in fsys: files named
// NNNN_name.sql, where NNNN is the version, a positive number. Other files
// are an error, and so are two files with the same version.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("store: reading migrations: %w", err)
	}

	migrations := make([]Migration, 0, len(entries))
	for _, entry := range entries {
		m, err := parseMigrationName(entry.Name())
		if err != nil {
			return nil, err
		}

		data, err := fs.ReadFile(fsys, path.Join(dir, entry.Name()))
		if err != nil {
			return nil, fmt.Errorf("store: reading migration %s: %w", entry.Name(), err)
		}
		m.SQL = string(data)
		migrations = append(migrations, m)
	}

	slices.SortFunc(migrations, func(a, b Migration) int { return a.Version - b.Version })
	for i := 1; i < len(migrations); i++ {
		if migrations[i].Version == migrations[i-1].Version {
			return nil, fmt.Errorf("store: migrations %s and %s have the same version",
				migrations[i-1].Name, migrations[i].Name)
		}
	}

	return migrations, nil
}

func parseMigrationName(file string) (Migration, error) {
	base, ok := strings.CutSuffix(file, ".sql")
	number, _, hasName := strings.Cut(base, "_")
	version, err := strconv.Atoi(number)
	digits := strings.Trim(number, "0123456789") == ""
	if !ok || !hasName || !digits || err != nil || version <= 0 {
		return Migration{}, fmt.Errorf("store: migration file %q is not named NNNN_name.sql with a positive NNNN", file)
	}

	return Migration{Version: version, Name: base}, nil
}
