package djtemplate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzCompileRender compiles and renders arbitrary sources with a fixed
// context and checks that the engine returns errors instead of panicking.
// Seeds are the differential corpus and testdata/fuzz/FuzzCompileRender.
func FuzzCompileRender(f *testing.F) {
	files, _ := filepath.Glob("testdata/templates/*.txt")
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, c := range parseCorpus(string(src)) {
			f.Add(c.template)
		}
	}

	e := NewEngine(os.DirFS("testdata/fs"))
	e.SetClock(func() time.Time { return fixedNow })
	ctx := Context{
		"s": "<b>text</b> http://example.com", "n": 3, "f": 2.5, "none": nil, "t": true,
		"l": []any{1, "a", nil, 2.5}, "d": FromJSON(map[string]any{"a": 1.0, "b": []any{"x"}}),
		"date": fixedNow, "csrf_token": "tok",
	}

	f.Fuzz(func(t *testing.T, src string) {
		if strings.Count(src, "{%") > 200 {
			t.Skip("too many tags for a quick render")
		}

		tmpl, err := e.Compile("fuzz", []byte(src))
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("Compile panicked: %v", err)
			}
			return
		}

		if _, err := tmpl.Render(ctx, testHooks{engine: e}); err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatalf("Render panicked: %v", err)
		}
	})
}
