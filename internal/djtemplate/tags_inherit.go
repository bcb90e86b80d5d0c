package djtemplate

import (
	"errors"
	"fmt"
	"strings"
)

// blockTableKey is the render-data key of the block inheritance table.
type blockTableKey struct{}

// blockTable maps a block name to its definitions, most-derived last,
// as Django's BlockContext does.
type blockTable map[string][]*blockNode

func (bt blockTable) addBlocks(blocks map[string]*blockNode) {
	for name, b := range blocks {
		bt[name] = append([]*blockNode{b}, bt[name]...)
	}
}

func (bt blockTable) pop(name string) *blockNode {
	list := bt[name]
	if len(list) == 0 {
		return nil
	}
	bt[name] = list[:len(list)-1]

	return list[len(list)-1]
}

func (bt blockTable) push(name string, b *blockNode) { bt[name] = append(bt[name], b) }

// extendsNode renders the parent template with this template's blocks.
type extendsNode struct {
	tok    *token
	parent *filterExpr
	owner  *Template
}

func compileExtends(p *parser, tok *token, bits []string) (node, error) {
	if len(bits) != 2 {
		return nil, errors.New(`"extends" takes one argument`)
	}

	if p.tmpl.extends != nil {
		return nil, errors.New(`"extends" cannot appear more than once in the same template`)
	}

	parent, err := p.compileExpr(bits[1])
	if err != nil {
		return nil, err
	}

	n := &extendsNode{tok: tok, parent: parent, owner: p.tmpl}
	p.tmpl.extends = n

	return n, nil
}

// render ignores everything outside blocks in the child: only the parent
// template is rendered, as in Django.
func (n *extendsNode) render(s *state, w *strings.Builder) error {
	parent, err := n.owner.parentTemplate(s)
	if err != nil {
		return errorAt(n.tok.tmpl, n.tok, err)
	}

	data := s.renderData()
	table, ok := data[blockTableKey{}].(blockTable)
	if !ok {
		table = blockTable{}
		data[blockTableKey{}] = table
	}
	table.addBlocks(n.owner.blocks)

	if parent.extends == nil {
		table.addBlocks(parent.blocks)
	}

	return parent.renderIn(s, w)
}

// parentTemplate resolves and loads the template named by {% extends %},
// or returns nil when t extends nothing.
func (t *Template) parentTemplate(s *state) (*Template, error) {
	if t.extends == nil {
		return nil, nil
	}

	v, err := t.extends.parent.resolve(s, false)
	if err != nil {
		return nil, err
	}

	if parent, ok := v.(*Template); ok {
		return parent, nil
	}

	name, _ := text(v)
	if name == "" {
		return nil, fmt.Errorf("invalid template name in \"extends\" tag: %s", pyRepr(v))
	}

	return t.engine.load(name)
}

// blockNode is a {% block %} that templates extending this one can replace.
type blockNode struct {
	name string
	body nodeList
}

func compileBlock(p *parser, tok *token, _ []string) (node, error) {
	bits := strings.Fields(tok.contents)
	if len(bits) != 2 {
		return nil, errors.New(`"block" tag takes only one argument`)
	}

	name := bits[1]
	if _, dup := p.tmpl.blocks[name]; dup {
		return nil, fmt.Errorf("\"block\" tag with name %q appears more than once", name)
	}

	n := &blockNode{name: name}
	p.tmpl.blocks[name] = n

	body, end, err := p.parseUntil(tok, "endblock")
	if err != nil {
		return nil, err
	}

	if end.contents != "endblock" && end.contents != "endblock "+name {
		return nil, p.errorf(end, "invalid block tag %q, expected {%% endblock %%} or {%% endblock %s %%}", end.contents, name)
	}
	n.body = body

	return n, nil
}

func (n *blockNode) render(s *state, w *strings.Builder) error {
	s.push(nil)
	defer s.pop()

	table, _ := s.renderData()[blockTableKey{}].(blockTable)
	if table == nil {
		s.set("block", &blockRef{node: n, state: s})
		return n.renderCaptured(s, w, n.body)
	}

	pushed := table.pop(n.name)
	use := pushed
	if use == nil {
		use = n
	}

	s.set("block", &blockRef{node: use, state: s, inherited: true})
	err := n.renderCaptured(s, w, use.body)

	if pushed != nil {
		table.push(n.name, pushed)
	}

	return err
}

// renderCaptured renders body and records the output when RenderBlocks
// asked for this block and no enclosing rendering of it is in progress.
func (n *blockNode) renderCaptured(s *state, w *strings.Builder, body nodeList) error {
	got, wanted := s.capture[n.name]
	if !wanted || got != nil || s.capturing[n.name] {
		return body.render(s, w)
	}

	s.capturing[n.name] = true
	out, err := body.renderString(s)
	s.capturing[n.name] = false
	if err != nil {
		return err
	}

	s.capture[n.name] = &out
	w.WriteString(out)

	return nil
}

// blockRef is the block variable inside a block: block.super renders the
// parent template's version of the block.
type blockRef struct {
	node      *blockNode
	state     *state
	inherited bool
}

// lookup resolves block.super; other attributes do not exist.
func (b *blockRef) lookup(name string) (any, error) {
	if name != "super" {
		return nil, errMissing
	}

	if !b.inherited {
		return nil, errors.New("block.super used in a template that extends nothing")
	}

	table, _ := b.state.renderData()[blockTableKey{}].(blockTable)
	if len(table[b.node.name]) == 0 {
		return SafeString(""), nil
	}

	out, err := b.node.renderString(b.state)
	if err != nil {
		return nil, err
	}

	return SafeString(out), nil
}

func (n *blockNode) renderString(s *state) (string, error) {
	var b strings.Builder
	err := n.render(s, &b)

	return b.String(), err
}
