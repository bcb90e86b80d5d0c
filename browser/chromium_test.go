package browser

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// defaultChromium is where Debian's chromium package installs the browser.
const defaultChromium = "/usr/bin/chromium"

// tabTimeout bounds one test's use of its tab, so that a page that never
// loads fails the test instead of hanging it.
const tabTimeout = 2 * time.Minute

// The browser every test opens its tabs in, started once by TestMain.
var (
	browserCtx  context.Context // nil when Chromium is missing or failed to start
	browserSkip string          // why the tests skip, when Chromium is missing
	errBrowser  error           // why Chromium failed to start
)

func TestMain(m *testing.M) {
	os.Exit(runWithBrowser(m))
}

// runWithBrowser starts Chromium, runs the tests and stops it again.
func runWithBrowser(m *testing.M) int {
	path := chromiumPath()
	if _, err := os.Stat(path); err != nil && os.Getenv("PLUGIT_TEST_CHROMIUM") != "" {
		// A path set on purpose, as CI does, must not turn into a skip.
		errBrowser = fmt.Errorf("PLUGIT_TEST_CHROMIUM is %s, which can't be used: %w", path, err)
		return m.Run()
	}
	if _, err := os.Stat(path); err != nil {
		browserSkip = fmt.Sprintf("browser tests need Chromium at %s (%v): install it with "+
			"`apt-get install chromium` on Debian, or set PLUGIT_TEST_CHROMIUM to its path", path, err)
		return m.Run()
	}

	profile, err := os.MkdirTemp("", "plugit-chromium-")
	if err != nil {
		errBrowser = fmt.Errorf("creating the Chromium profile folder: %w", err)
		return m.Run()
	}
	defer os.RemoveAll(profile)

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromiumOptions(path, profile)...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		errBrowser = fmt.Errorf("starting Chromium %s: %w", path, err)
		return m.Run()
	}

	browserCtx = ctx
	return m.Run()
}

func chromiumPath() string {
	if path := os.Getenv("PLUGIT_TEST_CHROMIUM"); path != "" {
		return path
	}
	return defaultChromium
}

// chromiumOptions runs a headless Chromium with a fresh profile that talks
// to nothing but the loopback servers of the tests.
func chromiumOptions(path, profile string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root, where the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// Every host name fails to resolve, so a page or the browser itself
		// can reach only the 127.0.0.1 servers the tests start.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(desktopWidth, desktopHeight),
	)
}

// tab is one browser tab with its own cookies, as if a new visitor opened
// the site.
type tab struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
}

// newTab opens a tab in a new browser context, so that no cookie or
// session leaks from another test. It skips the test when Chromium is
// missing, and fails it when the page threw a JavaScript exception.
func newTab(t *testing.T) *tab {
	t.Helper()
	if browserSkip != "" {
		t.Skip(browserSkip)
	}
	if errBrowser != nil {
		t.Fatal(errBrowser)
	}

	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, tabTimeout)
	tb := &tab{t: t, ctx: ctx}
	done := tb.watchConsole()
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
		<-done
		tb.expectNoExceptions()
	})
	return tb
}

// watchConsole records the console messages of the tab until its context
// ends, and closes the returned channel then.
func (tb *tab) watchConsole() <-chan struct{} {
	messages := chromedp.Console(tb.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.messages = append(tb.messages, m)
			tb.mu.Unlock()
		}
	}()
	return done
}

func (tb *tab) expectNoExceptions() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, m := range tb.messages {
		if m.IsException() {
			tb.t.Errorf("the page threw a JavaScript exception at %s:%d: %s", m.URL, m.Line+1, m.Text)
			continue
		}
		tb.t.Logf("browser console: %s (%s)", m, m.URL)
	}
}

// do runs actions in the tab, and fails the test naming the step when one
// of them fails.
func (tb *tab) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", step, err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](tb *tab, step, expression string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expression))
	if err != nil {
		tb.t.Fatalf("%s: evaluating %s: %v", step, expression, err)
	}
	return v
}

// waitUntil waits, up to 30 seconds, until a JavaScript expression is true
// in the page.
func (tb *tab) waitUntil(step, expression string) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.Poll[chromedp.Void](expression)); err != nil {
		tb.t.Fatalf("%s: waiting for %s: %v", step, expression, err)
	}
}
