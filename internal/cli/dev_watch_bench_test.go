package cli

import (
	"fmt"
	"log/slog"
	"testing"
)

// BenchmarkFileWatcherChanged measures one poll of a service folder of
// 1000 files in 10 folders, which plugit dev runs every 500 ms.
func BenchmarkFileWatcherChanged(b *testing.B) {
	root := b.TempDir()
	for i := range 1000 {
		writeTestFile(b, root, fmt.Sprintf("pkg%d/file%d.go", i%10, i), "package x")
	}

	w := newFileWatcher(root, slog.New(slog.DiscardHandler))
	w.changed()
	b.ReportAllocs()
	for b.Loop() {
		if got := w.changed(); len(got) != 0 {
			b.Fatalf("unchanged folder reported %d changes", len(got))
		}
	}
}
