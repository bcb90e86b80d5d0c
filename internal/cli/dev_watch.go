package cli

import (
	"io/fs"
	"log/slog"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// maxWatchedFiles bounds the files plugit dev watches in a service's
// folder, so that a folder holding a large data set does not make every
// poll slow. Files past the bound are not watched.
const maxWatchedFiles = 10000

// fileStamp is a file's modification time and size, which tell that the
// file changed.
type fileStamp struct {
	modTime time.Time
	size    int64
}

// fileWatcher finds the files added, removed or modified under a folder
// between two polls, by comparing modification times and sizes. Hidden
// files and folders (a name starting with ".") and node_modules are
// skipped.
type fileWatcher struct {
	root      string
	logger    *slog.Logger
	stamps    map[string]fileStamp
	truncated bool
}

func newFileWatcher(root string, logger *slog.Logger) *fileWatcher {
	return &fileWatcher{root: root, logger: logger}
}

// changed scans the folder and returns the slash-separated paths, relative
// to the folder, of the files that changed since the last call, sorted.
// The first call records the files and returns none.
func (w *fileWatcher) changed() []string {
	current := w.scanAtMost(maxWatchedFiles)
	previous := w.stamps
	w.stamps = current
	if previous == nil {
		return nil
	}

	var paths []string
	for name, stamp := range current {
		if old, ok := previous[name]; !ok || old != stamp {
			paths = append(paths, name)
		}
	}
	for name := range previous {
		if _, ok := current[name]; !ok {
			paths = append(paths, name)
		}
	}
	sort.Strings(paths)
	return paths
}

// scanAtMost returns the stamps of the folder's watched files, at most
// limit of them.
func (w *fileWatcher) scanAtMost(limit int) map[string]fileStamp {
	stamps := map[string]fileStamp{}
	err := filepath.WalkDir(w.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			// A file removed during the walk, or a folder that can't be
			// read: skip it; it shows as removed if it was watched.
			return nil
		}

		if p != w.root && skipName(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}

		if len(stamps) >= limit {
			w.warnTruncated(limit)
			return filepath.SkipAll
		}

		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(w.root, p)
		stamps[filepath.ToSlash(rel)] = fileStamp{modTime: info.ModTime(), size: info.Size()}
		return nil
	})
	if err != nil {
		w.logger.Warn("cli: scanning the service folder failed", "dir", w.root, "error", err)
	}
	return stamps
}

func (w *fileWatcher) warnTruncated(limit int) {
	if w.truncated {
		return
	}
	w.truncated = true
	w.logger.Warn("cli: too many files in the service folder, the rest are not watched", "dir", w.root, "max_files", limit)
}

// skipName reports whether a file or folder is left out of watching:
// hidden names, such as .git and editor swap files, Emacs lock files and
// node_modules.
func skipName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || name == "node_modules"
}

// classifyChanges sorts changed paths into templates (under templates/),
// media (under media/) and Go code (.go files, go.mod, go.sum). Other
// files, such as a database the service writes, are left out.
func classifyChanges(paths []string) (templates, media, code []string) {
	for _, p := range paths {
		switch {
		case strings.HasPrefix(p, "templates/"):
			templates = append(templates, p)
		case strings.HasPrefix(p, "media/"):
			media = append(media, p)
		case path.Ext(p) == ".go" || path.Base(p) == "go.mod" || path.Base(p) == "go.sum":
			code = append(code, p)
		}
	}
	return templates, media, code
}
