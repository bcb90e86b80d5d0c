package djtemplate

import "strings"

// SafeString is a string that is already HTML and is not escaped again on
// output, like Django's SafeString (the result of mark_safe or of the safe
// filter).
type SafeString string

var htmlEscaper = strings.NewReplacer(
	"&", "&amp;",
	"<", "&lt;",
	">", "&gt;",
	`"`, "&quot;",
	"'", "&#x27;",
)

// escapeHTML escapes the five characters Django's escape() escapes.
func escapeHTML(s string) string {
	return htmlEscaper.Replace(s)
}

// conditionalEscape escapes v unless it is already safe and returns safe text.
func conditionalEscape(v any) SafeString {
	if s, ok := v.(SafeString); ok {
		return s
	}

	return SafeString(escapeHTML(pyStr(v)))
}

// markSafe converts v to SafeString the way Django's mark_safe does: a
// value that is not a string is converted with str() first.
func markSafe(v any) SafeString {
	switch s := v.(type) {
	case SafeString:
		return s
	case string:
		return SafeString(s)
	}

	return SafeString(pyStr(v))
}

// isSafe reports whether v is safe text.
func isSafe(v any) bool {
	_, ok := v.(SafeString)
	return ok
}

// keepSafety returns out as SafeString when in was safe, otherwise as string.
func keepSafety(in any, out string) any {
	if isSafe(in) {
		return SafeString(out)
	}

	return out
}
