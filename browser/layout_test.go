package browser

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/plugit-go/plugit/proxy"
)

// TestPhoneLayout checks the layout at phone width. The navigation bar
// collapses behind its toggler but still names the current user, its user
// menu switches users, and no page scrolls sideways.
func TestPhoneLayout(t *testing.T) {
	s := startSite(t)
	tb := newTab(t)
	tb.setViewport(phoneWidth, phoneHeight, true)
	tb.open(s.base)

	if !eval[bool](tb, "checking the toggler", `getComputedStyle(document.querySelector(".navbar-toggler")).display !== "none"`) {
		t.Fatal("the navigation toggler is hidden at phone width")
	}
	if eval[bool](tb, "checking the user menu", `document.querySelector("#plugit-user-menu").getBoundingClientRect().height > 0`) {
		t.Fatal("the user menu button shows at phone width before the navigation bar is opened")
	}
	if got := tb.text(".navbar .navbar-text"); got != anonymous.fullName {
		t.Errorf("collapsed navigation bar names %q, want %q", got, anonymous.fullName)
	}
	tb.expectNoHorizontalScroll("list page")

	tb.openUserMenu()
	tb.screenshot("phone-user-menu-open", phoneWidth, phoneHeight)
	tb.clickAndLoad("switching to "+member.label, userItem(member.mode))
	tb.expectUser(member.mode, member.fullName)
	if got := tb.text(".navbar .navbar-text"); got != member.fullName {
		t.Errorf("collapsed navigation bar names %q after the switch, want %q", got, member.fullName)
	}

	tb.clickAndLoad("opening the poll form", `#content a[href$="/create/"]`)
	tb.expectNoHorizontalScroll("poll form")
}

// TestErrorPages checks that error pages come in the layout, say what
// went wrong, and lead back to the service.
func TestErrorPages(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		status  int64
		title   string
		message string
	}{
		{"access rule", "create/", 403, "Access denied", "This page is limited by the rule only_member_user"},
		{"missing poll", "show/999", 404, "Page not found", "This page does not exist."},
	}
	s := startSite(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := newTab(t)
			tb.setViewport(desktopWidth, desktopHeight, false)
			resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(s.base+tt.path))
			if err != nil {
				t.Fatalf("opening %s: %v", tt.path, err)
			}
			if resp.Status != tt.status {
				t.Errorf("%s answered %d, want %d", tt.path, resp.Status, tt.status)
			}

			if got := tb.text("main h1"); got != tt.title {
				t.Errorf("error page heading is %q, want %q", got, tt.title)
			}
			if got := tb.text("main"); !strings.Contains(got, "Error "+strconv.FormatInt(tt.status, 10)) || !strings.Contains(got, tt.message) {
				t.Errorf("error page reads %q, want the status and %q", got, tt.message)
			}
			if got := eval[string](tb, "reading the title", `document.title`); got != tt.title+" · PlugIt" {
				t.Errorf("error page title is %q, want %q", got, tt.title+" · PlugIt")
			}
			if !eval[bool](tb, "looking for the navigation bar", `!!document.querySelector("header nav.navbar #plugit-user-menu")`) {
				t.Error("error page is not in the layout: no navigation bar with the user menu")
			}

			if got := tb.text("main a.btn"); got != "Back to Polls" {
				t.Fatalf("error page's way back reads %q, want Back to Polls", got)
			}
			tb.clickAndLoad("going back to the service", "main a.btn")
			if got := tb.text("#content h1"); got != "Polls" {
				t.Errorf("Back to Polls leads to a page headed %q, want the poll list", got)
			}
		})
	}
}

// TestOrgaMenuSwitch switches the organisation of organisation mode
// through its menu, which works like the user menu. An anonymous visitor
// has no organisation, so the list starts as a 403 page, and the user
// menu works there too.
func TestOrgaMenuSwitch(t *testing.T) {
	s := startSite(t, func(cfg *proxy.Config) { cfg.OrgaMode = true })
	tb := newTab(t)
	tb.setViewport(desktopWidth, desktopHeight, false)
	tb.open(s.base)

	const orgaMenu = "#plugit-orga-menu"
	if got := tb.text(orgaMenu); got != "Organisation: none" {
		t.Fatalf("anonymous visitor's organisation menu button reads %q, want none", got)
	}
	if got := tb.text("main h1"); got != "Access denied" {
		t.Fatalf("anonymous visitor's list page is headed %q, want the 403 page", got)
	}
	tb.switchTo(member)
	if got := tb.text("#content h1"); got != "Polls" {
		t.Fatalf("after switching to %s the page is headed %q, want the poll list", member.label, got)
	}
	if got := tb.text(orgaMenu); got != "Organisation: EBU" {
		t.Fatalf("organisation menu button reads %q, want the default organisation EBU", got)
	}
	tb.do("opening the organisation menu", chromedp.Click(chromedp.CSS(orgaMenu)))
	rts := chromedp.CSS(`[aria-labelledby="plugit-orga-menu"] a[data-plugit-switch][href*="pk=-2"]`)
	if got := tb.text(string(rts)); got != "RTS (chrts)" {
		t.Fatalf("organisation menu entry reads %q, want RTS (chrts)", got)
	}
	tb.clickAndLoad("switching to RTS", rts)

	if got := tb.text(orgaMenu); got != "Organisation: RTS" {
		t.Errorf("after the switch the organisation menu button reads %q, want RTS", got)
	}
	current := eval[string](tb, "reading the current organisation",
		`(document.querySelector("[aria-labelledby='plugit-orga-menu'] [aria-current]") || {}).textContent || ""`)
	if current != "RTS (chrts)" {
		t.Errorf("organisation menu marks %q with aria-current, want RTS (chrts)", current)
	}

	tb.setViewport(phoneWidth, phoneHeight, true)
	tb.open(s.base)
	tb.openUserMenu()
	tb.screenshot("phone-orga-mode-menus", phoneWidth, phoneHeight)
}
