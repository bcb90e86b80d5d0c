package djtemplate

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

func stringFilters() map[string]*filterDef {
	return map[string]*filterDef{
		"lower":         {fn: strFilter(strings.ToLower), safe: true},
		"upper":         {fn: strFilter(strings.ToUpper)},
		"title":         {fn: strFilter(djangoTitle), safe: true},
		"capfirst":      {fn: strFilter(capFirst), safe: true},
		"addslashes":    {fn: strFilter(addSlashes), safe: true},
		"make_list":     {fn: filterMakeList},
		"wordcount":     {fn: filterWordCount},
		"cut":           {fn: filterCut, arg: argRequired},
		"ljust":         {fn: padFilter(padRight), arg: argRequired, safe: true},
		"rjust":         {fn: padFilter(padLeft), arg: argRequired, safe: true},
		"center":        {fn: padFilter(padCenter), arg: argRequired, safe: true},
		"truncatechars": {fn: filterTruncateChars, arg: argRequired, safe: true},
		"truncatewords": {fn: filterTruncateWords, arg: argRequired, safe: true},
		"slugify":       {fn: strFilter(slugify), safe: true},
	}
}

// strFilter adapts a string function to a filter that first converts its
// input with str(), like Django's stringfilter decorator.
func strFilter(fn func(string) string) filterFunc {
	return func(_ *filterContext, v any) (any, error) {
		return fn(pyStr(v)), nil
	}
}

var (
	titleApostrophe = regexp.MustCompile(`([a-z])'([A-Z])`)
	titleDigit      = regexp.MustCompile(`\d([A-Z])`)
)

// djangoTitle applies Python's str.title and then Django's fixes for
// apostrophes and digits.
func djangoTitle(s string) string {
	t := titleApostrophe.ReplaceAllStringFunc(pyTitle(s), strings.ToLower)
	return titleDigit.ReplaceAllStringFunc(t, strings.ToLower)
}

// pyTitle upper-cases each letter that follows a non-letter and lower-cases
// the others, as Python's str.title does.
func pyTitle(s string) string {
	var b strings.Builder
	prevCased := false
	for _, r := range s {
		cased := unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r)
		switch {
		case cased && prevCased:
			b.WriteRune(unicode.ToLower(r))
		case cased:
			b.WriteRune(unicode.ToTitle(r))
		default:
			b.WriteRune(r)
		}
		prevCased = cased
	}

	return b.String()
}

func capFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}

	return string(unicode.ToUpper(r)) + s[size:]
}

var slashReplacer = strings.NewReplacer(`\`, `\\`, `"`, `\"`, `'`, `\'`)

func addSlashes(s string) string { return slashReplacer.Replace(s) }

func filterMakeList(_ *filterContext, v any) (any, error) {
	return charsOf(pyStr(v)), nil
}

func filterWordCount(_ *filterContext, v any) (any, error) {
	return len(strings.Fields(pyStr(v))), nil
}

func filterCut(fc *filterContext, v any) (any, error) {
	arg, ok := text(fc.arg)
	if !ok {
		return nil, errConversion
	}

	out := strings.ReplaceAll(pyStr(v), arg, "")
	if isSafe(v) && arg != ";" {
		return SafeString(out), nil
	}

	return out, nil
}

func padFilter(pad func(s string, width int) string) filterFunc {
	return func(fc *filterContext, v any) (any, error) {
		width, err := pyInt(fc.arg)
		if err != nil {
			return nil, err
		}
		if width > maxOutputWidth {
			return nil, fmt.Errorf("width %d is more than the limit of %d", width, maxOutputWidth)
		}
		return pad(pyStr(v), width), nil
	}
}

func padRight(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s)))
}

func padLeft(s string, width int) string {
	return strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s))) + s
}

// padCenter centres s as Python's str.center does, which puts the odd
// space on the left only when both the margin and the width are odd.
func padCenter(s string, width int) string {
	margin := width - utf8.RuneCountInString(s)
	if margin <= 0 {
		return s
	}

	left := margin/2 + (margin & width & 1)

	return strings.Repeat(" ", left) + s + strings.Repeat(" ", margin-left)
}

// filterTruncateChars shortens text to the given number of characters,
// counting the ellipsis, and leaves it unchanged for a non-integer length.
func filterTruncateChars(fc *filterContext, v any) (any, error) {
	s := pyStr(v)
	length, err := pyInt(fc.arg)
	if err != nil {
		return s, nil
	}

	runes := []rune(s)
	if len(runes) <= length {
		return s, nil
	}

	keep := max(length-1, 0)

	return string(runes[:keep]) + "…", nil
}

// filterTruncateWords keeps the given number of words and joins them with
// single spaces, as Django's Truncator.words does.
func filterTruncateWords(fc *filterContext, v any) (any, error) {
	s := pyStr(v)
	length, err := pyInt(fc.arg)
	if err != nil {
		return s, nil
	}

	words := strings.Fields(s)
	if len(words) <= length {
		return strings.Join(words, " "), nil
	}

	return strings.Join(pySlice(words, length), " ") + " …", nil
}

// pySlice returns words[:n] with Python's meaning for a negative n.
func pySlice(words []string, n int) []string {
	if n < 0 {
		n = max(len(words)+n, 0)
	}

	return words[:min(n, len(words))]
}
