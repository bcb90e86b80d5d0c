package djtemplate

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
)

// widthRatioNode computes value / max * width, rounded, for bar charts.
type widthRatioNode struct {
	value, max, width *filterExpr
	asVar             string
}

func compileWidthRatio(p *parser, _ *token, bits []string) (node, error) {
	n := &widthRatioNode{}
	switch {
	case len(bits) == 6 && bits[4] == "as":
		n.asVar = bits[5]
	case len(bits) == 6:
		return nil, errors.New(`invalid syntax in "widthratio" tag: expecting "as" keyword`)
	case len(bits) != 4:
		return nil, errors.New(`"widthratio" takes at least three arguments`)
	}

	var err error
	for i, dst := range []**filterExpr{&n.value, &n.max, &n.width} {
		if *dst, err = p.compileExpr(bits[i+1]); err != nil {
			return nil, err
		}
	}

	return n, nil
}

func (n *widthRatioNode) render(s *state, w *strings.Builder) error {
	var args [3]any
	for i, e := range []*filterExpr{n.value, n.max, n.width} {
		v, err := e.resolve(s, false)
		if err != nil {
			return err
		}
		args[i] = v
	}

	width, err := pyInt(args[2])
	if err != nil {
		return errors.New(`"widthratio" final argument must be a number`)
	}

	writeOrSet(s, w, n.asVar, widthRatio(args[0], args[1], width))

	return nil
}

// widthRatio returns "" for non-numbers and "0" for a zero maximum.
func widthRatio(value, maxValue any, width int) string {
	v, err1 := pyFloat(value)
	m, err2 := pyFloat(maxValue)
	if err1 != nil || err2 != nil {
		return ""
	}

	if m == 0 {
		return "0"
	}

	ratio := pyRound(v / m * float64(width))
	if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
		return ""
	}

	return intString(ratio)
}

// nowNode prints the current time in a date format.
type nowNode struct {
	format string
	asVar  string
}

func compileNow(_ *parser, _ *token, bits []string) (node, error) {
	n := &nowNode{}
	if len(bits) == 4 && bits[2] == "as" {
		n.asVar = bits[3]
		bits = bits[:2]
	}

	if len(bits) != 2 || len(bits[1]) < 2 {
		return nil, errors.New(`"now" statement takes one argument`)
	}
	n.format = bits[1][1 : len(bits[1])-1]

	return n, nil
}

func (n *nowNode) render(s *state, w *strings.Builder) error {
	out := formatDateNamed(s.engine.now(), n.format)
	writeOrSet(s, w, n.asVar, out)

	return nil
}

// urlNode resolves one of the URL names set in the engine.
type urlNode struct {
	name  *filterExpr
	args  int
	asVar string
}

func compileURL(p *parser, _ *token, bits []string) (node, error) {
	if len(bits) < 2 {
		return nil, errors.New(`"url" takes at least one argument, a URL pattern name`)
	}

	n := &urlNode{}
	if len(bits) >= 4 && bits[len(bits)-2] == "as" {
		n.asVar = bits[len(bits)-1]
		bits = bits[:len(bits)-2]
	}

	name, err := p.compileExpr(bits[1])
	if err != nil {
		return nil, err
	}
	n.name, n.args = name, len(bits)-2

	return n, nil
}

func (n *urlNode) render(s *state, w *strings.Builder) error {
	v, err := n.name.resolve(s, false)
	if err != nil {
		return err
	}

	name := pyStr(v)
	path, ok := s.engine.urls[name]
	if !ok || n.args > 0 {
		if n.asVar != "" {
			s.set(n.asVar, "")
			return nil
		}
		return fmt.Errorf("reverse for %q not found: PlugIt templates can use the URL names %s without arguments",
			name, strings.Join(sortedURLNames(s.engine.urls), ", "))
	}

	if s.autoescape {
		writeOrSet(s, w, n.asVar, conditionalEscape(path))
		return nil
	}
	writeOrSet(s, w, n.asVar, path)

	return nil
}

func sortedURLNames(urls map[string]string) []string {
	m := make(map[string]any, len(urls))
	for k := range urls {
		m[k] = nil
	}

	return sortedKeys(m)
}

// staticNode prints the URL of a static file.
type staticNode struct {
	path  *filterExpr
	asVar string
}

func compileStatic(p *parser, _ *token, bits []string) (node, error) {
	if len(bits) < 2 {
		return nil, errors.New(`"static" takes at least one argument (path to file)`)
	}

	n := &staticNode{}
	if len(bits) >= 4 && bits[len(bits)-2] == "as" {
		n.asVar = bits[len(bits)-1]
	}

	path, err := p.compileExpr(bits[1])
	if err != nil {
		return nil, err
	}
	n.path = path

	return n, nil
}

func (n *staticNode) render(s *state, w *strings.Builder) error {
	v, err := n.path.resolve(s, false)
	if err != nil {
		return err
	}

	u := joinURL(s.engine.staticURL, pyQuoteURL(pyStr(v), "/"))
	var out any = u
	if s.autoescape {
		out = conditionalEscape(u)
	}

	if n.asVar != "" {
		s.set(n.asVar, out)
		return nil
	}
	w.WriteString(pyStr(out))

	return nil
}

// joinURL resolves ref against base as Python's urljoin does for the
// relative paths and absolute URLs static files use.
func joinURL(base, ref string) string {
	b, err1 := url.Parse(base)
	r, err2 := url.Parse(ref)
	if err1 != nil || err2 != nil {
		return base + ref
	}

	return b.ResolveReference(r).String()
}

// pyQuoteURL percent-encodes s as Python's urllib.parse.quote does:
// letters, digits, "_.-~" and the characters in safe stay as they are.
func pyQuoteURL(s, safe string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && (isAlnum(c) || strings.IndexByte("_.-~", c) >= 0 || strings.IndexByte(safe, c) >= 0) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}

	return b.String()
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
