package conformance

import (
	"net/http"
	"strings"
)

// ProxyChecks returns the checks of a standalone proxy fronting the
// template-mode fixture service. The target URL is the service's base
// path on the proxy, such as "http://127.0.0.1:4000/plugIt/"; set
// OrgaMode, ProxyTimeout and MenuBlock as the proxy is configured.
func ProxyChecks() []Check {
	checks := []Check{
		newBrowserCheck("page pipeline", "layout around home_template", checkLayout),
		newBrowserCheck("page pipeline", "unknown action is 404", func(p *probe) {
			p.status(p.get("no_such_action"), http.StatusNotFound)
		}),
	}
	checks = append(checks, accessChecks()...)
	checks = append(checks, cacheChecks()...)
	checks = append(checks, userInfoChecks()...)
	checks = append(checks, forwardChecks()...)
	checks = append(checks, proxyReplyChecks()...)
	checks = append(checks, csrfChecks()...)
	checks = append(checks, proxyStatusChecks()...)
	checks = append(checks, proxyTemplateChecks()...)
	checks = append(checks, orgaChecks()...)
	return checks
}

func checkLayout(p *probe) {
	r := p.get("")
	p.status(r, http.StatusOK)
	p.contains("page: Content-Type", r.header.Get("Content-Type"), "text/html")
	p.contains("page", r.body, "home_template")
	if strings.TrimSpace(r.body) == "home_template" {
		p.fail("page: home_template inside the layout", "home_template alone")
	}
	p.contains("page", strings.ToLower(r.body), "<html")
}
