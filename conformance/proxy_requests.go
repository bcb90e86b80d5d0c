package conformance

import (
	"net/http"
	"net/url"
	"strings"
)

// userInfoChecks returns the checks of the user properties the proxy
// sends, encoded as the original Python client encoded them.
func userInfoChecks() []Check {
	want := map[string]string{
		"ano": "None||False|False",
		"log": "-1|Logged|False|False",
		"mem": "-2|Member|True|False",
		"adm": "-3|Admin|True|True",
	}
	return []Check{
		newBrowserCheck("user_info", "user_props per user", func(p *probe) {
			for _, mode := range userModes {
				if mode == "ano" && p.target.OrgaMode {
					continue
				}
				p.switchUser(mode)
				r := p.get("user_props")
				p.status(r, http.StatusOK)
				p.equal("user_props as "+mode, want[mode], strings.TrimSpace(r.body))
			}
		}),
		newBrowserCheck("user_info", "user_props in a POST form", func(p *probe) {
			p.switchUser("adm")
			r := p.postWithToken("user_props", url.Values{})
			p.status(r, http.StatusOK)
			p.equal("user_props as adm", want["adm"], strings.TrimSpace(r.body))
		}),
		newBrowserCheck("user_info", "user_pk of the user", func(p *probe) {
			p.switchUser("mem")
			r := p.get("user_pk")
			p.status(r, http.StatusOK)
			p.contains("user_pk as mem", r.body, "-2")
		}),
		newBrowserCheck("user_info", "unreleased property is the error page", func(p *probe) {
			p.status(p.get("user_info"), http.StatusInternalServerError)
		}),
	}
}

// orgaParam returns the part of the /params echo that the proxy adds in
// organisation mode for the default organisation, or "" outside it.
func (p *probe) orgaParam() string {
	if p.target.OrgaMode {
		return "ebuio_orgapk=-1;"
	}
	return ""
}

// withoutCSRFField removes the csrfmiddlewaretoken pair from a /params
// echo: a proxy may forward the token field or keep it.
func withoutCSRFField(echo string) string {
	var kept []string
	for _, pair := range strings.Split(echo, ";") {
		if !strings.HasPrefix(pair, "csrfmiddlewaretoken=") {
			kept = append(kept, pair)
		}
	}
	return strings.Join(kept, ";")
}

// forwardChecks returns the checks of what the proxy forwards from the
// browser: parameters without the reserved ebuio_* names, no X-Plugit-*
// header of the browser, and the copied headers.
func forwardChecks() []Check {
	return []Check{
		newBrowserCheck("parameters", "forged ebuio_ query parameters dropped", func(p *probe) {
			r := p.get("params?a=1&a=2&ebuio_u_pk=1&ebuio_orgapk=99&ebuio_u_ebuio_admin=True")
			p.status(r, http.StatusOK)
			p.equal("params", "a=1,2"+strings.TrimSuffix(";"+p.orgaParam(), ";"), strings.TrimSpace(r.body))
		}),
		newBrowserCheck("parameters", "forged ebuio_ form fields dropped", func(p *probe) {
			r := p.postWithToken("params?q=1", url.Values{"f": {"x", "y"}, "ebuio_u_pk": {"5"},
				"ebuio_orgapk": {"98"}})
			p.status(r, http.StatusOK)
			p.equal("params", p.orgaParam()+"f=x,y;q=1", withoutCSRFField(strings.TrimSpace(r.body)))
		}),
		newBrowserCheck("headers", "browser X-Plugit headers not forwarded", checkForgedHeaders),
		newBrowserCheck("headers", "If-None-Match copied", func(p *probe) {
			r := p.getWith("if_none_match", "If-None-Match", "tag-123")
			p.status(r, http.StatusOK)
			p.contains("if_none_match page", r.body, "tag-123")
		}),
		newBrowserCheck("headers", "Origin copied and CORS forwarded", func(p *probe) {
			r := p.getWith("crossdomain", "Origin", "http://origin.test")
			p.status(r, http.StatusOK)
			p.contains("crossdomain page", r.body, "http://origin.test")
			p.header(r, "Access-Control-Allow-Origin", "test")
		}),
		newBrowserCheck("CORS", "OPTIONS returns CORS headers", func(p *probe) {
			r := p.do(http.MethodOptions, "crossdomain", nil, nil)
			p.status(r, http.StatusOK)
			p.equal("OPTIONS crossdomain: body", "", r.body)
			p.header(r, "Access-Control-Allow-Origin", "test")
		}),
	}
}

// checkForgedHeaders sends headers only the proxy may send and checks
// that none reaches the service.
func checkForgedHeaders(p *probe) {
	r := p.getWith("headers",
		"X-Plugit-User-Pk", "forged-pk",
		"X-Plugit-Orga-Pk", "forged-orga",
		"X-Plugit_user_pk", "forged-underscore",
		"X-Plugitsession-t", "forged-session",
		"X-Plugit-Remote-Addr", "forged-addr",
		"X-Plugit-Base-Url", "forged-base")
	p.status(r, http.StatusOK)
	p.lacks("headers the service received", r.body, "forged")
}
