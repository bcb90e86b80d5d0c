package browser

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// alertText is the text of the layout's alert region once it shows a
// message.
const alertText = `document.querySelector("#plugit-alerts [role=alert]")`

// TestSwitchFailureShowsAlert checks that a user switch that fails leaves
// the page as it is and tells why in the alert region, which gets the
// focus and can be closed with the keyboard.
func TestSwitchFailureShowsAlert(t *testing.T) {
	tests := []struct {
		name        string
		breakSwitch func(t *testing.T, s *site, tb *tab)
		want        string
	}{
		{
			name: "endpoint rejects the switch",
			// A switch link with a mode the proxy does not know gets a 400
			// error page from the real endpoint.
			breakSwitch: func(t *testing.T, s *site, tb *tab) {
				eval[chromedp.Void](tb, "breaking the switch link",
					`document.querySelector("a[href$='mode=log']").href += "-unknown"`)
			},
			want: `Could not switch to Logged user: Unknown user mode "log-unknown"`,
		},
		{
			name: "answer is not an error page",
			// The static file handler returns a plain-text 404, which has no
			// message to show, so the alert names the status.
			breakSwitch: func(t *testing.T, s *site, tb *tab) {
				eval[chromedp.Void](tb, "breaking the switch link",
					`document.querySelector("a[href$='mode=log']").href = "/static/missing.js?mode=log"`)
			},
			want: "Could not switch to Logged user: the server returned HTTP status 404 (Not Found).",
		},
		{
			name: "server unreachable",
			breakSwitch: func(t *testing.T, s *site, tb *tab) {
				s.proxy.Close()
			},
			want: "Could not switch to Logged user: the server could not be reached.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startSite(t)
			tb := newTab(t)
			tb.setViewport(desktopWidth, desktopHeight, false)
			tb.open(s.base)
			eval[chromedp.Void](tb, "marking the page", `window.plugitTestMark = "not reloaded"`)
			tt.breakSwitch(t, s, tb)

			tb.openUserMenu()
			tb.do("clicking Logged user", chromedp.Click(chromedp.CSS(`a[data-plugit-switch][href*="mode=log"]`)))
			tb.waitUntil("alert shown", alertText)

			if got := eval[string](tb, "reading the alert", alertText+`.textContent.trim()`); !strings.HasPrefix(got, tt.want) {
				t.Errorf("alert reads %q, want it to start with %q", got, tt.want)
			}
			if mark := eval[string](tb, "reading the page mark", `window.plugitTestMark || ""`); mark != "not reloaded" {
				t.Error("the page was reloaded after the failed switch")
			}
			if ok := eval[bool](tb, "checking the focus", alertText+` === document.activeElement`); !ok {
				t.Errorf("focus is on %+v, want the alert", tb.focused())
			}
			tb.expectUser(anonymous.mode, anonymous.fullName)
			tb.screenshot("switch-failed-"+strings.ReplaceAll(tt.name, " ", "-"), desktopWidth, desktopHeight)

			tb.press("pressing Tab to the close button", kb.Tab)
			label := eval[string](tb, "reading the focused label", `document.activeElement.getAttribute("aria-label") || ""`)
			if label != "Close" {
				t.Fatalf("Tab from the alert focuses %+v, want its Close button", tb.focused())
			}
			tb.press("pressing Enter on Close", kb.Enter)
			tb.waitUntil("alert closed", `!`+alertText)
			if f := tb.focused(); f.ID != userMenu[1:] {
				t.Errorf("after closing the alert the focus is on %+v, want the user menu button", f)
			}
		})
	}
}
