package proxy

import (
	"html/template"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestLayoutShellsFillEachPage(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	p := tp.proxy
	r := httptest.NewRequest("GET", "/plugIt/", nil)
	page := p.layoutData(r, `Title <with> "marks"`, template.HTML("<p>first "+menuMark+"</p>"), "")
	page.CSRFToken = "token-one"

	first, err := p.shells.render(p, page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(first), "<title>Title &lt;with&gt; &#34;marks&#34; · PlugIt</title>") {
		t.Errorf("title not escaped in place:\n%s", first)
	}
	if !strings.Contains(string(first), "<p>first "+menuMark+"</p>") {
		t.Error("a mark inside the content was replaced")
	}

	page.Content = "<p>second</p>"
	page.User = simulatedUser("adm")
	second, err := p.shells.render(p, page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(second), "<p>second</p>") || strings.Contains(string(second), "first") {
		t.Error("the second page shows the first one's content")
	}
	if !strings.Contains(string(second), "Admin Charles") {
		t.Error("another user got the first user's layout")
	}
}
