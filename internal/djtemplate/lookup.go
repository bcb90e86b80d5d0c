package djtemplate

import (
	"reflect"
	"strconv"
	"strings"
	"unicode"
)

// lookupAttr resolves one dotted step the way Django does: a dict key
// first, then an attribute or a method called without arguments, then a
// list index.
func lookupAttr(cur any, bit string) (any, bool) {
	switch x := normalize(cur).(type) {
	case *Dict:
		if v, ok := x.Get(bit); ok {
			return v, true
		}
		return dictMethod(x, bit)
	case map[string]any:
		if v, ok := x[bit]; ok {
			return v, true
		}
		d, _ := dictFromGo(x)
		return dictMethod(d, bit)
	case Context:
		v, ok := x[bit]
		return v, ok
	case *loopInfo:
		return x.attr(bit)
	case *groupedResult:
		return x.attr(bit)
	case string:
		return stringAttr(x, bit)
	case SafeString:
		return stringAttr(string(x), bit)
	}

	if items, ok := listFromGo(cur); ok {
		return indexList(items, bit)
	}

	return reflectAttr(cur, bit)
}

// dictMethod evaluates the dict methods a template can call without
// arguments.
func dictMethod(d *Dict, name string) (any, bool) {
	switch name {
	case "items":
		items := make([]any, 0, d.Len())
		for _, k := range d.keys {
			items = append(items, Tuple{k, d.values[k]})
		}
		return &dictView{kind: "items", items: items}, true
	case "keys":
		keys := make([]any, 0, d.Len())
		for _, k := range d.keys {
			keys = append(keys, k)
		}
		return &dictView{kind: "keys", items: keys}, true
	case "values":
		values := make([]any, 0, d.Len())
		for _, k := range d.keys {
			values = append(values, d.values[k])
		}
		return &dictView{kind: "values", items: values}, true
	}

	return nil, false
}

// stringAttr evaluates the str methods a template can call without
// arguments, and indexes the string by character.
func stringAttr(s, name string) (any, bool) {
	switch name {
	case "upper":
		return strings.ToUpper(s), true
	case "lower":
		return strings.ToLower(s), true
	case "strip":
		return strings.TrimSpace(s), true
	case "capitalize":
		return pyCapitalize(s), true
	case "isdigit":
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0, true
	case "split":
		parts := strings.Fields(s)
		out := make([]any, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out, true
	}

	runes := []rune(s)
	i, err := strconv.Atoi(name)
	if err != nil || i < 0 || i >= len(runes) {
		return nil, false
	}

	return string(runes[i]), true
}

// pyCapitalize upper-cases the first character and lower-cases the rest,
// as Python's str.capitalize does.
func pyCapitalize(s string) string {
	runes := []rune(strings.ToLower(s))
	if len(runes) > 0 {
		runes[0] = unicode.ToUpper(runes[0])
	}

	return string(runes)
}

func indexList(items []any, bit string) (any, bool) {
	i, err := strconv.Atoi(bit)
	if err != nil || i < 0 || i >= len(items) {
		return nil, false
	}

	return items[i], true
}

// reflectAttr reads an exported field or a map key of a Go value.
func reflectAttr(cur any, bit string) (any, bool) {
	rv := reflect.ValueOf(cur)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil, false
		}
		rv = rv.Elem()
	}

	switch rv.Kind() {
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, false
		}
		v := rv.MapIndex(reflect.ValueOf(bit).Convert(rv.Type().Key()))
		if !v.IsValid() {
			return nil, false
		}
		return v.Interface(), true
	case reflect.Struct:
		f := rv.FieldByName(bit)
		if !f.IsValid() || !f.CanInterface() {
			return nil, false
		}
		return f.Interface(), true
	}

	return nil, false
}
