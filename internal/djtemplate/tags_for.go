package djtemplate

import (
	"fmt"
	"regexp"
	"strings"
)

// loopInfo is the forloop variable: Django's forloop dict with counter,
// counter0, revcounter, revcounter0, first, last and parentloop.
type loopInfo struct {
	counter0 int
	length   int
	parent   any
	// changed stores {% ifchanged %} state for the loop, keyed by node.
	changed map[node]any
}

func (l *loopInfo) attr(name string) (any, bool) {
	switch name {
	case "counter0":
		return l.counter0, true
	case "counter":
		return l.counter0 + 1, true
	case "revcounter":
		return l.length - l.counter0, true
	case "revcounter0":
		return l.length - l.counter0 - 1, true
	case "first":
		return l.counter0 == 0, true
	case "last":
		return l.counter0 == l.length-1, true
	case "parentloop":
		return l.parent, true
	}

	return nil, false
}

// String prints forloop as Django prints the dict.
func (l *loopInfo) String() string {
	d := NewDict()
	d.Set("parentloop", l.parent)
	for _, k := range []string{"counter0", "counter", "revcounter", "revcounter0", "first", "last"} {
		v, _ := l.attr(k)
		d.Set(k, v)
	}

	return pyRepr(d)
}

// forNode loops over a sequence, with an optional {% empty %} branch.
type forNode struct {
	loopVars []string
	seq      *filterExpr
	reversed bool
	body     nodeList
	empty    nodeList
}

var loopVarSplit = regexp.MustCompile(` *, *`)

func compileFor(p *parser, tok *token, bits []string) (node, error) {
	if len(bits) < 4 {
		return nil, fmt.Errorf("\"for\" statements should have at least four words: %s", tok.contents)
	}

	n := &forNode{reversed: bits[len(bits)-1] == "reversed"}
	in := len(bits) - 2
	if n.reversed {
		in--
	}

	if bits[in] != "in" {
		return nil, fmt.Errorf("\"for\" statements should use the format \"for x in y\": %s", tok.contents)
	}

	for _, v := range loopVarSplit.Split(strings.Join(bits[1:in], " "), -1) {
		if v == "" || strings.ContainsAny(v, ` "'|`) {
			return nil, fmt.Errorf("\"for\" tag received an invalid argument: %s", tok.contents)
		}
		n.loopVars = append(n.loopVars, v)
	}

	seq, err := p.compileExpr(bits[in+1])
	if err != nil {
		return nil, err
	}
	n.seq = seq

	return n, p.parseForBody(tok, n)
}

func (p *parser) parseForBody(tok *token, n *forNode) error {
	body, end, err := p.parseUntil(tok, "empty", "endfor")
	if err != nil {
		return err
	}
	n.body = body

	if end.contents != "empty" {
		return nil
	}

	n.empty, _, err = p.parseUntil(tok, "endfor")

	return err
}

func (n *forNode) render(s *state, w *strings.Builder) error {
	parent, ok := s.lookup("forloop")
	if !ok {
		parent = NewDict()
	}

	s.push(nil)
	defer s.pop()

	v, err := n.seq.resolve(s, true)
	if err != nil {
		return err
	}

	items, err := iterate(v)
	if err != nil {
		return err
	}

	if len(items) == 0 {
		return n.empty.render(s, w)
	}

	if n.reversed {
		items = reversedCopy(items)
	}

	loop := &loopInfo{length: len(items), parent: parent}
	s.set("forloop", loop)

	for i, item := range items {
		loop.counter0 = i
		if err := n.renderItem(s, w, item); err != nil {
			return err
		}
	}

	return nil
}

func (n *forNode) renderItem(s *state, w *strings.Builder, item any) error {
	if len(n.loopVars) == 1 {
		s.set(n.loopVars[0], item)
		return n.body.render(s, w)
	}

	values, ok := listFromGo(normalize(item))
	if g, isGroup := item.(*groupedResult); isGroup {
		values, ok = []any{g.grouper, g.list}, true
	}
	if !ok {
		if str, isText := text(item); isText {
			values = charsOf(str)
		} else {
			values = []any{item}
		}
	}

	if len(values) != len(n.loopVars) {
		return fmt.Errorf("need %d values to unpack in for loop; got %d", len(n.loopVars), len(values))
	}

	scope := make(map[string]any, len(values))
	for i, name := range n.loopVars {
		scope[name] = values[i]
	}

	s.push(scope)
	defer s.pop()

	return n.body.render(s, w)
}

// iterate returns the items a Python for loop over v visits: nothing for
// None, the characters of a string, the keys of a dict.
func iterate(v any) ([]any, error) {
	switch x := normalize(v).(type) {
	case nil:
		return nil, nil
	case string:
		return charsOf(x), nil
	case SafeString:
		return charsOf(string(x)), nil
	}

	if d, ok := dictFromGo(v); ok {
		keys := make([]any, len(d.keys))
		for i, k := range d.keys {
			keys[i] = k
		}
		return keys, nil
	}

	if items, ok := listFromGo(v); ok {
		return items, nil
	}

	return nil, fmt.Errorf("%s object is not iterable", pyTypeName(v))
}

func charsOf(s string) []any {
	out := make([]any, 0, len(s))
	for _, r := range s {
		out = append(out, string(r))
	}

	return out
}

func reversedCopy(items []any) []any {
	out := make([]any, len(items))
	for i, item := range items {
		out[len(items)-1-i] = item
	}

	return out
}

// pyTypeName returns the Python type name of v for error messages.
func pyTypeName(v any) string {
	switch normalize(v).(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int:
		return "int"
	case float64:
		return "float"
	case string, SafeString:
		return "str"
	case []any:
		return "list"
	case Tuple:
		return "tuple"
	case *Dict:
		return "dict"
	}

	return fmt.Sprintf("%T", v)
}
