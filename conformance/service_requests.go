package conformance

import (
	"encoding/json"
	"net/http"
	"net/url"
)

// actionRequestChecks returns the checks of actions that echo what the
// proxy sends: user properties, parameters, headers and uploads.
func actionRequestChecks() []Check {
	return []Check{
		newCheck("user_info", "user_props from the query", func(p *probe) {
			r := p.get("action/user_props?ebuio_u_pk=-3&ebuio_u_username=Admin&ebuio_u_ebuio_member=True" +
				"&ebuio_u_ebuio_admin=True")
			p.status(r, http.StatusOK)
			p.equal("user_props: echo", "-3|Admin|True|True", p.echoOf(r))
		}),
		newCheck("user_info", "user_props from the form", func(p *probe) {
			r := p.postForm("action/user_props", url.Values{"ebuio_u_username": {""},
				"ebuio_u_ebuio_member": {"False"}, "ebuio_u_ebuio_admin": {"False"}})
			p.status(r, http.StatusOK)
			p.equal("user_props: echo (pk left out)", "None||False|False", p.echoOf(r))
		}),
		newCheck("user_info", "user_pk echoes ebuio_u_pk", func(p *probe) {
			r := p.get("action/user_pk?ebuio_u_pk=-2")
			p.status(r, http.StatusOK)
			p.equal("user_pk: echo", "-2", p.echoOf(r))
		}),
		newCheck("parameters", "params echoes query keys", func(p *probe) {
			r := p.get("action/params?b=2&a=1&a=3")
			p.status(r, http.StatusOK)
			p.equal("params: echo", "a=1,3;b=2", p.echoOf(r))
		}),
		newCheck("parameters", "params echoes form and query", func(p *probe) {
			r := p.postForm("action/params?q=1", url.Values{"f": {"x", "y"}})
			p.status(r, http.StatusOK)
			p.equal("params: echo", "f=x,y;q=1", p.echoOf(r))
		}),
		newCheck("headers", "headers echoes X-Plugit headers", checkServiceHeaders),
		newCheck("headers", "remote_addr echoes X-Plugit-Remote-Addr", func(p *probe) {
			r := p.getWith("action/remote_addr", "X-Plugit-Remote-Addr", "192.0.2.7")
			p.status(r, http.StatusOK)
			p.equal("remote_addr: echo", "192.0.2.7", p.echoOf(r))
		}),
		newCheck("headers", "if_none_match echoes X-Plugit-If-None-Match", func(p *probe) {
			r := p.getWith("action/if_none_match", "X-Plugit-If-None-Match", `"tag-1"`)
			p.status(r, http.StatusOK)
			p.equal("if_none_match: echo", `"tag-1"`, p.echoOf(r))
		}),
		newCheck("uploads", "sendfile_external with the right file", func(p *probe) {
			r := p.postMultipart("action/sendfile_external",
				formPart{name: "testfile2", fileName: "testfile2", value: []byte(fixtureMedia["testfile2"] + "\n")})
			p.status(r, http.StatusOK)
			p.equal("sendfile_external: echo", "ok", p.echoOf(r))
		}),
		newCheck("uploads", "sendfile_external with another file", func(p *probe) {
			r := p.postMultipart("action/sendfile_external",
				formPart{name: "testfile2", fileName: "testfile2", value: []byte("something else")})
			p.status(r, http.StatusOK)
			p.equal("sendfile_external: echo", "err", p.echoOf(r))
		}),
		newCheck("uploads", "sendfile_external without the file is 400", func(p *probe) {
			r := p.postMultipart("action/sendfile_external", formPart{name: "other", value: []byte("x")})
			p.status(r, http.StatusBadRequest)
		}),
		newCheck("uploads", "upload_digest of a file", func(p *probe) {
			data, digest := randomUpload(300 << 10)
			r := p.postMultipart("action/upload_digest", formPart{name: "f", fileName: "blob.bin", value: data})
			p.status(r, http.StatusOK)
			p.equal("upload_digest: echo", digest, p.echoOf(r))
		}),
		newCheck("routes", "show/42 echoes the id", func(p *probe) {
			r := p.get("action/show/42")
			p.status(r, http.StatusOK)
			p.equal("show/42: echo", "42", p.echoOf(r))
		}),
		newCheck("routes", "show/abc is 404", func(p *probe) {
			p.status(p.get("meta/show/abc"), http.StatusNotFound)
			p.status(p.get("action/show/abc"), http.StatusNotFound)
		}),
		newCheck("action", "slow replies after the delay", func(p *probe) {
			r := p.get("action/slow?ms=20")
			p.status(r, http.StatusOK)
			p.equal("slow: echo", "slow", p.echoOf(r))
		}),
		newCheck("action", "cacheTime echoes a number", func(p *probe) {
			r := p.get("action/cacheTime")
			p.status(r, http.StatusOK)
			obj, _ := p.jsonReply(r).(map[string]any)
			if _, ok := obj["echo"].(json.Number); !ok {
				p.fail("cacheTime: echo is a JSON number", excerpt(r.body))
			}
			p.note("cacheTime: echo is a JSON number", excerpt(r.body))
		}),
		newCheck("json_only and xml_only", "json_only action data", func(p *probe) {
			r := p.get("action/json_only")
			p.status(r, http.StatusOK)
			p.jsonEqual(r, map[string]any{})
		}),
	}
}

// checkServiceHeaders sends both spellings of proxy headers, with "-"
// and with "_", which a service must read alike.
func checkServiceHeaders(p *probe) {
	h := http.Header{}
	h["X-Plugit-User-Pk"] = []string{"-3"}
	h["X-Plugit_orga_pk"] = []string{"7"}
	h["X-Other"] = []string{"not echoed"}
	r := p.do(http.MethodGet, "action/headers", nil, h)
	p.status(r, http.StatusOK)
	p.equal("headers: echo", "x-plugit-orga-pk=7;x-plugit-user-pk=-3", p.echoOf(r))
}
