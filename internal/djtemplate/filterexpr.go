package djtemplate

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// filterExpr is a variable followed by filters: value|filter:arg|filter.
type filterExpr struct {
	raw     string
	value   *variable
	filters []filterCall
}

// filterCall is one filter application with its optional argument.
type filterCall struct {
	name string
	def  *filterDef
	arg  *variable
}

// compileFilterExpr parses a filter expression with the grammar of
// Django's FilterExpression: a literal or dotted name first, then any
// number of "|name" or "|name:argument" with a literal or dotted argument.
func (e *Engine) compileFilterExpr(s string) (*filterExpr, error) {
	fe := &filterExpr{raw: s}
	head := matchConstant(s, 0)
	if head < 0 {
		head = matchVarOrNumber(s, 0)
	}

	if head <= 0 {
		return nil, fmt.Errorf("could not find variable at start of %q", s)
	}

	v, err := parseVariable(s[:head])
	if err != nil {
		return nil, err
	}
	fe.value = v

	for pos := head; pos < len(s); {
		call, next, err := e.parseFilterCall(s, pos)
		if err != nil {
			return nil, err
		}
		fe.filters = append(fe.filters, call)
		pos = next
	}

	return fe, nil
}

// parseFilterCall parses "|name" or "|name:arg" at s[pos:], allowing
// spaces around the bar.
func (e *Engine) parseFilterCall(s string, pos int) (filterCall, int, error) {
	remainder := fmt.Errorf("could not parse the remainder: %q from %q", s[pos:], s)
	i := skipSpace(s, pos)
	if i >= len(s) || s[i] != '|' {
		return filterCall{}, 0, remainder
	}

	i = skipSpace(s, i+1)
	nameEnd := i
	for nameEnd < len(s) && isWordByte(s, nameEnd) {
		_, size := utf8.DecodeRuneInString(s[nameEnd:])
		nameEnd += size
	}

	if nameEnd == i {
		return filterCall{}, 0, remainder
	}

	call := filterCall{name: s[i:nameEnd]}
	def, ok := e.filters[call.name]
	if !ok {
		return filterCall{}, 0, fmt.Errorf("%w filter %q", ErrUnsupported, call.name)
	}
	call.def = def

	end, err := parseFilterArg(s, nameEnd, &call)
	if err != nil {
		return filterCall{}, 0, err
	}

	if err := checkFilterArgs(call); err != nil {
		return filterCall{}, 0, err
	}

	return call, end, nil
}

// parseFilterArg parses the optional ":arg" after a filter name.
func parseFilterArg(s string, pos int, call *filterCall) (int, error) {
	if pos >= len(s) || s[pos] != ':' {
		return pos, nil
	}

	end := matchConstant(s, pos+1)
	if end < 0 {
		end = matchVarOrNumber(s, pos+1)
	}

	if end <= pos+1 {
		// Django's grammar leaves the colon unmatched, which fails below.
		return pos, nil
	}

	arg, err := parseVariable(s[pos+1 : end])
	if err != nil {
		return 0, err
	}
	call.arg = arg

	return end, nil
}

func checkFilterArgs(call filterCall) error {
	switch {
	case call.def.arg == argNone && call.arg != nil:
		return fmt.Errorf("filter %q requires 1 argument, 2 provided", call.name)
	case call.def.arg == argRequired && call.arg == nil:
		return fmt.Errorf("filter %q requires 2 arguments, 1 provided", call.name)
	}

	return nil
}

func skipSpace(s string, i int) int {
	for i < len(s) && unicode.IsSpace(rune(s[i])) {
		i++
	}

	return i
}

func isWordByte(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// matchConstant matches a quoted string or _("quoted string") at s[pos:]
// and returns its end, or -1.
func matchConstant(s string, pos int) int {
	if strings.HasPrefix(s[pos:], "_(") {
		end := matchQuoted(s, pos+2)
		if end > 0 && end < len(s) && s[end] == ')' {
			return end + 1
		}
		return -1
	}

	return matchQuoted(s, pos)
}

func matchQuoted(s string, pos int) int {
	if pos >= len(s) || (s[pos] != '"' && s[pos] != '\'') {
		return -1
	}

	q := s[pos]
	for i := pos + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i + 1
		}
	}

	return -1
}

// matchVarOrNumber matches a run of word characters and dots, or a number
// with an optional sign, at s[pos:] and returns its end, or -1.
func matchVarOrNumber(s string, pos int) int {
	i := pos
	for i < len(s) && (s[i] == '.' || isWordByte(s, i)) {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}

	if i > pos {
		return i
	}

	if i < len(s) && strings.ContainsRune("-+.", rune(s[i])) {
		i++
	}

	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return -1
	}

	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == 'e') {
		i++
	}

	return i
}

// resolve evaluates the expression. A value that does not resolve becomes
// "" before the filters run, or nil when ignoreFailures is set, as in
// Django; an argument that does not resolve is an error.
func (fe *filterExpr) resolve(s *state, ignoreFailures bool) (any, error) {
	obj, err := fe.value.resolve(s)
	if errors.Is(err, errMissing) {
		if ignoreFailures {
			obj = nil
		} else {
			obj = ""
		}
	} else if err != nil {
		return nil, err
	}

	for _, call := range fe.filters {
		obj, err = applyFilter(s, call, obj)
		if err != nil {
			return nil, err
		}
	}

	return obj, nil
}

func applyFilter(s *state, call filterCall, obj any) (any, error) {
	fc := &filterContext{state: s, name: call.name, hasArg: call.arg != nil}
	if call.arg != nil {
		arg, err := call.arg.resolve(s)
		if err != nil {
			return nil, fmt.Errorf("resolving argument %q of filter %q: %w", call.arg.raw, call.name, err)
		}
		fc.arg = arg
	}

	out, err := call.def.fn(fc, obj)
	if err != nil {
		return nil, fmt.Errorf("filter %q: %w", call.name, err)
	}

	if call.def.safe && isSafe(obj) {
		return markSafe(out), nil
	}

	return out, nil
}
