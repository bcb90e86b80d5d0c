package browser

import (
	_ "embed"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

//go:embed testdata/contrast.js
var contrastScript string

// expectContrast fails, naming view, when visible text of the page has a
// colour contrast below the WCAG 2.1 AA minimum.
func (tb *tab) expectContrast(view string) {
	tb.t.Helper()
	failures := eval[[]string](tb, "measuring the contrast of "+view, contrastScript)
	if len(failures) > 0 {
		tb.t.Errorf("%s has text below the AA contrast minimum:\n%s", view, strings.Join(failures, "\n"))
	}
}

// TestContrast measures the text contrast of the layout's pages and
// states: menus open, the vote results, the poll form, an error page and a
// failed switch's alert, at desktop and phone widths.
func TestContrast(t *testing.T) {
	s := startSite(t)
	tb := newTab(t)
	for _, size := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{
		{"desktop", desktopWidth, desktopHeight, false},
		{"phone", phoneWidth, phoneHeight, true},
	} {
		tb.setViewport(size.width, size.height, size.mobile)
		tb.open(s.base)
		tb.expectContrast("the poll list at " + size.name + " width")
		tb.openUserMenu()
		tb.expectContrast("the open user menu at " + size.name + " width")
	}
	tb.setViewport(desktopWidth, desktopHeight, false)

	tb.open(s.base + "create/")
	tb.expectContrast("the 403 page")

	tb.switchTo(member)
	tb.open(s.base + "create/")
	tb.expectContrast("the poll form")

	tb.switchTo(admin)
	tb.open(s.base + "show/1")
	tb.vote("Page caching")
	tb.expectContrast("the poll page with results and voters")

	eval[chromedp.Void](tb, "breaking the switch link", `document.querySelector("a[href$='mode=log']").href += "-unknown"`)
	tb.openUserMenu()
	tb.do("clicking Logged user", chromedp.Click(chromedp.CSS(`a[data-plugit-switch][href*="mode=log"]`)))
	tb.waitUntil("alert shown", alertText)
	tb.expectContrast("the alert of a failed switch")
}
