package djtemplate

import (
	"errors"
	"fmt"
	"strings"
)

// compileLoad accepts {% load %} of any library: every tag and filter the
// engine has is always available.
func compileLoad(_ *parser, _ *token, _ []string) (node, error) {
	return textNode(""), nil
}

// csrfNode renders Django's hidden CSRF form field from the csrf_token
// variable, or nothing when the variable is missing.
type csrfNode struct{}

func compileCSRFToken(_ *parser, _ *token, _ []string) (node, error) {
	return csrfNode{}, nil
}

func (csrfNode) render(s *state, w *strings.Builder) error {
	v, ok := s.lookup("csrf_token")
	if !ok || v == nil {
		return nil
	}

	tokenText := pyStr(v)
	if tokenText == "" || tokenText == "NOTPROVIDED" {
		return nil
	}

	w.WriteString(`<input type="hidden" name="csrfmiddlewaretoken" value="`)
	w.WriteString(string(conditionalEscape(v)))
	w.WriteString(`">`)

	return nil
}

// compileComment skips everything up to {% endcomment %}.
func compileComment(p *parser, tok *token, _ []string) (node, error) {
	for p.pos < len(p.tokens) {
		t := &p.tokens[p.pos]
		p.pos++
		if t.kind == tokenBlock && t.contents == "endcomment" {
			return textNode(""), nil
		}
	}

	return nil, p.errorf(tok, "unclosed tag \"comment\": expected {%% endcomment %%}")
}

// ifNode renders the first branch whose condition is true.
type ifNode struct {
	conditions []condition // nil for else
	branches   []nodeList
}

func compileIf(p *parser, tok *token, bits []string) (node, error) {
	n := &ifNode{}
	cond, err := p.parseCondition(bits[1:])
	if err != nil {
		return nil, err
	}

	for {
		body, end, err := p.parseUntil(tok, "elif", "else", "endif")
		if err != nil {
			return nil, err
		}
		n.conditions = append(n.conditions, cond)
		n.branches = append(n.branches, body)

		switch words := end.splitContents(); {
		case words[0] == "elif":
			if cond, err = p.parseCondition(words[1:]); err != nil {
				return nil, errorAt(p.tmpl.name, end, err)
			}
		case end.contents == "else":
			return n, p.parseElse(tok, n)
		case end.contents == "endif":
			return n, nil
		default:
			return nil, p.errorf(end, "malformed template tag %q", end.contents)
		}
	}
}

func (p *parser) parseElse(tok *token, n *ifNode) error {
	body, end, err := p.parseUntil(tok, "endif")
	if err != nil {
		return err
	}

	if end.contents != "endif" {
		return p.errorf(end, "malformed template tag %q", end.contents)
	}
	n.conditions = append(n.conditions, nil)
	n.branches = append(n.branches, body)

	return nil
}

func (n *ifNode) render(s *state, w *strings.Builder) error {
	for i, cond := range n.conditions {
		if cond != nil {
			v, err := cond.eval(s)
			if err != nil && !errors.Is(err, errMissing) {
				return err
			}
			if !truthy(v) {
				continue
			}
		}

		return n.branches[i].render(s, w)
	}

	return nil
}

// withNode renders its body with extra variables.
type withNode struct {
	names []string
	exprs []*filterExpr
	body  nodeList
}

func compileWith(p *parser, tok *token, bits []string) (node, error) {
	names, exprs, rest, err := p.tokenKwargs(bits[1:], true)
	if err != nil {
		return nil, err
	}

	if len(names) == 0 {
		return nil, errors.New(`"with" expected at least one variable assignment`)
	}

	if len(rest) > 0 {
		return nil, fmt.Errorf(`"with" received an invalid token: %q`, rest[0])
	}

	body, _, err := p.parseUntil(tok, "endwith")
	if err != nil {
		return nil, err
	}

	return &withNode{names: names, exprs: exprs, body: body}, nil
}

func (n *withNode) render(s *state, w *strings.Builder) error {
	values, err := resolveAll(s, n.names, n.exprs)
	if err != nil {
		return err
	}

	s.push(values)
	defer s.pop()

	return n.body.render(s, w)
}

func resolveAll(s *state, names []string, exprs []*filterExpr) (map[string]any, error) {
	values := make(map[string]any, len(names))
	for i, name := range names {
		v, err := exprs[i].resolve(s, false)
		if err != nil {
			return nil, err
		}
		values[name] = v
	}

	return values, nil
}

// tokenKwargs parses "name=value ..." words, or with legacy set also
// "value as name and value as name", as Django's token_kwargs does. It
// returns the words it did not use.
func (p *parser) tokenKwargs(bits []string, legacy bool) ([]string, []*filterExpr, []string, error) {
	var (
		names []string
		exprs []*filterExpr
	)

	if len(bits) == 0 {
		return nil, nil, bits, nil
	}

	kwarg := kwargName(bits[0]) != ""
	if !kwarg && (!legacy || len(bits) < 3 || bits[1] != "as") {
		return nil, nil, bits, nil
	}

	for len(bits) > 0 {
		var name, value string
		if kwarg {
			name = kwargName(bits[0])
			if name == "" {
				break
			}
			value, bits = bits[0][len(name)+1:], bits[1:]
		} else {
			if len(bits) < 3 || bits[1] != "as" {
				break
			}
			name, value, bits = bits[2], bits[0], bits[3:]
		}

		expr, err := p.compileExpr(value)
		if err != nil {
			return nil, nil, nil, err
		}
		names, exprs = append(names, name), append(exprs, expr)

		if len(bits) > 0 && !kwarg {
			if bits[0] != "and" {
				break
			}
			bits = bits[1:]
		}
	}

	return names, exprs, bits, nil
}

// kwargName returns the name in a "name=value" word, or "".
func kwargName(word string) string {
	eq := strings.IndexByte(word, '=')
	if eq <= 0 || eq == len(word)-1 {
		return ""
	}

	for i := 0; i < eq; i++ {
		if !isWordByte(word, i) {
			return ""
		}
	}

	return word[:eq]
}

// autoescapeNode switches auto-escaping for its body.
type autoescapeNode struct {
	on   bool
	body nodeList
}

func compileAutoescape(p *parser, tok *token, bits []string) (node, error) {
	if len(bits) != 2 || (bits[1] != "on" && bits[1] != "off") {
		return nil, errors.New(`"autoescape" argument should be "on" or "off"`)
	}

	body, _, err := p.parseUntil(tok, "endautoescape")
	if err != nil {
		return nil, err
	}

	return &autoescapeNode{on: bits[1] == "on", body: body}, nil
}

func (n *autoescapeNode) render(s *state, w *strings.Builder) error {
	saved := s.autoescape
	s.autoescape = n.on
	defer func() { s.autoescape = saved }()

	return n.body.render(s, w)
}
