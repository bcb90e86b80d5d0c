package browser

import (
	"math"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPollJourney walks the demo as its README describes: the list, the
// user menu, a member creating a poll, a logged user voting and moving the
// vote, and an administrator seeing who voted.
func TestPollJourney(t *testing.T) {
	s := startSite(t)
	tb := newTab(t)
	tb.setViewport(desktopWidth, desktopHeight, false)

	tb.open(s.base)
	if got := tb.text("#content h1"); got != "Polls" {
		t.Fatalf("list page heading is %q, want Polls", got)
	}
	if got := tb.text("#content .list-group"); !strings.Contains(got, "Which PlugIt feature do you use most?") {
		t.Fatalf("list page does not show the sample poll:\n%s", got)
	}
	tb.expectUser(anonymous.mode, anonymous.fullName)
	if eval[bool](tb, "looking for the create button", `!!document.querySelector("a[href$='/create/']")`) {
		t.Fatal("anonymous visitor sees the Create a poll button")
	}

	tb.switchTo(member)
	tb.clickAndLoad("opening the poll form", `#content a[href$="/create/"]`)
	tb.do("filling the poll form",
		chromedp.SendKeys(chromedp.ID("title"), "Tea or coffee?"),
		chromedp.SendKeys(chromedp.ID("description"), "Morning drink"),
		chromedp.SendKeys(chromedp.ID("answer-1"), "Tea"),
		chromedp.SendKeys(chromedp.ID("answer-3"), "Coffee"),
	)
	tb.clickAndLoad("creating the poll", `#content form button[type=submit]`)
	if got := tb.text("#content h1"); got != "Tea or coffee?" {
		t.Fatalf("after creating, the page heading is %q, want the new poll", got)
	}
	poll := eval[string](tb, "reading the poll address", `location.href`)
	before := tb.resultBars()
	expectBar(t, before, "Tea", 0)
	expectBar(t, before, "Coffee", 0)

	tb.switchTo(logged)
	if got := eval[string](tb, "reading the address", `location.href`); got != poll {
		t.Fatalf("switching user moved the page to %s, want it to stay on %s", got, poll)
	}
	tb.vote("Tea")
	voted := tb.resultBars()
	expectBar(t, voted, "Tea", 100)
	expectBar(t, voted, "Coffee", 0)
	if got := tb.text("#results .poll-mine"); !strings.Contains(got, "your vote") {
		t.Errorf("the user's answer is not marked as their vote: %q", got)
	}

	tb.vote("Coffee")
	moved := tb.resultBars()
	expectBar(t, moved, "Tea", 0)
	expectBar(t, moved, "Coffee", 100)
	if eval[bool](tb, "looking for voters", `!!document.querySelector("#results .voters")`) {
		t.Error("a logged user who is not an administrator sees the voters")
	}

	tb.switchTo(admin)
	voters := eval[[]string](tb, "reading the voters",
		`Array.from(document.querySelectorAll("#results .voters"), (p) => p.textContent.trim())`)
	if len(voters) != 2 || voters[0] != "Voters: none" || voters[1] != "Voters: Logged" {
		t.Errorf("administrator sees voters %q, want [Voters: none, Voters: Logged] for Tea and Coffee", voters)
	}
}

// expectBar checks that an answer's result bar states percent in
// aria-valuenow and is drawn that wide.
func expectBar(t *testing.T, bars map[string]resultBar, answer string, percent int) {
	t.Helper()
	bar, ok := bars[answer]
	if !ok {
		t.Fatalf("no result bar for %q in %v", answer, bars)
	}
	if bar.Now != percent {
		t.Errorf("result bar of %q has aria-valuenow %d, want %d", answer, bar.Now, percent)
	}
	if bar.Track <= 0 {
		t.Fatalf("result bar of %q is not drawn: %+v", answer, bar)
	}
	if drawn := 100 * bar.Width / bar.Track; math.Abs(drawn-float64(percent)) > 1 {
		t.Errorf("result bar of %q is drawn %.1f%% wide, want %d%%", answer, drawn, percent)
	}
}
