package djtemplate

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// errMissing reports a variable or attribute that does not resolve. Django
// renders it as an empty string, or treats it as None inside {% if %}.
var errMissing = errors.New("djtemplate: variable does not exist")

// variable is a literal or a dotted lookup path such as user.name.0.
type variable struct {
	raw       string
	literal   any
	lookups   []string
	translate bool
}

// parseVariable parses a number, a quoted string, _("translated") or a
// dotted path, as Django's Variable does.
func parseVariable(s string) (*variable, error) {
	v := &variable{raw: s}
	if n, ok := parseNumber(s); ok {
		v.literal = n
		return v, nil
	}

	if strings.HasPrefix(s, "_(") && strings.HasSuffix(s, ")") && len(s) >= 3 {
		v.translate = true
		s = s[2 : len(s)-1]
	}

	if lit, ok := unquote(s); ok {
		v.literal = SafeString(lit)
		return v, nil
	}

	if s == "" || strings.Contains(s, "._") || s[0] == '_' {
		return nil, fmt.Errorf("variables and attributes may not begin with underscores: %q", s)
	}

	v.lookups = strings.Split(s, ".")

	return v, nil
}

// parseNumber parses s as Python's float() would and returns an int when
// s has no dot and no exponent, as Django does for number literals.
func parseNumber(s string) (any, bool) {
	if s == "" || strings.HasSuffix(s, ".") || strings.ContainsAny(s, "xXpP_") {
		return nil, false
	}

	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, false
	}

	lower := strings.ToLower(s)
	if strings.Contains(lower, ".") || strings.Contains(lower, "e") || math.IsInf(f, 0) || math.IsNaN(f) {
		return f, true
	}

	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}

	return f, true
}

// unquote returns the inside of a Django string literal, with \" (or \')
// and \\ unescaped.
func unquote(s string) (string, bool) {
	if s == "" || (s[0] != '"' && s[0] != '\'') || s[len(s)-1] != s[0] {
		return "", false
	}

	if len(s) == 1 {
		return "", true
	}

	q := string(s[0])
	inner := strings.ReplaceAll(s[1:len(s)-1], `\`+q, q)

	return strings.ReplaceAll(inner, `\\`, `\`), true
}

// resolve returns the value of v in the current context, or errMissing.
func (v *variable) resolve(s *state) (any, error) {
	if v.lookups == nil {
		return v.literal, nil
	}

	cur, ok := s.lookup(v.lookups[0])
	if !ok {
		return nil, errMissing
	}

	for _, bit := range v.lookups[1:] {
		if b, isBlock := cur.(*blockRef); isBlock {
			next, err := b.lookup(bit)
			if err != nil {
				return nil, err
			}
			cur = next
			continue
		}

		next, ok := lookupAttr(cur, bit)
		if !ok {
			return nil, errMissing
		}
		cur = next
	}

	if v.translate {
		return s.engine.translate(pyStr(cur)), nil
	}

	return normalize(cur), nil
}
