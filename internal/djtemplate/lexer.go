package djtemplate

import (
	"strings"
	"unicode/utf8"
)

type tokenKind int

const (
	tokenText tokenKind = iota
	tokenVar
	tokenBlock
	tokenComment
)

// token is one piece of a template source: text, {{ variable }},
// {% tag %} or {# comment #}.
type token struct {
	kind     tokenKind
	contents string // text, or the stripped inside of a tag
	raw      string // the source text of a tag, empty for text
	tmpl     string // the name of the template the token belongs to
	line     int
	col      int
}

// splitContents splits a tag's contents into words, keeping quoted strings
// together, as Django's Token.split_contents does.
func (t *token) splitContents() []string {
	return splitTagContents(t.contents)
}

// tokenize splits src into tokens the way Django's Lexer does: a tag is the
// shortest "{%...%}", "{{...}}" or "{#...#}" on one line, and inside
// {% verbatim %} only the matching end tag is recognised.
func tokenize(src string) []token {
	var (
		tokens   []token
		verbatim string
		line     = 1
		lineHead = 0
		textFrom = 0
	)

	addText := func(end int) {
		if end > textFrom {
			tokens = append(tokens, token{kind: tokenText, contents: src[textFrom:end], line: line,
				col: utf8.RuneCountInString(src[lineHead:textFrom]) + 1})
		}
	}

	for i := 0; i < len(src)-1; i++ {
		if src[i] != '{' || !strings.ContainsRune("%{#", rune(src[i+1])) {
			continue
		}

		end := findTagEnd(src, i)
		if end < 0 {
			continue
		}

		addText(i)
		line, lineHead = advanceLines(src, textFrom, i, line, lineHead)
		tok := makeTagToken(src[i:end], &verbatim)
		tok.line = line
		tok.col = utf8.RuneCountInString(src[lineHead:i]) + 1
		tokens = append(tokens, tok)
		textFrom = end
		i = end - 1
	}

	addText(len(src))

	return tokens
}

// advanceLines moves the line counter over src[from:to].
func advanceLines(src string, from, to, line, lineHead int) (int, int) {
	for j := from; j < to; j++ {
		if src[j] == '\n' {
			line++
			lineHead = j + 1
		}
	}

	return line, lineHead
}

// findTagEnd returns the end of the tag opened at src[i], or -1 when it is
// not closed on the same line.
func findTagEnd(src string, i int) int {
	closer := map[byte]string{'%': "%}", '{': "}}", '#': "#}"}[src[i+1]]
	rest := src[i+2:]
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl]
	}

	j := strings.Index(rest, closer)
	if j < 0 {
		return -1
	}

	return i + 2 + j + 2
}

// makeTagToken builds the token for tag source s and tracks verbatim blocks.
func makeTagToken(s string, verbatim *string) token {
	inner := strings.TrimSpace(s[2 : len(s)-2])
	if s[1] == '%' && *verbatim != "" && inner == *verbatim {
		*verbatim = ""
	}

	if *verbatim != "" {
		return token{kind: tokenText, contents: s}
	}

	switch s[1] {
	case '{':
		return token{kind: tokenVar, contents: inner, raw: s}
	case '%':
		if inner == "verbatim" || strings.HasPrefix(inner, "verbatim ") {
			*verbatim = "end" + inner
		}
		return token{kind: tokenBlock, contents: inner, raw: s}
	}

	return token{kind: tokenComment, raw: s}
}

// splitTagContents splits s on whitespace except inside quotes, and keeps
// a translated string such as _("a b") in one word.
func splitTagContents(s string) []string {
	var words []string
	for _, w := range smartSplit(s) {
		if len(words) > 0 && isOpenTranslation(words[len(words)-1]) {
			words[len(words)-1] += " " + w
			continue
		}
		words = append(words, w)
	}

	return words
}

func isOpenTranslation(w string) bool {
	if !strings.HasPrefix(w, `_("`) && !strings.HasPrefix(w, `_('`) {
		return false
	}

	return !strings.HasSuffix(w, w[2:3]+")") || len(w) < 5
}

// smartSplit splits s on whitespace, keeping quoted parts, with backslash
// escapes, inside the word they belong to.
func smartSplit(s string) []string {
	var (
		words []string
		cur   strings.Builder
		quote byte
		in    bool
	)

	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == '\\' && i+1 < len(s):
			cur.WriteByte(c)
			cur.WriteByte(s[i+1])
			i++
		case quote != 0:
			cur.WriteByte(c)
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote, in = c, true
			cur.WriteByte(c)
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			in = true
			cur.WriteByte(c)
		}
	}

	if in {
		words = append(words, cur.String())
	}

	return words
}
