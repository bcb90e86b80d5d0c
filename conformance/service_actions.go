package conformance

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// actionReplyChecks returns the checks of special action replies:
// redirects, files, session values, ETag, CORS, statuses and null.
func actionReplyChecks() []Check {
	checks := []Check{
		newCheck("action", "home action data", func(p *probe) {
			r := p.get("action/")
			p.status(r, http.StatusOK)
			p.jsonEqual(r, map[string]any{"home": "123"})
		}),
		newCheck("json_only and xml_only", "xml_only action data", func(p *probe) {
			r := p.get("action/xml_only")
			p.status(r, http.StatusOK)
			p.jsonEqual(r, map[string]any{"xml": "<a></a>"})
		}),
	}
	checks = append(checks, redirectChecks()...)
	checks = append(checks,
		newCheck("file replies", "file reply headers", checkServiceFile),
		newCheck("file replies", "file reply as attachment", checkServiceAttachment),
		newCheck("sessions", "session value set", checkServiceSetSession),
		newCheck("sessions", "session value read", checkServiceGetSession),
		newCheck("ETag", "ETag header from _plugit_etag", checkServiceETag),
		newCheck("CORS", "cross-domain headers", checkServiceCORS),
		newCheck("CORS", "cross-domain OPTIONS", checkServiceCORSOptions),
		newCheck("HEAD and OPTIONS", "OPTIONS lists allowed methods", checkServiceOptions),
		newCheck("HEAD and OPTIONS", "HEAD action has no body", checkServiceHead),
		newCheck("action", "postonly with form 1=9", checkServicePostOnly),
		newCheck("action", "postonly wrong form is JSON null", checkServicePostOnlyNull),
	)
	for _, code := range []int{304, 401, 403, 404, 429, 500} {
		checks = append(checks, newCheck("status codes", fmt.Sprintf("status %d passed", code), func(p *probe) {
			r := p.get(fmt.Sprintf("action/generate_%d", code))
			p.status(r, code)
			if code != http.StatusInternalServerError {
				p.equal(r.path+": body", "", r.body)
			}
		}))
	}
	for _, c := range []struct{ method, path string }{
		{http.MethodGet, "action/postonly"}, {http.MethodPost, "action/"},
		{http.MethodDelete, "action/params"}, {http.MethodGet, "action/upload_digest"},
		{http.MethodPut, "action/sendfile_external"},
	} {
		checks = append(checks, newCheck("action", c.method+" "+c.path+" is 405", func(p *probe) {
			p.status(p.do(c.method, c.path, nil, nil), http.StatusMethodNotAllowed)
		}))
	}
	return checks
}

func redirectChecks() []Check {
	cases := []struct {
		path, target string
		noPrefix     bool
	}{
		{"plugitredirect", "/redire_ect", false},
		{"plugitredirect2", "/redire_ec2t", true},
		{"external_plugitredirect", "redirected", false},
		{"external_plugitredirect2", "/plugIt/redirected", true},
	}
	checks := make([]Check, 0, len(cases))
	for _, c := range cases {
		checks = append(checks, newCheck("redirects", c.path+" redirect headers", func(p *probe) {
			r := p.get("action/" + c.path)
			p.status(r, http.StatusOK)
			noPrefix := ""
			if c.noPrefix {
				noPrefix = "True"
			}
			p.header(r, "EbuIo-PlugIt-Redirect-NoPrefix", noPrefix)
			p.header(r, "EbuIo-PlugIt-Redirect", c.target)
		}))
	}
	return checks
}

func checkServiceFile(p *probe) {
	r := p.get("action/plugitsendfile")
	p.status(r, http.StatusOK)
	p.header(r, "EbuIo-PlugIt-ItAFile", "True")
	mediaType, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
	p.equal("plugitsendfile: media type", "text/x-fixture", mediaType)
	p.equal("plugitsendfile: body", fixtureMedia["testfile2"], r.body)
}

func checkServiceAttachment(p *probe) {
	r := p.get("action/plugitsendfile2")
	p.status(r, http.StatusOK)
	p.header(r, "EbuIo-PlugIt-ItAFile", "True")
	p.equal("plugitsendfile2: body", fixtureMedia["testfile2"], r.body)
	disposition, params, err := mime.ParseMediaType(r.header.Get("Content-Disposition"))
	if err != nil {
		p.fail("plugitsendfile2: Content-Disposition attachment", quote(r.header.Get("Content-Disposition")))
	}
	p.equal("plugitsendfile2: disposition", "attachment", disposition)
	p.equal("plugitsendfile2: file name", "41-file-name", params["filename"])
}

func checkServiceSetSession(p *probe) {
	r := p.get("action/plugitsetsession")
	p.status(r, http.StatusOK)
	p.jsonEqual(r, map[string]any{"b": "2"})
	p.header(r, "EbuIo-PlugIt-SetSession-a", "1")
}

func checkServiceGetSession(p *probe) {
	value := "1700000000." + randomToken()[:6]
	r := p.getWith("action/plugitsetsession_get_time", "X-Plugitsession-t", value)
	p.status(r, http.StatusOK)
	p.equal("echo of X-Plugitsession-t", value, p.echoOf(r))

	set := p.get("action/plugitsetsession_set_time")
	p.status(set, http.StatusOK)
	p.header(set, "EbuIo-PlugIt-SetSession-t", p.echoOf(set))
}

func checkServiceETag(p *probe) {
	r := p.get("action/etag")
	p.status(r, http.StatusOK)
	p.equal("etag: echo", "42", p.echoOf(r))
	p.header(r, "ETag", "this-is-an-etag")
}

func checkServiceCORS(p *probe) {
	r := p.getWith("action/crossdomain", "X-Plugit-Origin", "http://origin.test")
	p.status(r, http.StatusOK)
	p.equal("crossdomain: echo of X-Plugit-Origin", "http://origin.test", p.echoOf(r))
	p.header(r, "Access-Control-Allow-Methods", "GET")
	p.header(r, "Access-Control-Max-Age", "21600")
	p.header(r, "Access-Control-Allow-Origin", "test")
}

func checkServiceCORSOptions(p *probe) {
	r := p.do(http.MethodOptions, "action/crossdomain", nil, nil)
	p.status(r, http.StatusOK)
	p.equal("OPTIONS crossdomain: body (the action does not run)", "", r.body)
	p.header(r, "Access-Control-Allow-Origin", "test")
}

func checkServiceOptions(p *probe) {
	r := p.do(http.MethodOptions, "action/params", nil, nil)
	p.status(r, http.StatusOK)
	allow := strings.ToUpper(r.header.Get("Allow"))
	for _, m := range []string{"GET", "POST", "OPTIONS"} {
		p.contains("OPTIONS params: Allow", allow, m)
	}
}

func checkServiceHead(p *probe) {
	r := p.do(http.MethodHead, "action/", nil, nil)
	p.status(r, http.StatusOK)
	p.equal("HEAD action/: body", "", r.body)
}

func checkServicePostOnly(p *probe) {
	r := p.postForm("action/postonly", url.Values{"1": {"9"}})
	p.status(r, http.StatusOK)
	p.jsonEqual(r, map[string]any{"result": "ok"})
}

func checkServicePostOnlyNull(p *probe) {
	r := p.postForm("action/postonly", url.Values{"1": {"8"}})
	p.status(r, http.StatusOK)
	p.equal("postonly with 1=8: body", "null", strings.TrimSpace(r.body))
}
