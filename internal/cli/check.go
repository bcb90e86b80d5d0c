package cli

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/plugit-go/plugit/conformance"
)

// checkTimeout bounds each request of plugit check.
const checkTimeout = 30 * time.Second

// stringList is a flag that may be repeated.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// runCheck checks a running service: ping, version, the meta and template
// of each action, and the media files asked for, with the time of each
// call.
func runCheck(ctx context.Context, env *environment, args []string) error {
	url, rest, err := splitURL("check", args)
	if err != nil {
		return err
	}

	fs := newFlagSet("check", "check URL [--action PATH]... [--media PATH]...", env.stderr)
	var actions, media stringList
	fs.Var(&actions, "action", "action path to check, such as / or /show/1; repeat for more (default: /)")
	fs.Var(&media, "media", "media file to fetch, relative to media/; repeat for more")
	timeout := fs.Duration("timeout", checkTimeout, "time-out of each call")
	if err := parseFlags(fs, rest); err != nil {
		return err
	}

	target := &conformance.Target{URL: url, Client: &http.Client{Timeout: *timeout}}
	return runSuite(ctx, env, target, conformance.InspectChecks(actions, media))
}
