package djtemplate

import (
	"fmt"
	"io/fs"
	"sync"
	"time"
)

// Engine compiles Django-syntax templates. Templates named by
// {% extends %} and {% include %} are read from the engine's file system
// and compiled once. An Engine is safe for concurrent use once configured.
type Engine struct {
	fsys    fs.FS
	filters map[string]*filterDef
	tags    map[string]tagFunc

	mu     sync.Mutex
	loaded map[string]*Template

	urls      map[string]string
	staticURL string
	now       func() time.Time
}

// NewEngine returns an engine that loads extended and included templates
// from fsys, which may be nil when templates never name another template.
// The url tag resolves the names "login" and "logout" until SetURLs replaces
// them, and the static tag uses the prefix "/static/".
func NewEngine(fsys fs.FS) *Engine {
	return &Engine{
		fsys:      fsys,
		filters:   builtinFilters(),
		tags:      builtinTags(),
		loaded:    map[string]*Template{},
		urls:      map[string]string{"login": "/login/", "logout": "/logout/"},
		staticURL: "/static/",
		now:       time.Now,
	}
}

// SetURLs replaces the URL names that {% url %} can resolve, mapping each
// name to its path. Configure the engine before rendering.
func (e *Engine) SetURLs(urls map[string]string) {
	e.urls = make(map[string]string, len(urls))
	for name, path := range urls {
		e.urls[name] = path
	}
}

// SetStaticURL sets the prefix that {% static %} puts before a path.
func (e *Engine) SetStaticURL(prefix string) { e.staticURL = prefix }

// SetClock replaces the clock used by {% now %}, timesince and naturaltime.
func (e *Engine) SetClock(now func() time.Time) { e.now = now }

// translate returns the translation of a message. Messages are not
// translated yet: the identity keeps Django's output for an English site.
func (e *Engine) translate(msg string) string { return msg }

// Compile parses src. The name appears in error messages; a syntax error
// is an *Error with the line, column and offending tag or filter.
func (e *Engine) Compile(name string, src []byte) (t *Template, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("djtemplate: compiling %q: internal error: %v", name, r)
		}
	}()

	return e.compile(name, string(src))
}

func (e *Engine) compile(name, src string) (*Template, error) {
	t := &Template{name: name, engine: e, blocks: map[string]*blockNode{}}
	p := newParser(e, t, src)

	root, end, err := p.parse()
	if err != nil {
		return nil, err
	}

	if end != nil {
		return nil, errorAt(name, end, fmt.Errorf("unexpected tag %q", end.contents))
	}
	t.root = root

	return t, nil
}

// load returns the compiled template at path in the engine's file system.
func (e *Engine) load(path string) (*Template, error) {
	e.mu.Lock()
	t, ok := e.loaded[path]
	e.mu.Unlock()
	if ok {
		return t, nil
	}

	if e.fsys == nil {
		return nil, fmt.Errorf("template %q not found: the engine has no file system", path)
	}

	src, err := fs.ReadFile(e.fsys, path)
	if err != nil {
		return nil, fmt.Errorf("template %q not found: %w", path, err)
	}

	t, err = e.compile(path, string(src))
	if err != nil {
		return nil, err
	}

	e.mu.Lock()
	e.loaded[path] = t
	e.mu.Unlock()

	return t, nil
}
