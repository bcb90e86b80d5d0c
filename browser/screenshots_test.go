package browser

import (
	"testing"
)

// TestScreenshots photographs the poll page, with votes and the voters an
// administrator sees, and the 403 page, at desktop and phone widths.
func TestScreenshots(t *testing.T) {
	s := startSite(t)
	tb := newTab(t)
	tb.setViewport(desktopWidth, desktopHeight, false)
	tb.open(s.base)
	tb.clickAndLoad("opening the sample poll", `#content .list-group a`)
	poll := eval[string](tb, "reading the poll address", `location.href`)

	for _, v := range []struct {
		user   simulatedUser
		answer string
	}{
		{logged, "Shared user accounts"},
		{member, "The common layout"},
		{admin, "Shared user accounts"},
	} {
		tb.switchTo(v.user)
		tb.vote(v.answer)
	}

	sizes := []struct {
		name          string
		width, height int
		mobile        bool
	}{
		{"desktop", desktopWidth, desktopHeight, false},
		{"phone", phoneWidth, phoneHeight, true},
	}
	for _, size := range sizes {
		tb.setViewport(int64(size.width), int64(size.height), size.mobile)
		tb.open(poll)
		tb.expectNoHorizontalScroll("poll page at " + size.name + " width")
		tb.screenshot("poll-"+size.name, size.width, size.height)
	}

	tb.switchTo(anonymous)
	for _, size := range sizes {
		tb.setViewport(int64(size.width), int64(size.height), size.mobile)
		tb.open(s.base + "create/")
		tb.expectNoHorizontalScroll("403 page at " + size.name + " width")
		tb.screenshot("error-403-"+size.name, size.width, size.height)
	}
}

// expectNoHorizontalScroll fails when the page is wider than the viewport,
// which on a phone means content cut off or a sideways scroll.
func (tb *tab) expectNoHorizontalScroll(view string) {
	tb.t.Helper()
	overflow := eval[int](tb, view, `document.documentElement.scrollWidth - document.documentElement.clientWidth`)
	if overflow > 0 {
		tb.t.Errorf("%s: the page is %d px wider than the viewport", view, overflow)
	}
}
