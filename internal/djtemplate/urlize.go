package djtemplate

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

const maxURLLength = 2048

var (
	simpleURL  = regexp.MustCompile(`(?i)^https?://\[?\w`)
	simpleURL2 = regexp.MustCompile(`(?i)^www\.|^\w[^@]+\.(com|edu|gov|int|mil|net|org)($|/.*)$`)
)

func filterURLize(fc *filterContext, v any) (any, error) {
	return SafeString(urlize(v, -1, fc.autoescape())), nil
}

func filterURLizeTrunc(fc *filterContext, v any) (any, error) {
	limit, err := pyInt(fc.arg)
	if err != nil {
		return nil, err
	}

	return SafeString(urlize(v, limit, fc.autoescape())), nil
}

// urlize turns URLs and e-mail addresses in text into links with
// rel="nofollow", following the rules of Django's urlize: words are split
// on whitespace, quotes and angle brackets, and wrapping or trailing
// punctuation stays outside the link. A limit of -1 keeps link texts whole.
func urlize(v any, limit int, autoescape bool) string {
	safeInput := isSafe(v)
	var b strings.Builder
	for _, w := range splitURLizeWords(pyStr(v)) {
		if !w.word || !strings.ContainsAny(w.text, ".@:") {
			b.WriteString(escapeUnlessSafe(w.text, safeInput, autoescape))
			continue
		}
		b.WriteString(urlizeWord(w.text, limit, safeInput, autoescape))
	}

	return b.String()
}

func escapeUnlessSafe(s string, safeInput, autoescape bool) string {
	if autoescape && !safeInput {
		return escapeHTML(s)
	}

	return s
}

type urlizePart struct {
	text string
	word bool
}

// splitURLizeWords splits s into words and the separators between them,
// keeping both.
func splitURLizeWords(s string) []urlizePart {
	var parts []urlizePart
	start, inSep := 0, false
	for i, r := range s {
		sep := unicode.IsSpace(r) || r == '<' || r == '>' || r == '"' || r == '\''
		if sep != inSep && i > start {
			parts = append(parts, urlizePart{text: s[start:i], word: !inSep})
			start = i
		}
		inSep = sep
	}

	if start < len(s) {
		parts = append(parts, urlizePart{text: s[start:], word: !inSep})
	}

	return parts
}

func urlizeWord(word string, limit int, safeInput, autoescape bool) string {
	lead, middle, trail := trimPunctuation("", word, "")
	nofollow := ` rel="nofollow"`

	var link string
	switch {
	case len(middle) <= maxURLLength && simpleURL.MatchString(middle):
		link = smartURLQuote(html.UnescapeString(middle))
	case len(middle) <= maxURLLength && simpleURL2.MatchString(middle) && !strings.HasPrefix(strings.ToLower(middle), "http"):
		link = smartURLQuote("http://" + html.UnescapeString(middle))
	case !strings.Contains(middle, ":") && isSimpleEmail(middle):
		link, nofollow = "mailto:"+middle, ""
	}

	if link == "" {
		return escapeUnlessSafe(word, safeInput, autoescape)
	}

	trimmed := trimURL(middle, limit)
	if autoescape && !safeInput {
		lead, trail, trimmed = escapeHTML(lead), escapeHTML(trail), escapeHTML(trimmed)
	}

	return lead + `<a href="` + escapeHTML(link) + `"` + nofollow + ">" + trimmed + "</a>" + trail
}

func trimURL(s string, limit int) string {
	if limit < 0 || utf8.RuneCountInString(s) <= limit {
		return s
	}

	return string([]rune(s)[:max(0, limit-1)]) + "…"
}

// trimPunctuation moves wrapping brackets and trailing punctuation from
// middle to lead and trail until nothing changes.
func trimPunctuation(lead, middle, trail string) (string, string, string) {
	for changed := true; changed; {
		changed = false
		for _, pair := range [][2]string{{"(", ")"}, {"[", "]"}} {
			if strings.HasPrefix(middle, pair[0]) {
				middle, lead, changed = middle[1:], lead+pair[0], true
			}
			if strings.HasSuffix(middle, pair[1]) &&
				strings.Count(middle, pair[1]) == strings.Count(middle, pair[0])+1 {
				middle, trail, changed = middle[:len(middle)-1], pair[1]+trail, true
			}
		}

		unescaped := html.UnescapeString(middle)
		stripped := strings.TrimRight(unescaped, ".,:;!")
		if stripped != unescaped {
			cut := len(unescaped) - len(stripped)
			trail = middle[len(middle)-cut:] + trail
			middle = middle[:len(middle)-cut]
			changed = true
		}
	}

	return lead, middle, trail
}

func isSimpleEmail(s string) bool {
	if strings.Count(s, "@") != 1 || strings.HasPrefix(s, "@") || strings.HasSuffix(s, "@") {
		return false
	}

	domain := s[strings.IndexByte(s, '@')+1:]

	return len(domain) <= 63 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".")
}

const urlSafeChars = "!$&'()*+,;=:/?#[]@~"

// smartURLQuote re-quotes the path, query and fragment of a URL so that
// already quoted parts stay as they are.
func smartURLQuote(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return unquoteQuote(raw)
	}

	out := u.Scheme + "://" + u.Host + unquoteQuote(u.EscapedPath())
	if u.RawQuery != "" {
		out += "?" + requoteQuery(u.RawQuery)
	}

	if u.Fragment != "" {
		out += "#" + unquoteQuote(u.EscapedFragment())
	}

	return out
}

func unquoteQuote(s string) string {
	plain, err := url.PathUnescape(s)
	if err != nil {
		plain = s
	}

	return pyQuoteURL(plain, urlSafeChars)
}

// requoteQuery decodes and re-encodes a query string as Python's
// urlencode(parse_qsl(query, keep_blank_values=True)) does.
func requoteQuery(q string) string {
	var pairs []string
	for _, field := range strings.Split(q, "&") {
		if field == "" {
			continue
		}
		key, value, _ := strings.Cut(field, "=")
		pairs = append(pairs, quotePlus(unquotePlus(key))+"="+quotePlus(unquotePlus(value)))
	}

	return strings.Join(pairs, "&")
}

func unquotePlus(s string) string {
	out, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}

	return out
}

func quotePlus(s string) string {
	return strings.ReplaceAll(pyQuoteURL(s, " "), " ", "+")
}
