package scaffold

import (
	"bytes"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"golang.org/x/mod/modfile"
)

//go:embed templates
var templateFiles embed.FS

// templates holds the files of a new service. They use [[ and ]] as
// delimiters, because the service's own templates are Django templates
// full of {{ and }}.
var templates = template.Must(template.New("scaffold").Delims("[[", "]]").ParseFS(templateFiles, "templates/*.tmpl"))

// outputFile maps a template to the file it renders, relative to the
// service's folder.
type outputFile struct {
	template string
	path     string
}

var outputFiles = []outputFile{
	{"go.mod.tmpl", "go.mod"},
	{"main.go.tmpl", "main.go"},
	{"main_test.go.tmpl", "main_test.go"},
	{"README.md.tmpl", "README.md"},
	{"home.html.tmpl", "templates/home.html"},
	{"style.css.tmpl", "media/style.css"},
}

// defaultListen is the address a new service listens on when its
// environment sets none.
const defaultListen = "127.0.0.1:5000"

// templateData is the input of the file templates.
type templateData struct {
	Name               string
	Title              string
	ModuleQuoted       string
	GoVersion          string
	PlugitModule       string
	PlugitVersion      string
	PlugitSourceQuoted string
	DefaultListen      string

	// goSum is the PlugIt-Go source's go.sum, copied into the new module.
	goSum []byte
}

func newTemplateData(opts Options) (*templateData, error) {
	if err := CheckName(opts.Name); err != nil {
		return nil, err
	}

	modulePath := opts.Module
	if modulePath == "" {
		modulePath = opts.Name
	}
	if err := CheckModule(modulePath); err != nil {
		return nil, err
	}

	data := &templateData{
		Name:          opts.Name,
		Title:         title(opts.Name),
		ModuleQuoted:  modfile.AutoQuote(modulePath),
		GoVersion:     defaultGoVersion,
		PlugitModule:  PlugitModule,
		PlugitVersion: opts.PlugitVersion,
		DefaultListen: defaultListen,
	}

	if opts.PlugitSource == "" {
		if err := checkVersion(opts.PlugitVersion); err != nil {
			return nil, err
		}
		return data, nil
	}

	if err := data.useSource(opts.PlugitSource); err != nil {
		return nil, err
	}
	return data, nil
}

// useSource makes the new module build PlugIt-Go from the local copy in
// dir, after checking that dir holds the PlugIt-Go module.
func (d *templateData) useSource(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalidSource, dir, err)
	}

	goMod, err := os.ReadFile(filepath.Join(abs, "go.mod"))
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalidSource, dir, err)
	}

	f, err := modfile.ParseLax(filepath.Join(abs, "go.mod"), goMod, nil)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalidSource, dir, err)
	}
	if f.Module == nil || f.Module.Mod.Path != PlugitModule {
		return fmt.Errorf("%w: %s/go.mod is not the module %s", ErrInvalidSource, dir, PlugitModule)
	}

	if f.Go != nil {
		d.GoVersion = f.Go.Version
	}

	d.goSum, err = os.ReadFile(filepath.Join(abs, "go.sum"))
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("%w: %s: %w", ErrInvalidSource, dir, err)
	}

	d.PlugitVersion = localVersion
	d.PlugitSourceQuoted = modfile.AutoQuote(abs)
	return nil
}

// writeFiles renders every output file into dir.
func writeFiles(dir string, data *templateData) error {
	for _, f := range outputFiles {
		var buf bytes.Buffer
		if err := templates.ExecuteTemplate(&buf, f.template, data); err != nil {
			return fmt.Errorf("scaffold: rendering %s: %w", f.path, err)
		}

		if err := writeFile(dir, f.path, buf.Bytes()); err != nil {
			return err
		}
	}

	if len(data.goSum) > 0 {
		return writeFile(dir, "go.sum", data.goSum)
	}
	return nil
}

func writeFile(dir, name string, content []byte) error {
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("scaffold: creating %s: %w", filepath.Dir(path), err)
	}

	if err := os.WriteFile(path, content, 0o644); err != nil {
		return fmt.Errorf("scaffold: writing %s: %w", path, err)
	}
	return nil
}

// title turns a service name into the title shown in pages: "poll_stats"
// becomes "Poll stats".
func title(name string) string {
	words := strings.Join(strings.Fields(strings.ReplaceAll(name, "_", " ")), " ")
	return strings.ToUpper(words[:1]) + words[1:]
}
