package browser

import (
	"strconv"

	"github.com/chromedp/chromedp"
)

// The simulated users of the proxy's standalone mode: mode, menu label and
// the full name the menu button shows.
var (
	anonymous = simulatedUser{"ano", "Anonymous", "Anonymous"}
	logged    = simulatedUser{"log", "Logged user", "Logged Hector"}
	member    = simulatedUser{"mem", "Member", "Member Luc"}
	admin     = simulatedUser{"adm", "Administrator", "Admin Charles"}
)

type simulatedUser struct {
	mode, label, fullName string
}

func (tb *tab) switchTo(u simulatedUser) {
	tb.t.Helper()
	tb.switchUser(u.mode, u.label, u.fullName)
}

// resultBar is what the poll page shows of one answer's result.
type resultBar struct {
	Answer string  `json:"answer"`
	Now    int     `json:"now"`   // aria-valuenow, the percentage of votes
	Width  float64 `json:"width"` // the drawn bar's width, in CSS pixels
	Track  float64 `json:"track"` // the width of the whole bar, in CSS pixels
}

// resultBars reads the result bars of the poll page, by answer text.
func (tb *tab) resultBars() map[string]resultBar {
	tb.t.Helper()
	bars := eval[[]resultBar](tb, "reading the result bars", `Array.from(
		document.querySelectorAll("#results [role=progressbar]"),
		(p) => ({
			answer: p.getAttribute("aria-label"),
			now: Number(p.getAttribute("aria-valuenow")),
			width: p.querySelector(".progress-bar").getBoundingClientRect().width,
			track: p.getBoundingClientRect().width,
		}))`)
	byAnswer := make(map[string]resultBar, len(bars))
	for _, b := range bars {
		byAnswer[b.Answer] = b
	}
	return byAnswer
}

// vote chooses answer in the poll page's form and submits it.
func (tb *tab) vote(answer string) {
	tb.t.Helper()
	id := eval[string](tb, "finding the answer "+answer, `(Array.from(document.querySelectorAll("form label.form-check-label"))
		.find((l) => l.textContent.trim() === `+strconv.Quote(answer)+`) || {}).htmlFor || ""`)
	if id == "" {
		tb.t.Fatalf("the vote form has no answer labelled %q", answer)
	}
	tb.do("choosing "+answer, chromedp.Click(chromedp.CSS(`label[for="`+id+`"]`)))
	tb.clickAndLoad("voting for "+answer, chromedp.CSS(`form[action*="/vote/"] button[type=submit]`))
}
