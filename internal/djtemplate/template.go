package djtemplate

import (
	"errors"
	"fmt"
	"strings"
)

// Context is the data a template renders: variable names and their values.
// Values may be Go values, values converted by FromJSON or DecodeJSON, or
// SafeString for HTML that must not be escaped.
type Context map[string]any

// Hooks are the PlugIt tags' access to the proxy, supplied for each render.
// Either may be nil, and then the tag that needs it fails the render.
type Hooks interface {
	// IncludeTemplate returns the template of an action for
	// {% plugitInclude "action" %}, rendered with the current context.
	IncludeTemplate(action string) (*Template, error)
	// GetUser returns the released properties of the user with the given
	// primary key for {% plugitGetUser pk as var %}.
	GetUser(pk string) (map[string]any, error)
}

// Template is a compiled template, safe for concurrent rendering.
type Template struct {
	name    string
	engine  *Engine
	root    nodeList
	extends *extendsNode
	blocks  map[string]*blockNode
}

// Name returns the name the template was compiled with.
func (t *Template) Name() string { return t.name }

// Render renders the template with auto-escaping on. A panic inside the
// engine is recovered and returned as an error.
func (t *Template) Render(ctx Context, hooks Hooks) (string, error) {
	s := newState(t.engine, ctx, hooks)
	return t.renderSafely(s)
}

// RenderBlocks renders the template and returns the output of each named
// block as the page renders it, with inheritance applied. A block that the
// page does not render but the template defines is rendered on its own; a
// block that does not exist gives "".
func (t *Template) RenderBlocks(ctx Context, hooks Hooks, blocks ...string) (map[string]string, error) {
	_, out, err := t.RenderWithBlocks(ctx, hooks, blocks...)
	return out, err
}

// RenderWithBlocks renders the template once and returns both the page and
// the named blocks as RenderBlocks returns them.
func (t *Template) RenderWithBlocks(ctx Context, hooks Hooks, blocks ...string) (string, map[string]string, error) {
	s := newState(t.engine, ctx, hooks)
	s.capture = map[string]*string{}
	s.capturing = map[string]bool{}
	for _, name := range blocks {
		s.capture[name] = nil
	}

	page, err := t.renderSafely(s)
	if err != nil {
		return "", nil, err
	}

	out := make(map[string]string, len(blocks))
	for _, name := range blocks {
		if got := s.capture[name]; got != nil {
			out[name] = *got
			continue
		}

		text, err := t.renderLoneBlock(ctx, hooks, name)
		if err != nil {
			return "", nil, err
		}
		out[name] = text
	}

	return page, out, nil
}

// renderLoneBlock renders a block defined in t, or in a template it
// extends, that the full page did not render.
func (t *Template) renderLoneBlock(ctx Context, hooks Hooks, name string) (string, error) {
	for cur := t; cur != nil; {
		if b, ok := cur.blocks[name]; ok {
			s := newState(t.engine, ctx, hooks)
			return renderRecovered(s, func(w *strings.Builder) error { return b.render(s, w) })
		}

		parent, err := cur.parentTemplate(newState(t.engine, ctx, hooks))
		if err != nil || parent == nil {
			return "", nil
		}
		cur = parent
	}

	return "", nil
}

func newState(e *Engine, ctx Context, hooks Hooks) *state {
	s := &state{engine: e, hooks: hooks, autoescape: true}
	s.push(map[string]any{"True": true, "False": false, "None": nil})
	top := make(map[string]any, len(ctx))
	for k, v := range ctx {
		top[k] = v
	}
	s.push(top)
	s.pushRender()

	return s
}

func (t *Template) renderSafely(s *state) (string, error) {
	out, err := renderRecovered(s, func(w *strings.Builder) error { return t.renderIn(s, w) })
	if err != nil {
		return "", wrapRenderError(t.name, err)
	}

	return out, nil
}

// renderRecovered runs fn and turns a panic into an error.
func renderRecovered(_ *state, fn func(w *strings.Builder) error) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("djtemplate: internal error: %v", r)
		}
	}()

	var b strings.Builder
	err = fn(&b)

	return b.String(), err
}

func wrapRenderError(name string, err error) error {
	var te *Error
	if errors.As(err, &te) {
		return err
	}

	return fmt.Errorf("djtemplate: rendering %q: %w", name, err)
}

// renderIn renders t in the current state, following {% extends %}.
func (t *Template) renderIn(s *state, w *strings.Builder) error {
	s.depth++
	defer func() { s.depth-- }()

	if s.depth > maxRenderDepth {
		return fmt.Errorf("templates nested more than %d levels deep", maxRenderDepth)
	}

	// Nodes after {% extends %} only define blocks: the parent renders them.
	for _, n := range t.root {
		if err := n.render(s, w); err != nil {
			return err
		}
		if _, ok := n.(*extendsNode); ok {
			return nil
		}
	}

	return nil
}
