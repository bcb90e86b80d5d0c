package djtemplate

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

var (
	slugDrop  = regexp.MustCompile(`[^\w\s-]`)
	slugDash  = regexp.MustCompile(`[-\s]+`)
	asciiOnly = func(r rune) rune {
		if r > unicode.MaxASCII {
			return -1
		}
		return r
	}
)

// slugify converts to ASCII by NFKD decomposition, drops characters other
// than letters, digits, underscores, hyphens and spaces, lower-cases, and
// joins the words with hyphens, as Django's slugify does.
func slugify(s string) string {
	s = strings.Map(asciiOnly, norm.NFKD.String(s))
	s = slugDrop.ReplaceAllString(strings.ToLower(s), "")

	return strings.Trim(slugDash.ReplaceAllString(s, "-"), "-_")
}
