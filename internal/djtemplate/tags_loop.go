package djtemplate

import (
	"errors"
	"fmt"
	"strings"
)

// cycleNode prints its values in turn, one per rendering.
type cycleNode struct {
	values []*filterExpr
	asVar  string
	silent bool
}

// cycleState is the render-data key of a cycle's position.
type cycleState struct{ node *cycleNode }

func compileCycle(p *parser, _ *token, bits []string) (node, error) {
	if len(bits) < 2 {
		return nil, errors.New(`"cycle" tag requires at least two arguments`)
	}

	if len(bits) == 2 {
		named, ok := p.namedCycles()[bits[1]]
		if !ok {
			return nil, fmt.Errorf("named cycle %q does not exist", bits[1])
		}
		return named, nil
	}

	n := &cycleNode{}
	args := bits[1:]
	if len(bits) > 4 {
		switch {
		case bits[len(bits)-3] == "as":
			if bits[len(bits)-1] != "silent" {
				return nil, fmt.Errorf("only \"silent\" is allowed after the cycle's name, not %q", bits[len(bits)-1])
			}
			n.asVar, n.silent, args = bits[len(bits)-2], true, bits[1:len(bits)-3]
		case bits[len(bits)-2] == "as":
			n.asVar, args = bits[len(bits)-1], bits[1:len(bits)-2]
		}
	}

	for _, a := range args {
		e, err := p.compileExpr(a)
		if err != nil {
			return nil, err
		}
		n.values = append(n.values, e)
	}

	if n.asVar != "" {
		p.namedCycles()[n.asVar] = n
	}

	return n, nil
}

func (p *parser) namedCycles() map[string]*cycleNode {
	if p.cycles == nil {
		p.cycles = map[string]*cycleNode{}
	}

	return p.cycles
}

func (n *cycleNode) render(s *state, w *strings.Builder) error {
	data := s.renderData()
	pos, _ := data[cycleState{n}].(int)
	data[cycleState{n}] = pos + 1

	v, err := n.values[pos%len(n.values)].resolve(s, false)
	if err != nil {
		return err
	}

	if n.asVar != "" {
		s.setUpward(n.asVar, v)
	}

	if !n.silent {
		w.WriteString(s.display(v))
	}

	return nil
}

// setUpward stores name in the innermost scope that already has it, or
// in the innermost scope.
func (s *state) setUpward(name string, v any) {
	for i := len(s.stack) - 1; i >= 0; i-- {
		if _, ok := s.stack[i][name]; ok {
			s.stack[i][name] = v
			return
		}
	}

	s.set(name, v)
}

// ifChangedNode renders its body when the body output, or the given
// values, differ from the previous loop iteration.
type ifChangedNode struct {
	exprs     []*filterExpr
	body      nodeList
	otherwise nodeList
}

func compileIfChanged(p *parser, tok *token, bits []string) (node, error) {
	n := &ifChangedNode{}
	for _, b := range bits[1:] {
		e, err := p.compileExpr(b)
		if err != nil {
			return nil, err
		}
		n.exprs = append(n.exprs, e)
	}

	body, end, err := p.parseUntil(tok, "else", "endifchanged")
	if err != nil {
		return nil, err
	}
	n.body = body

	if end.contents == "else" {
		n.otherwise, _, err = p.parseUntil(tok, "endifchanged")
	}

	return n, err
}

func (n *ifChangedNode) render(s *state, w *strings.Builder) error {
	states := s.renderData()
	if loop, ok := s.lookupLoop(); ok {
		if loop.changed == nil {
			loop.changed = map[node]any{}
		}
		states = map[any]any{}
		defer func() { loop.changed[n] = states[n] }()
		states[n] = loop.changed[n]
	}

	current, output, err := n.compareValue(s)
	if err != nil {
		return err
	}

	if prev, seen := states[n]; seen && pyEqual(prev, current) {
		return n.otherwise.render(s, w)
	}
	states[n] = current

	if output != "" {
		w.WriteString(output)
		return nil
	}

	return n.body.render(s, w)
}

// compareValue returns what ifchanged compares: the listed values, or the
// rendered body when there are none.
func (n *ifChangedNode) compareValue(s *state) (any, string, error) {
	if len(n.exprs) == 0 {
		out, err := n.body.renderString(s)
		return out, out, err
	}

	values := make([]any, len(n.exprs))
	for i, e := range n.exprs {
		v, err := e.resolve(s, true)
		if err != nil {
			return nil, "", err
		}
		values[i] = v
	}

	return values, "", nil
}

func (s *state) lookupLoop() (*loopInfo, bool) {
	v, _ := s.lookup("forloop")
	loop, ok := v.(*loopInfo)

	return loop, ok
}

// ifEqualNode is the ifequal and ifnotequal tag.
type ifEqualNode struct {
	negate    bool
	a, b      *filterExpr
	body      nodeList
	otherwise nodeList
}

func compileIfEqual(p *parser, tok *token, bits []string) (node, error) {
	if len(bits) != 3 {
		return nil, fmt.Errorf("%q takes two arguments", bits[0])
	}

	n := &ifEqualNode{negate: bits[0] == "ifnotequal"}
	var err error
	if n.a, err = p.compileExpr(bits[1]); err != nil {
		return nil, err
	}
	if n.b, err = p.compileExpr(bits[2]); err != nil {
		return nil, err
	}

	endTag := "end" + bits[0]
	body, end, err := p.parseUntil(tok, "else", endTag)
	if err != nil {
		return nil, err
	}
	n.body = body

	if end.contents == "else" {
		n.otherwise, _, err = p.parseUntil(tok, endTag)
	}

	return n, err
}

func (n *ifEqualNode) render(s *state, w *strings.Builder) error {
	a, err := n.a.resolve(s, true)
	if err != nil {
		return err
	}

	b, err := n.b.resolve(s, true)
	if err != nil {
		return err
	}

	if pyEqual(a, b) != n.negate {
		return n.body.render(s, w)
	}

	return n.otherwise.render(s, w)
}
