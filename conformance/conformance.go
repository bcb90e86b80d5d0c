package conformance

import (
	"context"
	"net/http"
	"time"
)

// defaultClientTimeout bounds each request of a check when the target
// sets no client.
const defaultClientTimeout = 90 * time.Second

// Target is the server a suite checks.
type Target struct {
	// URL is the base URL: the service's base URL for ServiceChecks, such
	// as "http://127.0.0.1:5000/", or the base path of the service on the
	// proxy for ProxyChecks, such as "http://127.0.0.1:4000/plugIt/".
	URL string

	// Client sends the requests. Proxy checks use a copy with their own
	// cookie jar that does not follow redirects. Default: a client whose
	// requests time out after 90 seconds.
	Client *http.Client

	// OrgaMode is set when the proxy runs in organisation mode. Default:
	// false.
	OrgaMode bool

	// ProxyTimeout is the proxy's time-out for service calls. When set,
	// a check calls /slow for longer than that and expects 504. Default:
	// 0, which skips that check.
	ProxyTimeout time.Duration

	// MenuBlock is the template block the proxy renders in its side menu,
	// such as "menubar". Default: "" (the proxy shows no side menu, and
	// the menu check only looks at the page content).
	MenuBlock string
}

func (t *Target) client() *http.Client {
	if t.Client != nil {
		return t.Client
	}
	return &http.Client{Timeout: defaultClientTimeout}
}

// Check is one rule of the protocol, checked by requests to a target.
type Check struct {
	// Name names the check, such as "ping round trip".
	Name string
	// Rule is the protocol topic the check covers, such as "ping" or
	// "access rules".
	Rule string
	// Run performs the check. It fills Status, Expected and Seen of the
	// result; Run and the suites fill the rest.
	Run func(ctx context.Context, t *Target) Result
}

// Status is the outcome of a check.
type Status int

// The outcomes of a check.
const (
	// Pass means the target behaved as the rule requires.
	Pass Status = iota
	// Fail means it did not, and Expected and Seen show the difference.
	Fail
	// Skip means the check could not run against this target, for a
	// reason given in Seen.
	Skip
	// Warn means the target works, but sent something a proxy may read
	// differently, described in Seen. A warning is not a failure.
	Warn
)

// String returns PASS, FAIL, SKIP or WARN.
func (s Status) String() string {
	switch s {
	case Pass:
		return "PASS"
	case Fail:
		return "FAIL"
	case Warn:
		return "WARN"
	}
	return "SKIP"
}

// Result is the outcome of one check.
type Result struct {
	// Check is the check's name.
	Check string
	// Rule is the protocol topic of the check.
	Rule string
	// Status is PASS, FAIL, SKIP or WARN.
	Status Status
	// Expected is the value the rule requires. For a failure it belongs
	// to the first comparison that failed, for a pass to the last one.
	Expected string
	// Seen is the value the target sent in that comparison.
	Seen string
	// Duration is how long the check took.
	Duration time.Duration
}

// Passed reports whether the check passed, with or without a warning.
func (r Result) Passed() bool { return r.Status == Pass || r.Status == Warn }

// Run runs the checks one after another against t and returns their
// results in the same order. A check that ctx cancels fails.
func Run(ctx context.Context, t *Target, checks []Check) []Result {
	results := make([]Result, 0, len(checks))
	for _, c := range checks {
		start := time.Now()
		res := c.Run(ctx, t)
		res.Check, res.Rule = c.Name, c.Rule
		res.Duration = time.Since(start)
		results = append(results, res)
	}
	return results
}

// Failed returns the results that failed.
func Failed(results []Result) []Result {
	var failed []Result
	for _, r := range results {
		if r.Status == Fail {
			failed = append(failed, r)
		}
	}
	return failed
}
