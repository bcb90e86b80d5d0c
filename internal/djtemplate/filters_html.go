package djtemplate

import (
	"fmt"
	"regexp"
	"strings"
)

func htmlFilters() map[string]*filterDef {
	return map[string]*filterDef{
		"escape":       {fn: filterEscape, safe: true},
		"force_escape": {fn: filterForceEscape, safe: true},
		"safe":         {fn: filterSafe, safe: true},
		"safeseq":      {fn: filterSafeSeq, safe: true},
		"striptags":    {fn: strFilter(stripTags), safe: true},
		"linebreaks":   {fn: filterLinebreaks, safe: true},
		"linebreaksbr": {fn: filterLinebreaksBR, safe: true},
		"escapejs":     {fn: filterEscapeJS},
		"json_script":  {fn: filterJSONScript, arg: argRequired, safe: true},
		"urlencode":    {fn: filterURLEncode, arg: argOptional},
		"urlize":       {fn: filterURLize, safe: true},
		"urlizetrunc":  {fn: filterURLizeTrunc, arg: argRequired, safe: true},
	}
}

// filterEscape marks text for escaping: it escapes now unless the text is
// already safe, so applying it twice does not escape twice.
func filterEscape(_ *filterContext, v any) (any, error) {
	return conditionalEscape(pyStrKeepSafe(v)), nil
}

func filterForceEscape(_ *filterContext, v any) (any, error) {
	return SafeString(escapeHTML(pyStr(v))), nil
}

func filterSafe(_ *filterContext, v any) (any, error) {
	return SafeString(pyStr(v)), nil
}

// pyStrKeepSafe converts v with str() and keeps it safe when it was.
func pyStrKeepSafe(v any) any {
	if isSafe(v) {
		return v
	}

	return pyStr(v)
}

func filterSafeSeq(_ *filterContext, v any) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}

	out := make([]any, len(items))
	for i, item := range items {
		out[i] = markSafe(item)
	}

	return out, nil
}

var (
	crlf       = regexp.MustCompile(`\r\n|\r`)
	paraBreaks = regexp.MustCompile(`\n{2,}`)
)

// filterLinebreaks wraps paragraphs in <p> and single newlines in <br>.
func filterLinebreaks(fc *filterContext, v any) (any, error) {
	escape := fc.autoescape() && !isSafe(v)
	paras := paraBreaks.Split(crlf.ReplaceAllString(pyStr(v), "\n"), -1)
	for i, p := range paras {
		if escape {
			p = escapeHTML(p)
		}
		paras[i] = "<p>" + strings.ReplaceAll(p, "\n", "<br>") + "</p>"
	}

	return SafeString(strings.Join(paras, "\n\n")), nil
}

func filterLinebreaksBR(fc *filterContext, v any) (any, error) {
	s := crlf.ReplaceAllString(pyStr(v), "\n")
	if fc.autoescape() && !isSafe(v) {
		s = escapeHTML(s)
	}

	return SafeString(strings.ReplaceAll(s, "\n", "<br>")), nil
}

var jsEscapes = func() *strings.Replacer {
	pairs := []string{`\`, `\u005C`, `'`, `\u0027`, `"`, `\u0022`, `>`, `\u003E`, `<`, `\u003C`,
		`&`, `\u0026`, `=`, `\u003D`, `-`, `\u002D`, `;`, `\u003B`, "`", `\u0060`,
		"\u2028", `\u2028`, "\u2029", `\u2029`}
	for c := 0; c < 32; c++ {
		pairs = append(pairs, string(rune(c)), fmt.Sprintf(`\u%04X`, c))
	}

	return strings.NewReplacer(pairs...)
}()

func filterEscapeJS(_ *filterContext, v any) (any, error) {
	return SafeString(jsEscapes.Replace(pyStr(v))), nil
}

var jsonScriptEscapes = strings.NewReplacer(">", `\u003E`, "<", `\u003C`, "&", `\u0026`)

// filterJSONScript outputs v as JSON inside a script element with the
// given id, escaping the characters that could end the element.
func filterJSONScript(fc *filterContext, v any) (any, error) {
	data, err := pyJSONDumps(v)
	if err != nil {
		return nil, err
	}

	id := conditionalEscape(fc.arg)

	return SafeString(`<script id="` + string(id) + `" type="application/json">` +
		jsonScriptEscapes.Replace(data) + "</script>"), nil
}

// filterURLEncode percent-encodes text as Python's quote does, keeping "/"
// unless the argument names other safe characters.
func filterURLEncode(fc *filterContext, v any) (any, error) {
	safe := "/"
	if fc.hasArg {
		safe = pyStr(fc.arg)
	}

	return pyQuoteURL(pyStr(v), safe), nil
}
