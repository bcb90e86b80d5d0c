package browser

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focused describes the element that has the keyboard focus.
type focused struct {
	ID           string `json:"id"`
	Text         string `json:"text"`
	OutlineStyle string `json:"outlineStyle"`
	OutlineWidth string `json:"outlineWidth"`
	Visible      bool   `json:"visible"`
}

const focusedScript = `(() => {
	const e = document.activeElement, style = getComputedStyle(e), box = e.getBoundingClientRect();
	return {
		id: e.id, text: e.textContent.trim(),
		outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth,
		visible: box.width > 1 && box.height > 1,
	};
})()`

func (tb *tab) focused() focused {
	tb.t.Helper()
	return eval[focused](tb, "reading the focused element", focusedScript)
}

func (tb *tab) press(step, keys string) {
	tb.t.Helper()
	tb.do(step, chromedp.KeyEvent(keys))
}

// expectFocusRing fails when the focused element shows no visible focus
// outline.
func (tb *tab) expectFocusRing(element string, f focused) {
	tb.t.Helper()
	if f.OutlineStyle == "none" || f.OutlineWidth == "0px" {
		tb.t.Errorf("%s has no visible focus outline (outline %s %s)", element, f.OutlineStyle, f.OutlineWidth)
	}
}

// TestUserMenuKeyboard switches the simulated user with the keyboard only:
// Tab to the menu button, Enter to open it, arrow keys to move, Escape to
// close it, Enter on an entry to switch.
func TestUserMenuKeyboard(t *testing.T) {
	s := startSite(t)
	tb := newTab(t)
	tb.setViewport(desktopWidth, desktopHeight, false)
	tb.open(s.base)

	tb.press("pressing Tab", kb.Tab)
	skip := tb.focused()
	if skip.Text != "Skip to content" || !skip.Visible {
		t.Errorf("first Tab focuses %+v, want the visible skip link", skip)
	}

	menuButton := tb.tabTo(userMenu[1:], 10)
	tb.expectFocusRing("the user menu button", menuButton)
	tb.screenshot("keyboard-user-menu-focused", desktopWidth, desktopHeight)

	tb.press("pressing Enter on the user menu button", kb.Enter)
	tb.waitUntil("user menu opened by Enter", `document.querySelector("#plugit-user-menu").getAttribute("aria-expanded") === "true"`)

	tb.press("pressing ArrowDown", kb.ArrowDown)
	first := tb.focused()
	if first.Text != anonymous.label {
		t.Fatalf("first ArrowDown focuses %q, want the %s entry", first.Text, anonymous.label)
	}
	tb.expectFocusRing("the current user's menu entry", first)
	tb.press("pressing ArrowDown", kb.ArrowDown)
	if second := tb.focused(); second.Text != logged.label {
		t.Fatalf("second ArrowDown focuses %q, want the %s entry", second.Text, logged.label)
	}
	tb.expectFocusRing("a menu entry", tb.focused())

	tb.press("pressing Escape", kb.Escape)
	tb.waitUntil("user menu closed by Escape", `document.querySelector("#plugit-user-menu").getAttribute("aria-expanded") === "false"`)
	if back := tb.focused(); back.ID != userMenu[1:] {
		t.Fatalf("after Escape the focus is on %+v, want the user menu button", back)
	}

	tb.press("pressing Enter on the user menu button", kb.Enter)
	tb.waitUntil("user menu opened again", `document.querySelector("#plugit-user-menu").getAttribute("aria-expanded") === "true"`)
	tb.press("pressing ArrowDown", kb.ArrowDown)
	tb.press("pressing ArrowDown", kb.ArrowDown)
	tb.press("pressing ArrowDown", kb.ArrowDown)
	if third := tb.focused(); third.Text != member.label {
		t.Fatalf("third ArrowDown focuses %q, want the %s entry", third.Text, member.label)
	}
	tb.pressAndLoad("pressing Enter on "+member.label, kb.Enter)
	tb.expectUser(member.mode, member.fullName)
}

// tabTo presses Tab until the element with the given id has the focus,
// at most limit times.
func (tb *tab) tabTo(id string, limit int) focused {
	tb.t.Helper()
	var seen []string
	for range limit {
		tb.press("pressing Tab", kb.Tab)
		f := tb.focused()
		if f.ID == id {
			return f
		}
		seen = append(seen, f.Text)
	}
	tb.t.Fatalf("%d Tabs did not reach #%s; they focused %s", limit, id, strings.Join(seen, ", "))
	return focused{}
}
