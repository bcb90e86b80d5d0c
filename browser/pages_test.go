package browser

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The two screen sizes the layout is checked at, in CSS pixels.
const (
	desktopWidth, desktopHeight = 1280, 800
	phoneWidth, phoneHeight     = 390, 844
)

// userMenu is the layout's user menu button.
const userMenu = "#plugit-user-menu"

// userItem selects the user menu's entry for a simulated user's mode.
func userItem(mode string) chromedp.CSS {
	return chromedp.CSS(`[aria-labelledby="plugit-user-menu"] a[data-plugit-switch][href$="ebuio_setUser?mode=` + mode + `"]`)
}

// open navigates to url and waits for the layout's main landmark.
func (tb *tab) open(url string) {
	tb.t.Helper()
	tb.do("opening "+url, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main#content")))
}

// setViewport emulates a screen of width by height CSS pixels. With mobile,
// it also emulates a phone's handling of the viewport meta tag.
func (tb *tab) setViewport(width, height int64, mobile bool) {
	tb.t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile)
	}
	tb.do("setting the viewport", chromedp.EmulateViewport(width, height, opts...))
}

// clickAndLoad clicks the element sel and waits for the page load that
// the click causes.
func (tb *tab) clickAndLoad(step string, sel chromedp.CSS) {
	tb.t.Helper()
	_, err := chromedp.Run(tb.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(sel)))
	if err != nil {
		tb.t.Fatalf("%s: clicking %s: %v", step, sel, err)
	}
	tb.do(step, chromedp.WaitVisible(chromedp.CSS("main#content")))
}

// pressAndLoad presses keys in the focused element and waits for the page
// load that they cause.
func (tb *tab) pressAndLoad(step, keys string) {
	tb.t.Helper()
	_, err := chromedp.Run(tb.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(keys)))
	if err != nil {
		tb.t.Fatalf("%s: %v", step, err)
	}
	tb.do(step, chromedp.WaitVisible(chromedp.CSS("main#content")))
}

// text returns the visible text of the first element matching sel.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("reading the text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// openUserMenu opens the user menu with the mouse, first opening the
// collapsed navigation bar when the screen is narrow.
func (tb *tab) openUserMenu() {
	tb.t.Helper()
	if eval[bool](tb, "checking the navigation toggler", `getComputedStyle(document.querySelector(".navbar-toggler")).display !== "none"`) {
		tb.do("opening the navigation bar", chromedp.Click(chromedp.CSS(".navbar-toggler")))
		tb.waitUntil("navigation bar opened", `document.querySelector("#plugit-nav").matches(".collapse.show")`)
	}
	tb.do("opening the user menu", chromedp.Click(chromedp.CSS(userMenu)))
	tb.waitUntil("user menu opened", `document.querySelector("[aria-labelledby='plugit-user-menu']").matches(".show")`)
}

// switchUser chooses a simulated user in the user menu with the mouse and
// checks that the reloaded page shows them.
func (tb *tab) switchUser(mode, label, fullName string) {
	tb.t.Helper()
	tb.openUserMenu()
	if got := tb.text(string(userItem(mode))); got != label {
		tb.t.Fatalf("user menu entry for %s reads %q, want %q", mode, got, label)
	}
	tb.clickAndLoad("switching to "+label, userItem(mode))
	tb.expectUser(mode, fullName)
}

// expectUser checks that the layout shows the simulated user mode as the
// current one.
func (tb *tab) expectUser(mode, fullName string) {
	tb.t.Helper()
	got := eval[string](tb, "reading the user menu", `document.querySelector("#plugit-user-menu").textContent.trim()`)
	if !strings.Contains(got, fullName) {
		tb.t.Fatalf("user menu button reads %q, want it to name %q", got, fullName)
	}
	current := eval[string](tb, "reading the current user entry",
		`(document.querySelector("[aria-labelledby='plugit-user-menu'] [aria-current]") || {}).href || ""`)
	if !strings.HasSuffix(current, "mode="+mode) {
		tb.t.Fatalf("user menu marks %q with aria-current, want the entry of mode %s", current, mode)
	}
}

// docScreenshots are the screenshots the README shows, from
// docs/screenshots/.
var docScreenshots = map[string]bool{
	"poll-desktop": true, "poll-phone": true,
	"error-403-desktop": true, "error-403-phone": true,
}

// screenshot saves a PNG of the viewport as name.png under
// test-artifacts/screenshots/, and also under docs/screenshots/ when it is
// one of docScreenshots and PLUGIT_UPDATE_SCREENSHOTS=1. It checks that the
// image has the viewport's size.
func (tb *tab) screenshot(name string, width, height int) {
	tb.t.Helper()
	data, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("taking screenshot %s: %v", name, err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		tb.t.Fatalf("screenshot %s is not a PNG: %v", name, err)
	}
	if cfg.Width != width || cfg.Height != height {
		tb.t.Errorf("screenshot %s is %dx%d, want %dx%d", name, cfg.Width, cfg.Height, width, height)
	}

	folders := []string{filepath.Join("..", "test-artifacts", "screenshots")}
	if docScreenshots[name] && os.Getenv("PLUGIT_UPDATE_SCREENSHOTS") == "1" {
		folders = append(folders, filepath.Join("..", "docs", "screenshots"))
	}
	for _, dir := range folders {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.t.Fatalf("creating %s: %v", dir, err)
		}
		path := filepath.Join(dir, name+".png")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			tb.t.Fatalf("writing %s: %v", path, err)
		}
		tb.t.Logf("screenshot written to %s", path)
	}
}
