package djtemplate

import (
	"errors"
	"sort"
	"strconv"
	"strings"
)

func listFilters() map[string]*filterDef {
	return map[string]*filterDef{
		"length":           {fn: filterLength},
		"length_is":        {fn: filterLengthIs, arg: argRequired},
		"first":            {fn: filterFirst},
		"last":             {fn: filterLast, safe: true},
		"join":             {fn: filterJoin, arg: argRequired, safe: true},
		"slice":            {fn: filterSlice, arg: argRequired, safe: true},
		"dictsort":         {fn: dictSortFilter(false), arg: argRequired},
		"dictsortreversed": {fn: dictSortFilter(true), arg: argRequired},
	}
}

// sequence returns the items of a list, tuple or string for filters that
// index or slice.
func sequence(v any) ([]any, bool) {
	if s, ok := text(v); ok {
		return charsOf(s), true
	}

	if _, ok := dictFromGo(v); ok {
		return nil, false
	}

	return listFromGo(normalize(v))
}

func filterLength(_ *filterContext, v any) (any, error) {
	n, _ := pyLen(v)
	return n, nil
}

func filterLengthIs(fc *filterContext, v any) (any, error) {
	n, ok := pyLen(v)
	want, err := pyInt(fc.arg)
	if !ok || err != nil {
		return "", nil
	}

	return n == want, nil
}

func filterFirst(_ *filterContext, v any) (any, error) {
	items, ok := sequence(v)
	if !ok {
		return nil, errors.New("object is not subscriptable")
	}

	if len(items) == 0 {
		return "", nil
	}

	return items[0], nil
}

func filterLast(_ *filterContext, v any) (any, error) {
	items, ok := sequence(v)
	if !ok {
		return nil, errors.New("object is not subscriptable")
	}

	if len(items) == 0 {
		return "", nil
	}

	return items[len(items)-1], nil
}

// filterJoin joins items with the argument, escaping both when
// auto-escaping is on; a value that is not iterable is returned unchanged.
func filterJoin(fc *filterContext, v any) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return v, nil
	}

	parts := make([]string, len(items))
	for i, item := range items {
		if fc.autoescape() {
			parts[i] = string(conditionalEscape(item))
			continue
		}
		s, ok := text(item)
		if !ok {
			return v, nil
		}
		parts[i] = s
	}

	return SafeString(strings.Join(parts, string(conditionalEscape(fc.arg)))), nil
}

// filterSlice slices with Python's "start:stop:step" syntax and returns
// the value unchanged for an invalid slice.
func filterSlice(fc *filterContext, v any) (any, error) {
	bounds, err := parseSliceArg(pyStr(fc.arg))
	if err != nil {
		return v, nil
	}

	if s, ok := text(v); ok {
		picked := pySliceItems(charsOf(s), bounds)
		var b strings.Builder
		for _, c := range picked {
			b.WriteString(c.(string))
		}
		return b.String(), nil
	}

	items, ok := sequence(v)
	if !ok {
		return v, nil
	}

	out := pySliceItems(items, bounds)
	if _, isTuple := v.(Tuple); isTuple {
		return Tuple(out), nil
	}

	return out, nil
}

// sliceBounds holds start, stop and step, each possibly absent.
type sliceBounds struct {
	vals [3]int
	set  [3]bool
	n    int
}

func parseSliceArg(arg string) (sliceBounds, error) {
	var b sliceBounds
	parts := strings.Split(arg, ":")
	if len(parts) > 3 {
		return b, errConversion
	}

	b.n = len(parts)
	for i, p := range parts {
		if p == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return b, err
		}
		b.vals[i], b.set[i] = n, true
	}

	if b.n == 3 && b.set[2] && b.vals[2] == 0 {
		return b, errConversion
	}

	return b, nil
}

// pySliceItems applies Python's slice(*bits): one number is a stop.
func pySliceItems(items []any, b sliceBounds) []any {
	start, stop, step := 0, 0, 1
	hasStart, hasStop := b.set[0], b.set[1]
	if b.n == 1 {
		hasStart, hasStop, stop = false, b.set[0], b.vals[0]
	} else {
		start, stop = b.vals[0], b.vals[1]
	}

	if b.n == 3 && b.set[2] {
		step = b.vals[2]
	}

	return sliceIndices(items, start, stop, step, hasStart, hasStop)
}

func sliceIndices(items []any, start, stop, step int, hasStart, hasStop bool) []any {
	n := len(items)
	clamp := func(i, lo, hi int) int {
		if i < 0 {
			i += n
		}
		return min(max(i, lo), hi)
	}

	out := []any{}
	if step > 0 {
		lo, hi := 0, n
		if hasStart {
			lo = clamp(start, 0, n)
		}
		if hasStop {
			hi = clamp(stop, 0, n)
		}
		for i := lo; i < hi; i += step {
			out = append(out, items[i])
		}
		return out
	}

	hi, lo := n-1, -1
	if hasStart {
		hi = clamp(start, -1, n-1)
	}
	if hasStop {
		lo = clamp(stop, -1, n-1)
	}
	for i := hi; i > lo; i += step {
		out = append(out, items[i])
	}

	return out
}

// dictSortFilter sorts a list by a key path; it returns "" where Django's
// sorted() would raise.
func dictSortFilter(reverse bool) filterFunc {
	return func(fc *filterContext, v any) (any, error) {
		items, ok := listFromGo(normalize(v))
		if !ok {
			if _, isText := text(v); !isText {
				return "", nil
			}
			items = charsOf(pyStr(v))
		}

		keys, ok := sortKeys(items, pyStr(fc.arg))
		if !ok {
			return "", nil
		}

		return sortByKeys(items, keys, reverse)
	}
}

func sortKeys(items []any, path string) ([]any, bool) {
	if path == "" || path[0] == '_' || strings.Contains(path, "._") {
		return nil, false
	}

	keys := make([]any, len(items))
	for i, item := range items {
		cur := item
		for _, part := range strings.Split(path, ".") {
			next, ok := lookupAttr(cur, part)
			if !ok {
				return nil, false
			}
			cur = next
		}
		keys[i] = cur
	}

	return keys, true
}

func sortByKeys(items, keys []any, reverse bool) (any, error) {
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}

	comparable := true
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := keys[idx[a]], keys[idx[b]]
		if reverse {
			x, y = y, x
		}
		c, ok := pyCompare(x, y)
		if !ok {
			comparable = false
		}
		return c < 0
	})

	if !comparable && len(items) > 1 {
		return "", nil
	}

	out := make([]any, len(items))
	for i, j := range idx {
		out[i] = items[j]
	}

	return out, nil
}
