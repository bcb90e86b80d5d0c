package store

import (
	"context"
	"encoding/hex"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadMigrations(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0010_later.sql":   {Data: []byte("CREATE TABLE b (x INT);")},
		"m/0002_first.sql":   {Data: []byte("CREATE TABLE a (x INT);")},
		"other/0001_x.sql":   {Data: []byte("ignored: another folder")},
		"m/0011_latest.sql":  {Data: []byte("")},
		"m/0100_spaced.sql":  {Data: []byte("SELECT 1;")},
		"m/0101_snake_n.sql": {Data: []byte("SELECT 2;")},
	}

	migrations, err := LoadMigrations(fsys, "m")
	if err != nil {
		t.Fatalf("LoadMigrations: %v", err)
	}

	want := []Migration{
		{Version: 2, Name: "0002_first", SQL: "CREATE TABLE a (x INT);"},
		{Version: 10, Name: "0010_later", SQL: "CREATE TABLE b (x INT);"},
		{Version: 11, Name: "0011_latest", SQL: ""},
		{Version: 100, Name: "0100_spaced", SQL: "SELECT 1;"},
		{Version: 101, Name: "0101_snake_n", SQL: "SELECT 2;"},
	}
	if len(migrations) != len(want) {
		t.Fatalf("got %d migrations, want %d: %+v", len(migrations), len(want), migrations)
	}
	for i := range want {
		if migrations[i] != want[i] {
			t.Errorf("migration %d = %+v, want %+v", i, migrations[i], want[i])
		}
	}
}

func TestLoadMigrationsRejects(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"no number", fstest.MapFS{"m/init.sql": {}}, `"init.sql" is not named NNNN_name.sql`},
		{"no name", fstest.MapFS{"m/0001.sql": {}}, `"0001.sql" is not named`},
		{"zero version", fstest.MapFS{"m/0000_zero.sql": {}}, `"0000_zero.sql" is not named`},
		{"negative version", fstest.MapFS{"m/-1_x.sql": {}}, `"-1_x.sql" is not named`},
		{"signed version", fstest.MapFS{"m/+1_x.sql": {}}, `"+1_x.sql" is not named`},
		{"other extension", fstest.MapFS{"m/0001_x.txt": {}}, `"0001_x.txt" is not named`},
		{"same version", fstest.MapFS{"m/0001_a.sql": {}, "m/1_b.sql": {}}, "have the same version"},
		{"missing folder", fstest.MapFS{}, "reading migrations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadMigrations(tt.fsys, "m")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn, driver, name string
	}{
		{"postgres://u@127.0.0.1/db", "postgres", "postgres://u@127.0.0.1/db"},
		{"postgresql://u@127.0.0.1/db", "postgres", "postgresql://u@127.0.0.1/db"},
		{"plugit.db", "sqlite", "plugit.db"},
		{"/var/lib/plugit/plugit.db", "sqlite", "/var/lib/plugit/plugit.db"},
		{"sqlite:/tmp/x.db", "sqlite", "/tmp/x.db"},
		{"  plugit.db\n", "sqlite", "plugit.db"},
		{"sqlite:", "sqlite", ""},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			driver, name := ParseDSN(tt.dsn)
			if driver != tt.driver || name != tt.name {
				t.Errorf("ParseDSN(%q) = %q, %q; want %q, %q", tt.dsn, driver, name, tt.driver, tt.name)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()

	_, err := Open(ctx, "sqlite:")
	if err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("Open(sqlite:) error %v, want one saying the name is empty", err)
	}

	// This package's tests import no implementation, so none is registered.
	_, err = Open(ctx, "postgres://127.0.0.1/db")
	if err == nil || !strings.Contains(err.Error(), `driver "postgres" is not registered`) {
		t.Errorf("Open with no driver: error %v, want one naming the driver", err)
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	Register("test-twice", func(context.Context, string) (Store, error) { return nil, nil })
	defer func() {
		if recover() == nil {
			t.Error("registering a driver name twice did not panic")
		}
	}()
	Register("test-twice", func(context.Context, string) (Store, error) { return nil, nil })
}

func TestTokenHash(t *testing.T) {
	// SHA-256 of "abc", from FIPS 180-2 appendix B.1.
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := hex.EncodeToString(TokenHash("abc")); got != want {
		t.Errorf("TokenHash(abc) = %s, want %s", got, want)
	}
}

func FuzzParseMigrationName(f *testing.F) {
	seeds := []string{"0001_accounts.sql", "1_x.sql", "0000_zero.sql", "abc.sql", "0001.sql", "-1_x.sql", "+1_x.sql"}
	for _, seed := range seeds {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, file string) {
		m, err := parseMigrationName(file)
		if err != nil {
			return
		}
		number, _, _ := strings.Cut(file, "_")
		if m.Version <= 0 || strings.Trim(number, "0123456789") != "" {
			t.Errorf("%q parsed to version %d, want a positive version written in digits", file, m.Version)
		}
		if m.Name+".sql" != file {
			t.Errorf("%q parsed to name %q, want the file name without .sql", file, m.Name)
		}
	})
}
