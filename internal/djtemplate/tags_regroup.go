package djtemplate

import (
	"errors"
	"strings"
)

// groupedResult is one group made by {% regroup %}: Python's namedtuple
// GroupedResult(grouper, list).
type groupedResult struct {
	grouper any
	list    []any
}

func (g *groupedResult) attr(name string) (any, bool) {
	switch name {
	case "grouper", "0":
		return g.grouper, true
	case "list", "1":
		return g.list, true
	}

	return nil, false
}

// String prints the group as Python prints the namedtuple.
func (g *groupedResult) String() string {
	return "GroupedResult(grouper=" + pyRepr(g.grouper) + ", list=" + pyRepr(g.list) + ")"
}

// regroupNode groups consecutive items of a list by a common attribute.
type regroupNode struct {
	target *filterExpr
	key    *filterExpr
	asVar  string
}

func compileRegroup(p *parser, _ *token, bits []string) (node, error) {
	if len(bits) != 6 {
		return nil, errors.New(`"regroup" tag takes five arguments`)
	}

	if bits[2] != "by" {
		return nil, errors.New(`second argument to "regroup" tag must be "by"`)
	}

	if bits[4] != "as" {
		return nil, errors.New(`next-to-last argument to "regroup" tag must be "as"`)
	}

	target, err := p.compileExpr(bits[1])
	if err != nil {
		return nil, err
	}

	key, err := p.compileExpr(bits[5] + "." + bits[3])
	if err != nil {
		return nil, err
	}

	return &regroupNode{target: target, key: key, asVar: bits[5]}, nil
}

func (n *regroupNode) render(s *state, _ *strings.Builder) error {
	v, err := n.target.resolve(s, true)
	if err != nil {
		return err
	}

	if v == nil {
		s.set(n.asVar, []any{})
		return nil
	}

	items, err := iterate(v)
	if err != nil {
		return err
	}

	groups := []any{}
	var last *groupedResult
	for _, item := range items {
		s.set(n.asVar, item)
		key, err := n.key.resolve(s, true)
		if err != nil {
			return err
		}

		if last == nil || !pyEqual(last.grouper, key) {
			last = &groupedResult{grouper: key}
			groups = append(groups, last)
		}
		last.list = append(last.list, item)
	}
	s.set(n.asVar, groups)

	return nil
}
