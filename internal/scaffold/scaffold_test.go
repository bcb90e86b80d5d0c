package scaffold

import (
	"bytes"
	"errors"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

// repoRoot is the PlugIt-Go module that holds this package.
const repoRoot = "../.."

func TestCheckName(t *testing.T) {
	tests := []struct {
		name  string
		valid bool
	}{
		{"hello", true},
		{"poll_stats", true},
		{"v2", true},
		{strings.Repeat("a", maxNameLength), true},
		{"", false},
		{"Hello", false},
		{"2fa", false},
		{"_hidden", false},
		{"my-service", false},
		{"a/b", false},
		{"..", false},
		{"héllo", false},
		{"hello\n", false},
		{strings.Repeat("a", maxNameLength+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckName(tt.name)
			if tt.valid && err != nil {
				t.Errorf("CheckName(%q) = %v, want nil", tt.name, err)
			}
			if !tt.valid && !errors.Is(err, ErrInvalidName) {
				t.Errorf("CheckName(%q) = %v, want ErrInvalidName", tt.name, err)
			}
		})
	}
}

func TestCheckModule(t *testing.T) {
	tests := []struct {
		path  string
		valid bool
	}{
		{"hello", true},
		{"example.org/hello", true},
		{"github.com/acme/polls/v2", true},
		{"", false},
		{"/hello", false},
		{"example.org/hello world", false},
		{"example.org/hello\"", false},
		{"example.org//hello", false},
		{"-x.org/hello", false},
		{"example.org/hello\nreplace x => y", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			err := CheckModule(tt.path)
			if tt.valid && err != nil {
				t.Errorf("CheckModule(%q) = %v, want nil", tt.path, err)
			}
			if !tt.valid && !errors.Is(err, ErrInvalidModule) {
				t.Errorf("CheckModule(%q) = %v, want ErrInvalidModule", tt.path, err)
			}
		})
	}
}

func TestCreateWithVersion(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "svc", "hello")
	got, err := Create(Options{Name: "hello", Dir: dir, Module: "example.org/hello", PlugitVersion: "v0.3.1"})
	if err != nil {
		t.Fatal(err)
	}
	if got != dir {
		t.Errorf("Create returned %q, want %q", got, dir)
	}

	f := parseGoMod(t, dir)
	if f.Module.Mod.Path != "example.org/hello" {
		t.Errorf("module %q, want example.org/hello", f.Module.Mod.Path)
	}
	if len(f.Require) != 1 || f.Require[0].Mod.Path != PlugitModule || f.Require[0].Mod.Version != "v0.3.1" {
		t.Errorf("require %v, want %s v0.3.1", f.Require, PlugitModule)
	}
	if len(f.Replace) != 0 {
		t.Errorf("replace %v, want none", f.Replace)
	}
	if f.Go == nil || f.Go.Version != defaultGoVersion {
		t.Errorf("go directive %v, want %s", f.Go, defaultGoVersion)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.sum")); !os.IsNotExist(err) {
		t.Errorf("go.sum exists without a source folder: %v", err)
	}
}

func TestCreateWithSource(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hello")
	if _, err := Create(Options{Name: "hello", Dir: dir, PlugitSource: repoRoot}); err != nil {
		t.Fatal(err)
	}

	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	f := parseGoMod(t, dir)
	if f.Module.Mod.Path != "hello" {
		t.Errorf("module %q, want the name hello", f.Module.Mod.Path)
	}
	if len(f.Replace) != 1 || f.Replace[0].Old.Path != PlugitModule || f.Replace[0].New.Path != root {
		t.Errorf("replace %v, want %s => %s", f.Replace, PlugitModule, root)
	}
	if len(f.Require) != 1 || f.Require[0].Mod.Version != localVersion {
		t.Errorf("require %v, want %s %s", f.Require, PlugitModule, localVersion)
	}

	want, err := os.ReadFile(filepath.Join(repoRoot, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	gotSum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotSum, want) {
		t.Error("go.sum differs from the source folder's go.sum")
	}
}

func TestCreateWritesFormattedGo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "poll_stats")
	if _, err := Create(Options{Name: "poll_stats", Dir: dir, PlugitVersion: "v0.1.0"}); err != nil {
		t.Fatal(err)
	}

	for _, name := range []string{"main.go", "main_test.go"} {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		formatted, err := format.Source(src)
		if err != nil {
			t.Fatalf("%s is not valid Go: %v", name, err)
		}
		if !bytes.Equal(formatted, src) {
			t.Errorf("%s is not gofmt-formatted", name)
		}
	}
}

