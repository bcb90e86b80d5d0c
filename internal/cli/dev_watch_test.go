package cli

import (
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func writeTestFile(t testing.TB, root, name, content string) {
	t.Helper()
	path := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFileWatcherChanged(t *testing.T) {
	root := t.TempDir()
	writeTestFile(t, root, "main.go", "package main")
	writeTestFile(t, root, "templates/home.html", "home")
	writeTestFile(t, root, "media/old.css", "old")

	w := newFileWatcher(root, slog.New(slog.DiscardHandler))
	if got := w.changed(); got != nil {
		t.Fatalf("first scan returned %v, want nothing", got)
	}
	if got := w.changed(); got != nil {
		t.Fatalf("scan without changes returned %v", got)
	}

	// Sizes change, so the test does not depend on the file system's
	// time resolution.
	writeTestFile(t, root, "templates/home.html", "home, edited")
	writeTestFile(t, root, "templates/new.html", "new")
	if err := os.Remove(filepath.Join(root, "media", "old.css")); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, root, ".git/index", "ignored")
	writeTestFile(t, root, "templates/.home.html.swp", "ignored")
	writeTestFile(t, root, "node_modules/x/index.js", "ignored")

	want := []string{"media/old.css", "templates/home.html", "templates/new.html"}
	if got := w.changed(); !slices.Equal(got, want) {
		t.Errorf("changed() = %v, want %v", got, want)
	}
}

func TestClassifyChanges(t *testing.T) {
	templates, media, code := classifyChanges([]string{
		"templates/home.html", "templates/parts/menu.html", "media/style.css",
		"main.go", "store/store.go", "go.mod", "go.sum", "data.db", "README.md",
	})

	if want := []string{"templates/home.html", "templates/parts/menu.html"}; !slices.Equal(templates, want) {
		t.Errorf("templates = %v, want %v", templates, want)
	}
	if want := []string{"media/style.css"}; !slices.Equal(media, want) {
		t.Errorf("media = %v, want %v", media, want)
	}
	if want := []string{"main.go", "store/store.go", "go.mod", "go.sum"}; !slices.Equal(code, want) {
		t.Errorf("code = %v, want %v", code, want)
	}
}

func TestFileWatcherBoundsFiles(t *testing.T) {
	root := t.TempDir()
	for i := range 3 {
		writeTestFile(t, root, filepath.Join("data", string(rune('a'+i))), "x")
	}

	w := newFileWatcher(root, slog.New(slog.DiscardHandler))
	stamps := w.scanAtMost(2)
	if len(stamps) != 2 {
		t.Errorf("scan kept %d files, want the bound 2", len(stamps))
	}
	if !w.truncated {
		t.Error("scan past the bound did not record the truncation")
	}
}
