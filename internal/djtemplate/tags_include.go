package djtemplate

import (
	"errors"
	"fmt"
	"strings"
)

// includeNode renders another template from the engine's file system with
// the current context, or with only the given variables.
type includeNode struct {
	tok   *token
	name  *filterExpr
	names []string
	exprs []*filterExpr
	only  bool
}

func compileInclude(p *parser, tok *token, bits []string) (node, error) {
	if len(bits) < 2 {
		return nil, errors.New(`"include" tag takes at least one argument: the name of the template to be included`)
	}

	name, err := p.compileExpr(bits[1])
	if err != nil {
		return nil, err
	}

	n := &includeNode{tok: tok, name: name}
	seen := map[string]bool{}
	for rest := bits[2:]; len(rest) > 0; {
		option := rest[0]
		rest = rest[1:]
		if seen[option] {
			return nil, fmt.Errorf("the %q option was specified more than once", option)
		}
		seen[option] = true

		if rest, err = n.parseOption(p, option, rest); err != nil {
			return nil, err
		}
	}

	return n, nil
}

func (n *includeNode) parseOption(p *parser, option string, rest []string) ([]string, error) {
	switch option {
	case "only":
		n.only = true
		return rest, nil
	case "with":
		names, exprs, left, err := p.tokenKwargs(rest, false)
		if err != nil {
			return nil, err
		}
		if len(names) == 0 {
			return nil, errors.New(`"with" in "include" tag needs at least one keyword argument`)
		}
		n.names, n.exprs = names, exprs
		return left, nil
	}

	return nil, fmt.Errorf("unknown argument for \"include\" tag: %q", option)
}

func (n *includeNode) render(s *state, w *strings.Builder) error {
	v, err := n.name.resolve(s, false)
	if err != nil {
		return err
	}

	t, ok := v.(*Template)
	if !ok {
		name, _ := text(v)
		if t, err = s.engine.load(name); err != nil {
			return errorAt(n.tok.tmpl, n.tok, err)
		}
	}

	values, err := resolveAll(s, n.names, n.exprs)
	if err != nil {
		return err
	}

	return renderNested(s, w, t, values, n.only)
}

// renderNested renders t inside the current render with a fresh render
// context, as Django's Template.render does for an included template.
func renderNested(s *state, w *strings.Builder, t *Template, values map[string]any, only bool) error {
	saved := s.stack
	if only {
		s.stack = []map[string]any{{"True": true, "False": false, "None": nil}}
	}

	s.push(values)
	s.pushRender()
	defer func() {
		s.popRender()
		s.pop()
		s.stack = saved
	}()

	return t.renderIn(s, w)
}
