package djtemplate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// fixedNow is the clock of the differential cases; the generator script
// patches Django to the same time.
var fixedNow = time.Date(2024, 5, 15, 10, 30, 0, 0, time.UTC)

// corpusCase is one template and JSON context of the differential corpus.
type corpusCase struct {
	name     string
	template string
	context  string
}

// golden is Django's result for a case: the output, or the exception class.
type golden struct {
	Output *string `json:"output"`
	Error  string  `json:"error"`
}

// parseCorpus splits a corpus file the way the generator script does.
func parseCorpus(text string) []corpusCase {
	var (
		cases     []corpusCase
		tmpl, ctx []string
		inContext bool
	)

	flush := func() {
		if len(cases) == 0 {
			return
		}
		src := strings.Join(tmpl, "")
		cases[len(cases)-1].template = strings.TrimSuffix(src, "\n")
		cases[len(cases)-1].context = strings.TrimSpace(strings.Join(ctx, ""))
	}

	for _, line := range strings.SplitAfter(text, "\n") {
		switch {
		case strings.HasPrefix(line, "### "):
			flush()
			cases = append(cases, corpusCase{name: strings.TrimSpace(line[4:])})
			tmpl, ctx, inContext = nil, nil, false
		case len(cases) == 0:
		case strings.TrimSuffix(line, "\n") == "--- context" && !inContext:
			inContext = true
		case inContext:
			ctx = append(ctx, line)
		default:
			tmpl = append(tmpl, line)
		}
	}
	flush()

	return cases
}

// decodeCorpusContext decodes a case context, turning {"$date": ...} into
// time.Time and {"$safe": ...} into SafeString.
func decodeCorpusContext(data string) (Context, error) {
	if data == "" {
		return Context{}, nil
	}

	v, err := DecodeJSON([]byte(data))
	if err != nil {
		return nil, err
	}

	d, ok := v.(*Dict)
	if !ok {
		return nil, errors.New("context is not a JSON object")
	}

	ctx := Context{}
	for _, k := range d.Keys() {
		value, _ := d.Get(k)
		if ctx[k], err = convertMarkers(value); err != nil {
			return nil, err
		}
	}

	return ctx, nil
}

func convertMarkers(v any) (any, error) {
	switch x := v.(type) {
	case []any:
		for i := range x {
			var err error
			if x[i], err = convertMarkers(x[i]); err != nil {
				return nil, err
			}
		}
	case *Dict:
		return convertDictMarkers(x)
	}

	return v, nil
}

func convertDictMarkers(d *Dict) (any, error) {
	if keys := d.Keys(); len(keys) == 1 && keys[0] == "$date" {
		s, _ := d.Get("$date")
		return time.Parse("2006-01-02T15:04:05.999999", s.(string))
	}

	if keys := d.Keys(); len(keys) == 1 && keys[0] == "$safe" {
		s, _ := d.Get("$safe")
		return SafeString(s.(string)), nil
	}

	for _, k := range d.Keys() {
		value, _ := d.Get(k)
		converted, err := convertMarkers(value)
		if err != nil {
			return nil, err
		}
		d.Set(k, converted)
	}

	return d, nil
}

// renderCorpusCase renders a case as the generator script does with Django.
func renderCorpusCase(e *Engine, c corpusCase) (string, error) {
	ctx, err := decodeCorpusContext(c.context)
	if err != nil {
		return "", fmt.Errorf("decoding the context of %s: %w", c.name, err)
	}

	tmpl, err := e.Compile(c.name, []byte(c.template))
	if err != nil {
		return "", err
	}

	return tmpl.Render(ctx, testHooks{engine: e})
}

func newCorpusEngine() *Engine {
	e := NewEngine(os.DirFS("testdata/fs"))
	e.SetClock(func() time.Time { return fixedNow })

	return e
}

