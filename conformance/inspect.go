package conformance

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// InspectChecks returns the checks of any service, not only the
// fixtures. They check the ping round trip and the version. For each
// action path they check that the meta is valid JSON with known keys of
// the right types (unknown keys give a warning), and fetch the template
// when the meta names one. Then they fetch each media path. The
// target URL is the service's base URL. Action paths are written as in
// routes ("/" for the home action, "/show/1"); media paths are relative
// to media/.
func InspectChecks(actions, media []string) []Check {
	if len(actions) == 0 {
		actions = []string{"/"}
	}

	checks := []Check{
		newCheck("ping", "ping round trip", checkPing),
		newCheck("version", "version reply", checkVersion),
	}
	for _, action := range actions {
		path := strings.TrimPrefix(action, "/")
		tags := &templateTags{}
		checks = append(checks,
			newCheck("meta", "meta/"+path, func(p *probe) { inspectMeta(p, path, tags) }),
			newCheck("template", "template/"+path, func(p *probe) { inspectTemplate(p, path, tags) }),
		)
	}
	for _, name := range media {
		path := "media/" + strings.TrimPrefix(name, "/")
		checks = append(checks, newCheck("media", path, func(p *probe) { inspectMedia(p, path) }))
	}
	return checks
}

// templateTags passes the template_tag a meta check found to the
// template check of the same action.
type templateTags struct {
	mu    sync.Mutex
	tag   string
	found bool
}

func inspectMeta(p *probe, path string, tags *templateTags) {
	r := p.get("meta/" + path)
	p.status(r, http.StatusOK)

	report, err := ValidateMeta([]byte(r.body))
	if err != nil {
		p.fail("meta/"+path+": valid meta", err.Error())
	}

	tags.mu.Lock()
	tags.tag, tags.found = report.TemplateTag, true
	tags.mu.Unlock()

	if _, err := http.ParseTime(r.header.Get("Expire")); err != nil {
		report.Warnings = append(report.Warnings,
			fmt.Sprintf("Expire %q is not an HTTP date: a proxy caches the meta 5 minutes", r.header.Get("Expire")))
	}
	if len(report.Warnings) > 0 {
		p.warn("meta/"+path+": known keys only", strings.Join(report.Warnings, "; "))
	}
	p.note("meta/"+path+": valid meta", "template_tag "+quote(report.TemplateTag))
}

func inspectTemplate(p *probe, path string, tags *templateTags) {
	tags.mu.Lock()
	tag, found := tags.tag, tags.found
	tags.mu.Unlock()

	if !found {
		p.skip("no valid meta for this action")
	}
	if tag == "" {
		p.skip("the meta's template_tag is empty: the action has no template")
	}

	r := p.get("template/" + path)
	p.status(r, http.StatusOK)
	if strings.TrimSpace(r.body) == "" {
		p.fail("template/"+path+": a template", "an empty body")
	}
	p.note("template/"+path+": a template", fmt.Sprintf("%d bytes", len(r.body)))
}

func inspectMedia(p *probe, path string) {
	r := p.get(path)
	p.status(r, http.StatusOK)
	p.note(path+": a file", fmt.Sprintf("%d bytes, %s", len(r.body), r.header.Get("Content-Type")))
}
