package scaffold

import (
	"bytes"
	"go/format"
	"testing"

	"golang.org/x/mod/modfile"
)

// FuzzRenderFiles checks that every name and module path that the checks
// accept renders a go.mod that declares that module path and Go files
// that parse.
func FuzzRenderFiles(f *testing.F) {
	f.Add("hello", "")
	f.Add("poll_stats", "example.org/poll_stats")
	f.Fuzz(func(t *testing.T, name, modulePath string) {
		data, err := newTemplateData(Options{Name: name, Module: modulePath, PlugitVersion: "v0.1.0"})
		if err != nil {
			return
		}

		want := modulePath
		if want == "" {
			want = name
		}
		goMod := render(t, "go.mod.tmpl", data)
		mf, err := modfile.Parse("go.mod", goMod, nil)
		if err != nil {
			t.Fatalf("go.mod for name %q, module %q does not parse: %v\n%s", name, modulePath, err, goMod)
		}
		if mf.Module.Mod.Path != want {
			t.Fatalf("go.mod declares module %q, want %q", mf.Module.Mod.Path, want)
		}

		for _, tmpl := range []string{"main.go.tmpl", "main_test.go.tmpl"} {
			if _, err := format.Source(render(t, tmpl, data)); err != nil {
				t.Fatalf("%s for name %q is not valid Go: %v", tmpl, name, err)
			}
		}
	})
}

func render(t *testing.T, name string, data *templateData) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		t.Fatalf("rendering %s: %v", name, err)
	}
	return buf.Bytes()
}