func TestCreateWritesTemplateAndMedia(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "poll_stats")
	if _, err := Create(Options{Name: "poll_stats", Dir: dir, PlugitVersion: "v0.1.0"}); err != nil {
		t.Fatal(err)
	}

	home := readFile(t, dir, "templates/home.html")
	if !strings.HasPrefix(home, `{% extends "plugIt/base.html" %}`) {
		t.Errorf("home.html does not extend plugIt/base.html:\n%s", home)
	}
	if !strings.Contains(home, "{% block title %}Poll stats{% endblock %}") {
		t.Errorf("home.html lacks the title block:\n%s", home)
	}
	if !strings.Contains(home, "{{ ebuio_baseUrl }}media/style.css") {
		t.Errorf("home.html does not link the media file:\n%s", home)
	}
	if css := readFile(t, dir, "media/style.css"); !strings.Contains(css, ".poll_stats-greeting") {
		t.Errorf("style.css lacks the greeting rule:\n%s", css)
	}
	if readme := readFile(t, dir, "README.md"); !strings.HasPrefix(readme, "# Poll stats\n") {
		t.Errorf("README.md does not start with the title:\n%s", readme)
	}
}

func TestCreateRejectsExistingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hello")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}

	_, err := Create(Options{Name: "hello", Dir: dir, PlugitVersion: "v0.1.0"})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("Create = %v, want ErrExists", err)
	}
	if got := readFile(t, dir, "notes.txt"); got != "mine" {
		t.Errorf("existing file changed to %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); !os.IsNotExist(err) {
		t.Errorf("go.mod written into the existing folder: %v", err)
	}
}

func TestCreateRejectsBadOptions(t *testing.T) {
	otherModule := t.TempDir()
	if err := os.WriteFile(filepath.Join(otherModule, "go.mod"), []byte("module example.org/other\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		opts Options
		want error
	}{
		{"invalid name", Options{Name: "Hello", PlugitVersion: "v0.1.0"}, ErrInvalidName},
		{"invalid module", Options{Name: "hello", Module: "a b", PlugitVersion: "v0.1.0"}, ErrInvalidModule},
		{"no version", Options{Name: "hello"}, ErrNoVersion},
		{"short version", Options{Name: "hello", PlugitVersion: "v0.1"}, ErrNoVersion},
		{"dirty version", Options{Name: "hello", PlugitVersion: "v0.1.0+dirty"}, ErrNoVersion},
		{"source without go.mod", Options{Name: "hello", PlugitSource: t.TempDir()}, ErrInvalidSource},
		{"source of another module", Options{Name: "hello", PlugitSource: otherModule}, ErrInvalidSource},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Dir = filepath.Join(t.TempDir(), "hello")
			_, err := Create(tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Create = %v, want %v", err, tt.want)
			}
			if _, err := os.Stat(tt.opts.Dir); !os.IsNotExist(err) {
				t.Errorf("folder created despite the error: %v", err)
			}
		})
	}
}

func TestTitle(t *testing.T) {
	tests := map[string]string{
		"hello":      "Hello",
		"poll_stats": "Poll stats",
		"a__b_":      "A b",
		"v2":         "V2",
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			if got := title(name); got != want {
				t.Errorf("title(%q) = %q, want %q", name, got, want)
			}
		})
	}
}

func parseGoMod(t *testing.T, dir string) *modfile.File {
	t.Helper()
	data := readFile(t, dir, "go.mod")
	f, err := modfile.Parse("go.mod", []byte(data), nil)
	if err != nil {
		t.Fatalf("go.mod does not parse: %v\n%s", err, data)
	}
	return f
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
