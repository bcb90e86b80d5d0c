// Package web holds the proxy's embedded front-end: Bootstrap, the
// layout and error pages, and the plugIt/base.html that service templates
// extend.
package web

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
)

// BootstrapVersion is the version of the embedded Bootstrap files.
const BootstrapVersion = "5.3.9"

//go:embed static
var staticFiles embed.FS

//go:embed templates
var layoutFiles embed.FS

//go:embed pongo
var pongoFiles embed.FS

// ServiceTemplates returns the templates that service templates can
// extend or include, such as "plugIt/base.html".
func ServiceTemplates() fs.FS {
	sub, _ := fs.Sub(pongoFiles, "pongo")
	return sub
}

// StaticHandler serves the embedded static files; mount it at prefix.
// Files are cached by browsers for a day, because their names change with
// the Bootstrap version.
func StaticHandler(prefix string) http.Handler {
	sub, _ := fs.Sub(staticFiles, "static")
	files := http.StripPrefix(prefix, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}

// Layouts parses the proxy's page templates: "layout.html" wraps a
// rendered service page and "error.html" is the error page.
func Layouts() (*template.Template, error) {
	return template.ParseFS(layoutFiles, "templates/*.html")
}
