package conformance

import (
	"fmt"
	"net/http"
	"strings"
)

// proxyStatusChecks returns the checks of action statuses a proxy passes
// to the browser, and of the 500 page.
func proxyStatusChecks() []Check {
	var checks []Check
	for _, code := range []int{401, 403, 404, 429, 304} {
		checks = append(checks, newBrowserCheck("status codes", fmt.Sprintf("status %d passed", code), func(p *probe) {
			r := p.get(fmt.Sprintf("generate_%d", code))
			p.status(r, code)
			p.equal(r.path+": body", "", r.body)
		}))
	}

	return append(checks, newBrowserCheck("status codes", "500 is the error page", func(p *probe) {
		r := p.get("generate_500")
		p.status(r, http.StatusInternalServerError)
		p.contains("generate_500: Content-Type", r.header.Get("Content-Type"), "text/html")
		p.contains("generate_500: page", strings.ToLower(r.body), "<html")
	}))
}

// proxyTemplateChecks returns the checks of the proxy's template
// additions: the menu block, plugitInclude and plugitGetUser.
func proxyTemplateChecks() []Check {
	return []Check{
		newBrowserCheck("templates", "menu block", checkMenu),
		newBrowserCheck("templates", "plugitInclude", func(p *probe) {
			r := p.get("include")
			p.status(r, http.StatusOK)
			p.contains("include page", pageText(r.body), "before home_template after")
		}),
		newBrowserCheck("templates", "plugitGetUser", func(p *probe) {
			r := p.get("getuser")
			p.status(r, http.StatusOK)
			p.equal("getuser: body", "Admin", strings.TrimSpace(r.body))
		}),
	}
}

// checkMenu checks that the menu block goes to the side menu when the
// proxy renders one, and never into the page content.
func checkMenu(p *probe) {
	r := p.get("menu")
	p.status(r, http.StatusOK)
	p.contains("menu page", r.body, "menu_page")
	if p.target.MenuBlock != "menubar" {
		p.lacks("menu page without a side menu", r.body, "fixture-menu")
		return
	}

	link := fmt.Sprintf(`<a href="%s">fixture-menu</a>`, p.basePath())
	p.contains("menu page with the side menu", r.body, link)
}
