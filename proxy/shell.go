package proxy

import (
	"bytes"
	"html"
	"strconv"
	"strings"
	"sync"
)

// maxLayoutShells bounds the rendered layouts kept for reuse.
const maxLayoutShells = 10000

// Marks stand for the parts of a page that change from request to request
// in a rendered layout shell. They are plain letters, so that the layout
// template's escaping leaves them as they are.
const (
	contentMark = "plugitshellcontentmark"
	menuMark    = "plugitshellmenumark"
	titleMark   = "plugitshelltitlemark"
)

// layoutShells keeps the layout rendered once per shape (service, user,
// organisations, menus), with marks where the page's content, side menu,
// title and CSRF token go. Executing html/template is most of the cost of
// a cached page; filling a shell is a few string copies.
type layoutShells struct {
	mu     sync.Mutex
	shells map[string]string
}

// shapeKey returns what the layout's output depends on besides the marked
// parts.
func (page *layoutPage) shapeKey() string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(s)
		b.WriteByte(0)
	}
	field(page.PlatformName)
	field(page.ServiceName)
	field(page.BaseURL)
	field(strconv.FormatInt(page.User.PK, 10))
	field(page.User.Mode)
	field(page.User.Username)
	field(page.User.FirstName)
	field(page.User.LastName)
	field(strconv.FormatBool(page.User.PlatformAdmin))
	field(strconv.FormatBool(page.OrgaMode))
	if page.Orga != nil {
		field(strconv.FormatInt(page.Orga.PK, 10) + page.Orga.Name + page.Orga.Codops)
	}
	for _, o := range page.Orgas {
		field(strconv.FormatInt(o.PK, 10) + o.Name + o.Codops)
	}
	field(strconv.FormatBool(page.Hosted))
	for _, s := range page.Services {
		field(s.Name + s.URL)
	}
	field(strconv.FormatBool(page.RealUsers))
	field(strconv.FormatBool(page.Title == ""))
	field(strconv.FormatBool(page.Menu == ""))
	return b.String()
}

// render returns the page: its shell, rendered on first use, with the
// marks replaced.
func (s *layoutShells) render(p *Proxy, page layoutPage) ([]byte, error) {
	key := page.shapeKey()
	s.mu.Lock()
	shell, ok := s.shells[key]
	s.mu.Unlock()

	if !ok {
		marked := page
		marked.Content = contentMark
		if page.Menu != "" {
			marked.Menu = menuMark
		}
		if page.Title != "" {
			marked.Title = titleMark
		}
		marked.CSRFToken = p.csrfPlaceholder

		var buf bytes.Buffer
		if err := p.layouts.ExecuteTemplate(&buf, "layout.html", marked); err != nil {
			return nil, err
		}
		shell = buf.String()
		s.store(key, shell)
	}

	filled := strings.NewReplacer(
		contentMark, string(page.Content),
		menuMark, string(page.Menu),
		titleMark, html.EscapeString(page.Title),
		p.csrfPlaceholder, page.CSRFToken,
	).Replace(shell)
	return []byte(filled), nil
}

func (s *layoutShells) store(key, shell string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shells == nil {
		s.shells = map[string]string{}
	}
	if len(s.shells) >= maxLayoutShells {
		// Go's map iteration order is random: this drops arbitrary shells.
		for k := range s.shells {
			delete(s.shells, k)
			if len(s.shells) < maxLayoutShells*3/4 {
				break
			}
		}
	}
	s.shells[key] = shell
}
