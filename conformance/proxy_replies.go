package conformance

import (
	"mime"
	"net/http"
	"strings"
)

// proxyReplyChecks returns the checks of special replies as a browser
// gets them: redirects, files, session values, json_only, xml_only,
// no_template, media and ETag.
func proxyReplyChecks() []Check {
	checks := proxyRedirectChecks()
	return append(checks,
		newBrowserCheck("file replies", "file sent as it is", func(p *probe) {
			r := p.get("plugitsendfile")
			p.status(r, http.StatusOK)
			mediaType, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
			p.equal("plugitsendfile: media type", "text/x-fixture", mediaType)
			p.equal("plugitsendfile: body", fixtureMedia["testfile2"], r.body)
		}),
		newBrowserCheck("file replies", "file with Content-Disposition", func(p *probe) {
			r := p.get("plugitsendfile2")
			p.status(r, http.StatusOK)
			p.equal("plugitsendfile2: body", fixtureMedia["testfile2"], r.body)
			disposition, params, _ := mime.ParseMediaType(r.header.Get("Content-Disposition"))
			p.equal("plugitsendfile2: disposition", "attachment", disposition)
			p.equal("plugitsendfile2: file name", "41-file-name", params["filename"])
		}),
		newBrowserCheck("sessions", "session value set then read", checkSessionRoundTrip),
		newBrowserCheck("json_only and xml_only", "json_only as JSON", func(p *probe) {
			r := p.getWith("json_only", "Accept", "application/json")
			p.status(r, http.StatusOK)
			mediaType, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
			p.equal("json_only: media type", "application/json", mediaType)
			p.jsonEqual(r, map[string]any{})
		}),
		newBrowserCheck("json_only and xml_only", "json_only without JSON in Accept", func(p *probe) {
			r := p.getWith("json_only", "Accept", "text/html")
			p.status(r, http.StatusOK)
			p.lacks("json_only: Content-Type", r.header.Get("Content-Type"), "application/json")
			p.jsonEqual(r, map[string]any{})
		}),
		newBrowserCheck("json_only and xml_only", "xml_only as XML", func(p *probe) {
			r := p.get("xml_only")
			p.status(r, http.StatusOK)
			mediaType, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
			p.equal("xml_only: media type", "application/xml", mediaType)
			p.equal("xml_only: body", "<a></a>", r.body)
		}),
		newBrowserCheck("page pipeline", "no_template without layout", func(p *probe) {
			r := p.get("no_template")
			p.status(r, http.StatusOK)
			p.equal("no_template: body", "home_template", strings.TrimSpace(r.body))
		}),
		newBrowserCheck("media", "media forwarded", func(p *probe) {
			r := p.get("media/testfile1")
			p.status(r, http.StatusOK)
			p.equal("media/testfile1: body", fixtureMedia["testfile1"], r.body)
			p.header(r, "Content-Length", itoa(len(fixtureMedia["testfile1"])))
		}),
		newBrowserCheck("media", "unknown media is 404", func(p *probe) {
			p.status(p.get("media/no_such_file"), http.StatusNotFound)
		}),
		newBrowserCheck("ETag", "ETag forwarded", func(p *probe) {
			r := p.get("etag")
			p.status(r, http.StatusOK)
			p.contains("etag page", r.body, "42")
			p.header(r, "ETag", "this-is-an-etag")
		}),
		newBrowserCheck("routes", "show/42 with an int parameter", func(p *probe) {
			r := p.get("show/42")
			p.status(r, http.StatusOK)
			p.equal("show/42: body", "42", strings.TrimSpace(r.body))
		}),
		newBrowserCheck("routes", "show/abc is 404", func(p *probe) {
			p.status(p.get("show/abc"), http.StatusNotFound)
		}),
		newBrowserCheck("time-out", "slow service is 504", checkSlowService),
	)
}

func proxyRedirectChecks() []Check {
	cases := []struct {
		path, want string
		prefixed   bool
	}{
		{"plugitredirect", "redire_ect", true},
		{"plugitredirect2", "/redire_ec2t", false},
		{"external_plugitredirect", "redirected", true},
		{"external_plugitredirect2", "/plugIt/redirected", false},
	}
	checks := make([]Check, 0, len(cases)+1)
	for _, c := range cases {
		checks = append(checks, newBrowserCheck("redirects", c.path+" Location", func(p *probe) {
			want := c.want
			if c.prefixed {
				want = p.basePath() + c.want
			}
			r := p.get(c.path)
			p.status(r, http.StatusFound)
			p.equal(c.path+": Location path", want, p.location(r))
		}))
	}

	return append(checks, newBrowserCheck("redirects", "redirect target page", func(p *probe) {
		r := p.get("external_plugitredirect")
		p.status(r, http.StatusFound)
		target := p.location(r)
		page := p.get(strings.TrimPrefix(target, p.basePath()))
		p.status(page, http.StatusOK)
		p.equal("redirected: body", "redirected", strings.TrimSpace(page.body))
	}))
}

// checkSessionRoundTrip sets a session value, reads it back, and checks
// that another browser does not see it.
func checkSessionRoundTrip(p *probe) {
	set := p.get("plugitsetsession_set_time")
	p.status(set, http.StatusOK)
	t := strings.TrimSpace(set.body)
	if t == "" {
		p.fail("plugitsetsession_set_time: a time", quote(set.body))
	}

	got := p.get("plugitsetsession_get_time")
	p.status(got, http.StatusOK)
	p.equal("plugitsetsession_get_time: session value", t, strings.TrimSpace(got.body))

	p.client = newBrowser(p.client)
	if p.target.OrgaMode {
		p.switchUser("log")
	}
	other := p.get("plugitsetsession_get_time")
	p.status(other, http.StatusOK)
	if strings.TrimSpace(other.body) == t {
		p.fail("another browser: no session value", quote(other.body))
	}
	p.note("another browser: no session value", quote(strings.TrimSpace(other.body)))
}

// checkSlowService calls /slow for longer than the proxy's time-out.
func checkSlowService(p *probe) {
	timeout := p.target.ProxyTimeout
	if timeout <= 0 {
		p.skip("the proxy's time-out is not known: set it to run this check")
	}

	fast := p.get("slow?ms=0")
	p.status(fast, http.StatusOK)
	p.equal("slow?ms=0: body", "slow", strings.TrimSpace(fast.body))

	ms := min(timeout.Milliseconds()+2000, 60000)
	if timeout.Milliseconds() >= 60000 {
		p.skip("the proxy's time-out is not shorter than the fixture's longest delay, 60 s")
	}
	p.status(p.get("slow?ms="+itoa(int(ms))), http.StatusGatewayTimeout)
}