func loadGoldens(t *testing.T, dir, group string) map[string]golden {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, group+".json"))
	if err != nil {
		t.Fatalf("reading goldens: %v (run testdata/django/render_goldens.py)", err)
	}

	goldens := map[string]golden{}
	if err := json.Unmarshal(data, &goldens); err != nil {
		t.Fatalf("decoding goldens of %s: %v", group, err)
	}

	return goldens
}

// TestDifferentialDjango renders every corpus case and compares the result
// byte for byte with the output of Django 3.2 stored in testdata/golden.
func TestDifferentialDjango(t *testing.T) {
	files, err := filepath.Glob("testdata/templates/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}

	e := newCorpusEngine()
	total := 0
	for _, file := range files {
		group := strings.TrimSuffix(filepath.Base(file), ".txt")
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}

		goldens := loadGoldens(t, "testdata/golden", group)
		for _, c := range parseCorpus(string(src)) {
			total++
			want, ok := goldens[c.name]
			if !ok {
				t.Errorf("%s/%s: no golden output; rerun the generator", group, c.name)
				continue
			}
			t.Run(group+"/"+c.name, func(t *testing.T) { checkCase(t, e, c, want) })
		}
	}

	if total < 300 {
		t.Errorf("corpus has %d cases, want at least 300", total)
	}
}

func checkCase(t *testing.T, e *Engine, c corpusCase, want golden) {
	got, err := renderCorpusCase(e, c)
	if want.Output == nil {
		if err == nil {
			t.Errorf("Django raised %s, the engine rendered %q\ntemplate: %s", want.Error, got, c.template)
		}
		return
	}

	if err != nil {
		t.Errorf("engine error: %v\nDjango output: %q\ntemplate: %s", err, *want.Output, c.template)
		return
	}

	if got != *want.Output {
		t.Errorf("output differs from Django\n got: %q\nwant: %q\ntemplate: %s", got, *want.Output, c.template)
	}
}

// TestGoldensMatchDjango regenerates the golden files with Django and
// fails when they differ from the committed ones, so the goldens cannot
// drift from Django. It needs Debian's python3-django (Django 3.2) and
// runs only when PLUGIT_TEST_DJANGO=1; PLUGIT_PYTHON selects the
// interpreter (default /usr/bin/python3).
func TestGoldensMatchDjango(t *testing.T) {
	if os.Getenv("PLUGIT_TEST_DJANGO") != "1" {
		t.Skip("set PLUGIT_TEST_DJANGO=1 to regenerate the goldens with Django 3.2 (needs python3-django)")
	}

	python := os.Getenv("PLUGIT_PYTHON")
	if python == "" {
		python = "/usr/bin/python3"
	}

	dir := t.TempDir()
	out, err := runCommand(python, "testdata/django/render_goldens.py", "--out", dir)
	if err != nil {
		t.Fatalf("running the generator: %v\n%s", err, out)
	}
	t.Log(strings.TrimSpace(out))

	committed, _ := filepath.Glob("testdata/golden/*.json")
	fresh, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(committed) != len(fresh) {
		t.Errorf("generator wrote %d golden files, %d are committed", len(fresh), len(committed))
	}

	for _, path := range fresh {
		compareGoldenFile(t, path, filepath.Join("testdata/golden", filepath.Base(path)))
	}
}

func compareGoldenFile(t *testing.T, freshPath, committedPath string) {
	fresh, err := os.ReadFile(freshPath)
	if err != nil {
		t.Fatal(err)
	}

	committed, err := os.ReadFile(committedPath)
	if err != nil {
		t.Errorf("%s is not committed: %v", committedPath, err)
		return
	}

	if bytes.Equal(fresh, committed) {
		return
	}

	var a, b map[string]golden
	_ = json.Unmarshal(fresh, &a)
	_ = json.Unmarshal(committed, &b)
	var names []string
	for name := range a {
		if !sameGolden(a[name], b[name]) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	t.Errorf("%s differs from Django's output in cases %v", committedPath, names)
}

func sameGolden(a, b golden) bool {
	if (a.Output == nil) != (b.Output == nil) {
		return false
	}

	return a.Error == b.Error && (a.Output == nil || *a.Output == *b.Output)
}
