package djtemplate

import "strings"

// state is the context stack and per-render data of one Render call.
type state struct {
	engine     *Engine
	hooks      Hooks
	stack      []map[string]any
	autoescape bool
	// render is Django's render context: per-template data such as cycle
	// positions and the block inheritance table.
	render []map[any]any
	depth  int
	// capture collects the first rendering of each requested block.
	capture   map[string]*string
	capturing map[string]bool
}

const maxRenderDepth = 50

// lookup finds name in the context stack, innermost scope first.
func (s *state) lookup(name string) (any, bool) {
	for i := len(s.stack) - 1; i >= 0; i-- {
		if v, ok := s.stack[i][name]; ok {
			return v, true
		}
	}

	return nil, false
}

func (s *state) push(m map[string]any) {
	if m == nil {
		m = map[string]any{}
	}
	s.stack = append(s.stack, m)
}

func (s *state) pop() { s.stack = s.stack[:len(s.stack)-1] }

// set stores a variable in the innermost scope.
func (s *state) set(name string, v any) { s.stack[len(s.stack)-1][name] = v }

func (s *state) renderData() map[any]any { return s.render[len(s.render)-1] }

func (s *state) pushRender() { s.render = append(s.render, map[any]any{}) }

func (s *state) popRender() { s.render = s.render[:len(s.render)-1] }

// node is a compiled piece of a template.
type node interface {
	render(s *state, w *strings.Builder) error
}

// nodeList is a sequence of nodes rendered one after another.
type nodeList []node

func (nl nodeList) render(s *state, w *strings.Builder) error {
	for _, n := range nl {
		if err := n.render(s, w); err != nil {
			return err
		}
	}

	return nil
}

// renderString renders nl into a new string.
func (nl nodeList) renderString(s *state) (string, error) {
	var b strings.Builder
	err := nl.render(s, &b)

	return b.String(), err
}

// textNode is literal template text.
type textNode string

func (t textNode) render(_ *state, w *strings.Builder) error {
	w.WriteString(string(t))
	return nil
}

// varNode prints a filter expression, escaped when auto-escaping is on.
type varNode struct {
	tok  *token
	expr *filterExpr
}

func (n *varNode) render(s *state, w *strings.Builder) error {
	v, err := n.expr.resolve(s, false)
	if err != nil {
		return errorAt(n.tok.tmpl, n.tok, err)
	}

	w.WriteString(s.display(v))

	return nil
}

// display converts a value to its printed form: localized dates and
// numbers as Django's render_value_in_context does, then escaped.
func (s *state) display(v any) string {
	text := localize(v)
	if s.autoescape {
		return string(conditionalEscape(text))
	}

	return pyStr(text)
}
