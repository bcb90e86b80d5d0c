package djtemplate

import (
	"regexp"
	"strings"
)

// tagPattern matches what an HTML parser treats as markup: start and end
// tags, comments, declarations and processing instructions.
var tagPattern = regexp.MustCompile(`(?s)<!--.*?-->|</?[a-zA-Z][^>]*>|</[^>]*>|<![^>]*>|<\?[^>]*>`)

// stripTags removes HTML tags and comments, repeating until no more can be
// removed, and keeps entities as they are.
//
// NOTE: Django parses with Python's HTMLParser; this pattern gives the
// same output for well-formed markup, but malformed markup (a "<" that
// opens no tag before the end of the text, attributes containing ">")
// may be stripped differently.
func stripTags(s string) string {
	for i := 0; i < 50 && strings.Contains(s, "<") && strings.Contains(s, ">"); i++ {
		next := tagPattern.ReplaceAllString(s, "")
		if strings.Count(next, "<") == strings.Count(s, "<") {
			return next
		}
		s = next
	}

	return s
}
