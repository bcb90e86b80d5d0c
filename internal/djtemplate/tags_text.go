package djtemplate

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var spaceBetweenTags = regexp.MustCompile(`>\s+<`)

// spacelessNode removes whitespace between HTML tags in its output.
type spacelessNode struct{ body nodeList }

func compileSpaceless(p *parser, tok *token, _ []string) (node, error) {
	body, _, err := p.parseUntil(tok, "endspaceless")
	if err != nil {
		return nil, err
	}

	return &spacelessNode{body: body}, nil
}

func (n *spacelessNode) render(s *state, w *strings.Builder) error {
	out, err := n.body.renderString(s)
	if err != nil {
		return err
	}

	w.WriteString(spaceBetweenTags.ReplaceAllString(strings.TrimSpace(out), "><"))

	return nil
}

// compileVerbatim returns the text up to the matching end tag unparsed;
// the lexer has already turned the tags inside into text.
func compileVerbatim(p *parser, tok *token, _ []string) (node, error) {
	body, _, err := p.parseUntil(tok, "endverbatim")
	if err != nil {
		return nil, err
	}

	var b strings.Builder
	for _, n := range body {
		if t, ok := n.(textNode); ok {
			b.WriteString(string(t))
		}
	}

	return textNode(b.String()), nil
}

var templateTagOutput = map[string]string{
	"openblock": "{%", "closeblock": "%}", "openvariable": "{{", "closevariable": "}}",
	"openbrace": "{", "closebrace": "}", "opencomment": "{#", "closecomment": "#}",
}

func compileTemplateTag(_ *parser, _ *token, bits []string) (node, error) {
	if len(bits) != 2 {
		return nil, errors.New(`"templatetag" statement takes one argument`)
	}

	out, ok := templateTagOutput[bits[1]]
	if !ok {
		return nil, fmt.Errorf("invalid templatetag argument %q", bits[1])
	}

	return textNode(out), nil
}

// filterTagNode applies filters to the output of its body.
type filterTagNode struct {
	expr *filterExpr
	body nodeList
}

func compileFilterTag(p *parser, tok *token, bits []string) (node, error) {
	if len(bits) < 2 {
		return nil, errors.New(`"filter" tag needs at least one filter`)
	}

	rest := strings.TrimSpace(tok.contents[len("filter"):])
	expr, err := p.compileExpr("var|" + rest)
	if err != nil {
		return nil, err
	}

	for _, call := range expr.filters {
		if call.name == "escape" || call.name == "safe" {
			return nil, fmt.Errorf("\"filter %s\" is not permitted: use the \"autoescape\" tag instead", call.name)
		}
	}

	body, _, err := p.parseUntil(tok, "endfilter")
	if err != nil {
		return nil, err
	}

	return &filterTagNode{expr: expr, body: body}, nil
}

func (n *filterTagNode) render(s *state, w *strings.Builder) error {
	out, err := n.body.renderString(s)
	if err != nil {
		return err
	}

	s.push(map[string]any{"var": SafeString(out)})
	defer s.pop()

	v, err := n.expr.resolve(s, false)
	if err != nil {
		return err
	}
	w.WriteString(pyStr(v))

	return nil
}

// firstOfNode prints the first true value among its arguments.
type firstOfNode struct {
	exprs []*filterExpr
	asVar string
}

func compileFirstOf(p *parser, _ *token, bits []string) (node, error) {
	bits = bits[1:]
	if len(bits) == 0 {
		return nil, errors.New(`"firstof" statement requires at least one argument`)
	}

	n := &firstOfNode{}
	if len(bits) >= 2 && bits[len(bits)-2] == "as" {
		n.asVar = bits[len(bits)-1]
		bits = bits[:len(bits)-2]
	}

	for _, b := range bits {
		e, err := p.compileExpr(b)
		if err != nil {
			return nil, err
		}
		n.exprs = append(n.exprs, e)
	}

	return n, nil
}

func (n *firstOfNode) render(s *state, w *strings.Builder) error {
	first := ""
	for _, e := range n.exprs {
		v, err := e.resolve(s, true)
		if err != nil {
			return err
		}
		if truthy(v) {
			first = s.display(v)
			break
		}
	}

	if n.asVar != "" {
		s.set(n.asVar, SafeString(first))
		return nil
	}
	w.WriteString(first)

	return nil
}

// writeOrSet prints out, or stores it in a variable for "as name" forms.
func writeOrSet(s *state, w *strings.Builder, asVar string, out any) {
	if asVar != "" {
		s.set(asVar, out)
		return
	}

	w.WriteString(pyStr(out))
}
