package djtemplate

import (
	"errors"
	"fmt"
	"strings"
)

// tagFunc compiles a {% tag %} whose words are bits (bits[0] is the name).
type tagFunc func(p *parser, tok *token, bits []string) (node, error)

// parser turns tokens into nodes, as Django's Parser does.
type parser struct {
	engine *Engine
	tmpl   *Template
	tokens []token
	pos    int
	cycles map[string]*cycleNode
}

func newParser(e *Engine, t *Template, src string) *parser {
	tokens := tokenize(src)
	for i := range tokens {
		tokens[i].tmpl = t.name
	}

	return &parser{engine: e, tmpl: t, tokens: tokens}
}

// parse compiles nodes until a tag named in until, which it returns as
// end; end is nil when the input ran out.
func (p *parser) parse(until ...string) (nodeList, *token, error) {
	var (
		nodes      nodeList
		hasNonText bool
	)

	for p.pos < len(p.tokens) {
		tok := &p.tokens[p.pos]
		p.pos++

		n, err := p.parseToken(tok, until)
		if err != nil {
			return nil, nil, err
		}

		if n == nil {
			if tok.kind == tokenBlock {
				return nodes, tok, nil
			}
			continue
		}

		if _, ok := n.(*extendsNode); ok && hasNonText {
			return nil, nil, p.errorf(tok, "{%% extends %%} must be the first tag in the template")
		}
		if _, ok := n.(textNode); !ok {
			hasNonText = true
		}
		nodes = append(nodes, n)
	}

	if len(until) > 0 {
		return nil, nil, p.errorf(nil, "unclosed tag: expected %s", quoteList(until))
	}

	return nodes, nil, nil
}

// parseToken compiles one token. It returns a nil node for a comment and
// for an end tag listed in until.
func (p *parser) parseToken(tok *token, until []string) (node, error) {
	switch tok.kind {
	case tokenText:
		return textNode(tok.contents), nil
	case tokenComment:
		return nil, nil
	case tokenVar:
		return p.parseVar(tok)
	}

	bits := tok.splitContents()
	if len(bits) == 0 {
		return nil, p.errorf(tok, "empty block tag")
	}

	for _, name := range until {
		if bits[0] == name {
			return nil, nil
		}
	}

	compile, ok := p.engine.tags[bits[0]]
	if !ok {
		return nil, p.unknownTag(tok, bits[0], until)
	}

	n, err := compile(p, tok, bits)
	if err != nil {
		return nil, errorAt(p.tmpl.name, tok, err)
	}

	return n, nil
}

func (p *parser) parseVar(tok *token) (node, error) {
	if tok.contents == "" {
		return nil, p.errorf(tok, "empty variable tag")
	}

	expr, err := p.engine.compileFilterExpr(tok.contents)
	if err != nil {
		return nil, errorAt(p.tmpl.name, tok, err)
	}

	return &varNode{tok: tok, expr: expr}, nil
}

func (p *parser) unknownTag(tok *token, name string, until []string) error {
	if len(until) > 0 {
		return p.errorf(tok, "invalid block tag %q, expected %s", name, quoteList(until))
	}

	if djangoOnlyTags[name] {
		return errorAt(p.tmpl.name, tok, fmt.Errorf("%w tag %q", ErrUnsupported, name))
	}

	return errorAt(p.tmpl.name, tok, fmt.Errorf("%w tag %q: not a Django built-in or PlugIt tag", ErrUnsupported, name))
}

// djangoOnlyTags are Django tags this engine does not implement.
var djangoOnlyTags = map[string]bool{
	"debug": true, "lorem": true, "resetcycle": true, "get_current_language": true,
	"get_available_languages": true, "language": true, "localize": true, "localtime": true,
	"timezone": true, "get_static_prefix": true, "get_media_prefix": true,
}

// parseUntil compiles nodes up to one of the end tags and fails when the
// template ends first.
func (p *parser) parseUntil(open *token, until ...string) (nodeList, *token, error) {
	nodes, end, err := p.parse(until...)
	if err != nil {
		var te *Error
		if errors.As(err, &te) && te.Line == 0 {
			return nil, nil, p.errorf(open, "unclosed tag %q: expected %s", strings.Fields(open.contents)[0], quoteList(until))
		}
		return nil, nil, err
	}

	return nodes, end, nil
}

func (p *parser) errorf(tok *token, format string, args ...any) error {
	return errorAt(p.tmpl.name, tok, fmt.Errorf(format, args...))
}

func quoteList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "{% " + n + " %}"
	}

	return strings.Join(quoted, " or ")
}

// compileExpr compiles a filter expression that appears inside a tag.
func (p *parser) compileExpr(s string) (*filterExpr, error) {
	return p.engine.compileFilterExpr(s)
}
