package djtemplate

import (
	"errors"
	"fmt"
)

// condition is a compiled {% if %} expression, parsed by precedence
// climbing with the operators and binding powers of Django's smartif.
type condition interface {
	eval(s *state) (any, error)
}

var infixPower = map[string]int{
	"or": 6, "and": 7, "in": 9, "not in": 9, "is": 10, "is not": 10,
	"==": 10, "!=": 10, ">": 10, ">=": 10, "<": 10, "<=": 10,
}

const notPower = 8

type ifParser struct {
	p      *parser
	tokens []string
	pos    int
}

// parseCondition compiles the words after "if" or "elif".
func (p *parser) parseCondition(words []string) (condition, error) {
	ip := &ifParser{p: p}
	for i := 0; i < len(words); i++ {
		w := words[i]
		if i+1 < len(words) && (w == "is" && words[i+1] == "not" || w == "not" && words[i+1] == "in") {
			w += " " + words[i+1]
			i++
		}
		ip.tokens = append(ip.tokens, w)
	}

	c, err := ip.expression(0)
	if err != nil {
		return nil, err
	}

	if ip.pos < len(ip.tokens) {
		return nil, fmt.Errorf("unused %q at end of if expression", ip.tokens[ip.pos])
	}

	return c, nil
}

func (ip *ifParser) peekPower() int {
	if ip.pos >= len(ip.tokens) {
		return 0
	}

	return infixPower[ip.tokens[ip.pos]]
}

func (ip *ifParser) expression(rbp int) (condition, error) {
	left, err := ip.prefix()
	if err != nil {
		return nil, err
	}

	for rbp < ip.peekPower() {
		op := ip.tokens[ip.pos]
		ip.pos++

		right, err := ip.expression(infixPower[op])
		if err != nil {
			return nil, err
		}
		left = &binaryCond{op: op, left: left, right: right}
	}

	return left, nil
}

func (ip *ifParser) prefix() (condition, error) {
	if ip.pos >= len(ip.tokens) {
		return nil, errors.New("unexpected end of expression in if tag")
	}

	tok := ip.tokens[ip.pos]
	ip.pos++

	if tok == "not" {
		operand, err := ip.expression(notPower)
		if err != nil {
			return nil, err
		}
		return &notCond{operand: operand}, nil
	}

	if _, ok := infixPower[tok]; ok {
		return nil, fmt.Errorf("not expecting %q in this position in if tag", tok)
	}

	expr, err := ip.p.compileExpr(tok)
	if err != nil {
		return nil, err
	}

	return &literalCond{expr: expr}, nil
}

type literalCond struct{ expr *filterExpr }

func (c *literalCond) eval(s *state) (any, error) {
	return c.expr.resolve(s, true)
}

type notCond struct{ operand condition }

func (c *notCond) eval(s *state) (any, error) {
	v, err := c.operand.eval(s)
	if err != nil {
		return false, nil
	}

	return !truthy(v), nil
}

type binaryCond struct {
	op          string
	left, right condition
}

// eval applies the operator. As in Django, any error while evaluating an
// operator's operands makes the operator false.
func (c *binaryCond) eval(s *state) (any, error) {
	x, err := c.left.eval(s)
	if err != nil {
		return false, nil
	}

	switch c.op {
	case "or":
		if truthy(x) {
			return x, nil
		}
		return c.evalRight(s)
	case "and":
		if !truthy(x) {
			return x, nil
		}
		return c.evalRight(s)
	}

	y, err := c.right.eval(s)
	if err != nil {
		return false, nil
	}

	return compareValues(c.op, x, y), nil
}

func (c *binaryCond) evalRight(s *state) (any, error) {
	y, err := c.right.eval(s)
	if err != nil {
		return false, nil
	}

	return y, nil
}

// compareValues applies a comparison operator with Python semantics; a
// comparison Python would reject with TypeError is false.
func compareValues(op string, x, y any) bool {
	switch op {
	case "==":
		return pyEqual(x, y)
	case "!=":
		return !pyEqual(x, y)
	case "in":
		in, ok := pyContains(y, x)
		return ok && in
	case "not in":
		in, ok := pyContains(y, x)
		return ok && !in
	case "is":
		return pyIs(x, y)
	case "is not":
		return !pyIs(x, y)
	}

	cmp, ok := pyCompare(x, y)
	if !ok {
		return false
	}

	switch op {
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	case ">":
		return cmp > 0
	}

	return cmp >= 0
}
