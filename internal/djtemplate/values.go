package djtemplate

import (
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Tuple is a Python tuple: it prints as "(a, b)" and is what dict.items
// yields in a for loop.
type Tuple []any

// normalize converts Go numeric kinds to int or float64, the two number
// types the engine works with, and leaves every other value unchanged.
func normalize(v any) any {
	switch n := v.(type) {
	case nil, bool, int, float64, string, SafeString:
		return v
	case int8:
		return int(n)
	case int16:
		return int(n)
	case int32:
		return int(n)
	case int64:
		return int(n)
	case uint:
		return int(n)
	case uint8:
		return int(n)
	case uint16:
		return int(n)
	case uint32:
		return int(n)
	case uint64:
		return int(n)
	case float32:
		return float64(n)
	}

	return v
}

// pyStr formats v as Python's str() does.
func pyStr(v any) string {
	switch x := normalize(v).(type) {
	case nil:
		return "None"
	case string:
		return x
	case SafeString:
		return string(x)
	case time.Time:
		return pyDatetimeStr(x)
	}

	return pyRepr(v)
}

// pyRepr formats v as Python's repr() does.
func pyRepr(v any) string {
	var b strings.Builder
	writeRepr(&b, normalize(v))
	return b.String()
}

func writeRepr(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		b.WriteString(pyBoolStr(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case float64:
		b.WriteString(pyFloatRepr(x))
	case string:
		b.WriteString(pyQuote(x))
	case SafeString:
		b.WriteString(pyQuote(string(x)))
	case []any:
		writeSeq(b, "[", "]", x)
	case Tuple:
		writeTuple(b, x)
	case *Dict:
		writeDict(b, x)
	case time.Time:
		b.WriteString(pyDatetimeRepr(x))
	case *dictView:
		b.WriteString(x.String())
	default:
		writeReflectRepr(b, v)
	}
}

func writeSeq(b *strings.Builder, open, closing string, items []any) {
	b.WriteString(open)
	for i, item := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		writeRepr(b, normalize(item))
	}
	b.WriteString(closing)
}

func writeTuple(b *strings.Builder, t Tuple) {
	if len(t) == 1 {
		b.WriteString("(")
		writeRepr(b, normalize(t[0]))
		b.WriteString(",)")
		return
	}
	writeSeq(b, "(", ")", t)
}

func writeDict(b *strings.Builder, d *Dict) {
	b.WriteString("{")
	for i, k := range d.keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyQuote(k))
		b.WriteString(": ")
		writeRepr(b, normalize(d.values[k]))
	}
	b.WriteString("}")
}

// writeReflectRepr prints Go maps and slices that did not come from JSON.
func writeReflectRepr(b *strings.Builder, v any) {
	if d, ok := dictFromGo(v); ok {
		writeDict(b, d)
		return
	}
	if items, ok := listFromGo(v); ok {
		writeSeq(b, "[", "]", items)
		return
	}
	if s, ok := v.(interface{ String() string }); ok {
		b.WriteString(s.String())
		return
	}
	b.WriteString(reflect.ValueOf(v).Kind().String())
}

func pyBoolStr(b bool) string {
	if b {
		return "True"
	}

	return "False"
}

// pyFloatRepr formats f as Python's repr(float): the shortest digits that
// round-trip, in fixed notation for exponents from -4 to 15, else in
// scientific notation with a two-digit exponent.
func pyFloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}

	sci := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(sci[strings.IndexByte(sci, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return sci
	}

	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}

	return s
}

// pyQuote quotes s as Python's repr(str) does.
func pyQuote(s string) string {
	quote := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}

	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x` + hex2(int(r)))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)

	return b.String()
}

func hex2(n int) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[n>>4&0xf], digits[n&0xf]})
}

// truthy reports whether v is true in a Python boolean context.
func truthy(v any) bool {
	switch x := normalize(v).(type) {
	case nil:
		return false
	case bool:
		return x
	case int:
		return x != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case SafeString:
		return x != ""
	case []any:
		return len(x) > 0
	case Tuple:
		return len(x) > 0
	case *Dict:
		return x.Len() > 0
	case time.Time:
		return true
	case *dictView:
		return len(x.items) > 0
	}

	if n, ok := pyLen(v); ok {
		return n > 0
	}

	return true
}

// pyLen returns len(v) and whether v has a length.
func pyLen(v any) (int, bool) {
	switch x := normalize(v).(type) {
	case string:
		return len([]rune(x)), true
	case SafeString:
		return len([]rune(string(x))), true
	case []any:
		return len(x), true
	case Tuple:
		return len(x), true
	case *Dict:
		return x.Len(), true
	case *dictView:
		return len(x.items), true
	}

	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.String:
		return rv.Len(), true
	}

	return 0, false
}

// sortedKeys returns the keys of a Go map with string keys, sorted.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	return keys
}
