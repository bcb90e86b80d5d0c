package conformance

import (
	"net/http"
	"net/url"
	"strings"
)

// csrfMarker is the placeholder a proxy-mode service writes where the
// proxy puts the CSRF token.
const csrfMarker = "{~__PLUGIT_CSRF_TOKEN__~}"

// ProxyModeChecks returns the checks of a standalone proxy in proxy mode
// fronting the proxy-mode fixture service. The target URL is the
// service's base path on the proxy; set OrgaMode as the proxy is
// configured.
func ProxyModeChecks() []Check {
	return []Check{
		newBrowserCheck("proxy mode", "page in layout with CSRF token", func(p *probe) {
			r := p.get("")
			p.status(r, http.StatusOK)
			p.contains("page", r.body, "mode=GET")
			p.contains("page", strings.ToLower(r.body), "<html")
			p.lacks("page", r.body, csrfMarker)
			p.note("page: the CSRF input has a value", p.csrfTokenFrom(""))
		}),
		newBrowserCheck("proxy mode", "POST with the token", func(p *probe) {
			token := p.csrfTokenFrom("")
			r := p.postForm("", url.Values{"csrfmiddlewaretoken": {token}})
			p.status(r, http.StatusOK)
			p.contains("page", r.body, "mode=POST")
		}),
		newBrowserCheck("proxy mode", "POST without token is 403", func(p *probe) {
			p.csrfTokenFrom("")
			p.status(p.postForm("", url.Values{"a": {"1"}}), http.StatusForbidden)
		}),
		newBrowserCheck("proxy mode", "user and base URL headers", checkProxyModeHeaders),
		newBrowserCheck("proxy mode", "browser X-Plugit headers not forwarded", func(p *probe) {
			r := p.getWith("", "X-Plugit-User-Pk", "forged-pk", "X-Plugit_user_pk", "forged-underscore",
				"X-Plugit-Base-Url", "forged-base", "X-Plugit-Orga-Pk", "forged-orga")
			p.status(r, http.StatusOK)
			p.lacks("headers the service received", r.body, "forged")
		}),
		newBrowserCheck("proxy mode", "NoTemplate reply without layout", func(p *probe) {
			r := p.get("no_template")
			p.status(r, http.StatusOK)
			p.equal("no_template: body", "This is not inside a template", r.body)
		}),
		newBrowserCheck("proxy mode", "redirect header", func(p *probe) {
			r := p.get("redirect_me")
			p.status(r, http.StatusFound)
			p.equal("redirect_me: Location path", p.basePath(), p.location(r))
		}),
		newBrowserCheck("media", "media forwarded", func(p *probe) {
			r := p.get("media/testfile2")
			p.status(r, http.StatusOK)
			p.equal("media/testfile2: body", fixtureMedia["testfile2"], r.body)
		}),
	}
}

// checkProxyModeHeaders checks the user, organisation and base URL
// headers a proxy-mode service gets, in the dash spelling.
func checkProxyModeHeaders(p *probe) {
	p.switchUser("adm")
	r := p.get("")
	p.status(r, http.StatusOK)
	text := pageText(r.body)
	p.contains("headers of adm", text, "x-plugit-user-pk=-3")
	p.contains("headers of adm", text, "x-plugit-user-username=Admin")
	p.contains("headers of adm", text, "x-plugit-user-ebuio-admin=True")
	p.contains("headers", text, "x-plugit-base-url="+p.basePath())
	if p.target.OrgaMode {
		p.contains("headers in organisation mode", text, "x-plugit-orga-pk=-1")
		p.contains("headers in organisation mode", text, "x-plugit-orga-name=EBU")
		p.contains("headers in organisation mode", text, "x-plugit-orga-codops=zzebu")
	}
}
