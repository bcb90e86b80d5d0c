package djtemplate

import (
	"fmt"
	"regexp"
	"strings"
)

// transNode is {% trans %}: it prints a message through the engine's
// translation, which is the identity for now.
type transNode struct {
	msg   *filterExpr
	noop  bool
	asVar string
}

func compileTrans(p *parser, _ *token, bits []string) (node, error) {
	if len(bits) < 2 {
		return nil, fmt.Errorf("%q takes at least one argument", bits[0])
	}

	msg, err := p.compileExpr(bits[1])
	if err != nil {
		return nil, err
	}

	n := &transNode{msg: msg}
	seen := map[string]bool{}
	for rest := bits[2:]; len(rest) > 0; {
		option := rest[0]
		rest = rest[1:]
		if seen[option] {
			return nil, fmt.Errorf("the %q option was specified more than once", option)
		}
		seen[option] = true

		if rest, err = n.parseOption(p, bits[0], option, rest); err != nil {
			return nil, err
		}
	}

	return n, nil
}

func (n *transNode) parseOption(p *parser, tag, option string, rest []string) ([]string, error) {
	switch option {
	case "noop":
		n.noop = true
		return rest, nil
	case "context", "as":
		if len(rest) == 0 {
			return nil, fmt.Errorf("no argument provided to the %q tag for the %s option", tag, option)
		}
		if option == "as" {
			n.asVar = rest[0]
			return rest[1:], nil
		}
		if rest[0] == "as" || rest[0] == "noop" {
			return nil, fmt.Errorf("invalid argument %q provided to the %q tag for the context option", rest[0], tag)
		}
		_, err := p.compileExpr(rest[0])
		return rest[1:], err
	}

	return nil, fmt.Errorf("unknown argument for %q tag: %q", tag, option)
}

func (n *transNode) render(s *state, w *strings.Builder) error {
	v, err := n.msg.resolve(s, false)
	if err != nil {
		return err
	}

	if msg, ok := text(v); ok && !n.noop {
		v = keepSafety(v, s.engine.translate(msg))
	}

	out := s.display(v)
	if n.asVar == "" {
		w.WriteString(out)
		return nil
	}

	if s.autoescape || isSafe(v) {
		s.set(n.asVar, SafeString(out))
		return nil
	}
	s.set(n.asVar, out)

	return nil
}

// blockTransNode is {% blocktrans %} with optional with, count/plural,
// trimmed, context and asvar.
type blockTransNode struct {
	tag       string
	names     []string
	exprs     []*filterExpr
	countVar  string
	count     *filterExpr
	trimmed   bool
	asVar     string
	singular  []*token
	plural    []*token
	hasPlural bool
}

func compileBlockTrans(p *parser, tok *token, bits []string) (node, error) {
	n := &blockTransNode{tag: bits[0]}
	if err := n.parseOptions(p, bits[1:]); err != nil {
		return nil, err
	}

	end, err := n.collect(p, &n.singular)
	if err != nil {
		return nil, err
	}

	if n.count != nil {
		if strings.TrimSpace(end.contents) != "plural" {
			return nil, fmt.Errorf("%q doesn't allow other block tags inside it", n.tag)
		}
		n.hasPlural = true
		if end, err = n.collect(p, &n.plural); err != nil {
			return nil, err
		}
	}

	if strings.TrimSpace(end.contents) != "end"+n.tag {
		return nil, fmt.Errorf("%q doesn't allow other block tags (seen %q) inside it", n.tag, end.contents)
	}

	return n, nil
}

// collect gathers text and variable tokens up to the next other token.
func (n *blockTransNode) collect(p *parser, into *[]*token) (*token, error) {
	for p.pos < len(p.tokens) {
		t := &p.tokens[p.pos]
		p.pos++
		if t.kind != tokenText && t.kind != tokenVar {
			return t, nil
		}
		*into = append(*into, t)
	}

	return nil, fmt.Errorf("unclosed tag %q", n.tag)
}

func (n *blockTransNode) parseOptions(p *parser, rest []string) error {
	seen := map[string]bool{}
	for len(rest) > 0 {
		option := rest[0]
		rest = rest[1:]
		if seen[option] {
			return fmt.Errorf("the %q option was specified more than once", option)
		}
		seen[option] = true

		var err error
		if rest, err = n.parseOption(p, option, rest); err != nil {
			return err
		}
	}

	return nil
}

func (n *blockTransNode) parseOption(p *parser, option string, rest []string) ([]string, error) {
	switch option {
	case "with", "count":
		names, exprs, left, err := p.tokenKwargs(rest, true)
		if err != nil {
			return nil, err
		}
		if option == "with" {
			if len(names) == 0 {
				return nil, fmt.Errorf("\"with\" in %q tag needs at least one keyword argument", n.tag)
			}
			n.names, n.exprs = names, exprs
			return left, nil
		}
		if len(names) != 1 {
			return nil, fmt.Errorf("\"count\" in %q tag expected exactly one keyword argument", n.tag)
		}
		n.countVar, n.count = names[0], exprs[0]
		return left, nil
	case "context", "asvar":
		if len(rest) == 0 {
			return nil, fmt.Errorf("%q in %q tag expected exactly one argument", option, n.tag)
		}
		if option == "asvar" {
			n.asVar = rest[0]
			return rest[1:], nil
		}
		_, err := p.compileExpr(rest[0])
		return rest[1:], err
	case "trimmed":
		n.trimmed = true
		return rest, nil
	}

	return nil, fmt.Errorf("unknown argument for %q tag: %q", n.tag, option)
}

var trimSpaceRe = regexp.MustCompile(`\s*\n\s*`)

func (n *blockTransNode) render(s *state, w *strings.Builder) error {
	values, err := resolveAll(s, n.names, n.exprs)
	if err != nil {
		return err
	}

	s.push(values)
	out, err := n.renderMessage(s)
	s.pop()
	if err != nil {
		return err
	}

	writeOrSet(s, w, n.asVar, out)

	return nil
}

// renderMessage fills the placeholders of the chosen plural form.
func (n *blockTransNode) renderMessage(s *state) (string, error) {
	var err error
	tokens := n.singular
	if n.hasPlural {
		if tokens, err = n.pluralForm(s); err != nil {
			return "", err
		}
	}

	var b strings.Builder
	for _, t := range tokens {
		if t.kind == tokenText {
			b.WriteString(t.contents)
			continue
		}
		b.WriteString(n.placeholder(s, t.contents))
	}

	out := b.String()
	if n.trimmed {
		out = trimSpaceRe.ReplaceAllString(strings.TrimSpace(out), " ")
	}

	return out, nil
}

// pluralForm stores the counter and picks the English plural form.
func (n *blockTransNode) pluralForm(s *state) ([]*token, error) {
	count, err := n.count.resolve(s, false)
	if err != nil {
		return nil, err
	}

	c, ok := number(count)
	if !ok {
		return nil, fmt.Errorf("%q argument to %q tag must be a number", n.countVar, n.tag)
	}
	s.set(n.countVar, count)

	if c == 1 {
		return n.singular, nil
	}

	return n.plural, nil
}

// placeholder renders {{ name }} inside blocktrans: a plain variable name
// looked up without filters or dots, as Django does.
func (n *blockTransNode) placeholder(s *state, name string) string {
	v, ok := s.lookup(name)
	if !ok {
		v = ""
	}

	return s.display(v)
}
