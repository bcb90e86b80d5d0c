package djtemplate

import (
	"strings"
	"time"
)

// number returns v as a float64 when it is a Python number; bool counts
// as a number, as in Python.
func number(v any) (float64, bool) {
	switch x := normalize(v).(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}

	return 0, false
}

// text returns v as a Go string when it is a Python str.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case SafeString:
		return string(x), true
	}

	return "", false
}

// pyEqual compares with Python's == semantics: 1 == 1.0 == True, and
// values of unrelated types are unequal.
func pyEqual(x, y any) bool {
	x, y = normalize(x), normalize(y)
	if a, ok := number(x); ok {
		b, ok := number(y)
		return ok && a == b
	}

	if a, ok := text(x); ok {
		b, ok := text(y)
		return ok && a == b
	}

	switch a := x.(type) {
	case nil:
		return y == nil
	case []any:
		b, ok := y.([]any)
		return ok && seqEqual(a, b)
	case Tuple:
		b, ok := y.(Tuple)
		return ok && seqEqual(a, b)
	case *Dict:
		b, ok := y.(*Dict)
		return ok && dictEqual(a, b)
	case time.Time:
		b, ok := y.(time.Time)
		return ok && a.Equal(b)
	}

	return x == y
}

func seqEqual(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}

	for i := range a {
		if !pyEqual(a[i], b[i]) {
			return false
		}
	}

	return true
}

func dictEqual(a, b *Dict) bool {
	if a.Len() != b.Len() {
		return false
	}

	for _, k := range a.keys {
		v, ok := b.Get(k)
		if !ok || !pyEqual(a.values[k], v) {
			return false
		}
	}

	return true
}

// pyCompare orders x and y as Python does; ok is false where Python raises
// TypeError.
func pyCompare(x, y any) (int, bool) {
	if a, ok := number(x); ok {
		b, ok := number(y)
		return cmpFloat(a, b), ok
	}

	if a, ok := text(x); ok {
		b, ok := text(y)
		return strings.Compare(a, b), ok
	}

	switch a := normalize(x).(type) {
	case []any:
		b, ok := normalize(y).([]any)
		if !ok {
			return 0, false
		}
		return compareSeq(a, b)
	case Tuple:
		b, ok := normalize(y).(Tuple)
		if !ok {
			return 0, false
		}
		return compareSeq(a, b)
	case time.Time:
		b, ok := y.(time.Time)
		return a.Compare(b), ok
	}

	return 0, false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}

	return 0
}

func compareSeq(a, b []any) (int, bool) {
	for i := 0; i < len(a) && i < len(b); i++ {
		if pyEqual(a[i], b[i]) {
			continue
		}
		return pyCompare(a[i], b[i])
	}

	return cmpFloat(float64(len(a)), float64(len(b))), true
}

// pyContains evaluates "item in container"; ok is false where Python
// raises TypeError.
func pyContains(container, item any) (bool, bool) {
	if s, ok := text(container); ok {
		sub, ok := text(item)
		return ok && strings.Contains(s, sub), ok
	}

	if d, ok := dictFromGo(container); ok {
		key, ok := text(item)
		if !ok {
			return false, isHashable(item)
		}
		_, found := d.Get(key)
		return found, true
	}

	if items, ok := listFromGo(container); ok {
		for _, v := range items {
			if pyEqual(v, item) {
				return true, true
			}
		}
		return false, true
	}

	return false, false
}

func isHashable(v any) bool {
	switch normalize(v).(type) {
	case []any, *Dict, map[string]any:
		return false
	}

	return true
}

// pyIs approximates Python's identity test for the values where it is
// predictable: None, True and False are singletons.
func pyIs(x, y any) bool {
	switch a := normalize(x).(type) {
	case nil:
		return y == nil
	case bool:
		b, ok := y.(bool)
		return ok && a == b
	}

	return false
}
