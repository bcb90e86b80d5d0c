package conformance

import (
	"net/http"
	"net/url"
	"strings"
)

// csrfChecks returns the checks of CSRF protection and of forms and
// uploads sent with the token.
func csrfChecks() []Check {
	return []Check{
		newBrowserCheck("CSRF", "csrf_token rendered", func(p *probe) {
			p.note("csrf_token: a csrfmiddlewaretoken input with a value", p.csrfToken())
		}),
		newBrowserCheck("CSRF", "POST without token is 403", func(p *probe) {
			p.csrfToken()
			p.status(p.postForm("postonly", url.Values{"1": {"9"}}), http.StatusForbidden)
		}),
		newBrowserCheck("CSRF", "POST with a wrong token is 403", func(p *probe) {
			token := p.csrfToken()
			wrong := strings.Repeat("x", len(token))
			p.status(p.postForm("postonly", url.Values{"1": {"9"}, "csrfmiddlewaretoken": {wrong}}),
				http.StatusForbidden)
		}),
		newBrowserCheck("CSRF", "multipart without token is 403", func(p *probe) {
			p.csrfToken()
			r := p.postMultipart("sendfile_external",
				formPart{name: "testfile2", fileName: "testfile2", value: []byte(fixtureMedia["testfile2"])})
			p.status(r, http.StatusForbidden)
		}),
		newBrowserCheck("action", "postonly with token", func(p *probe) {
			r := p.postWithToken("postonly", url.Values{"1": {"9"}})
			p.status(r, http.StatusOK)
			p.contains("postonly page", r.body, "home_template")
		}),
		newBrowserCheck("action", "postonly wrong form is 404", func(p *probe) {
			p.status(p.postWithToken("postonly", url.Values{"1": {"8"}}), http.StatusNotFound)
		}),
		newBrowserCheck("status codes", "405 of the service is 404", func(p *probe) {
			p.status(p.get("postonly"), http.StatusNotFound)
		}),
		newBrowserCheck("uploads", "multipart upload sendfile_external", func(p *probe) {
			token := p.csrfToken()
			r := p.postMultipart("sendfile_external",
				formPart{name: "csrfmiddlewaretoken", value: []byte(token)},
				formPart{name: "testfile2", fileName: "testfile2", value: []byte(fixtureMedia["testfile2"])})
			p.status(r, http.StatusOK)
			p.equal("sendfile_external: body", "ok", strings.TrimSpace(r.body))
		}),
		newBrowserCheck("uploads", "multipart upload_digest", func(p *probe) {
			token := p.csrfToken()
			data, digest := randomUpload(1 << 20)
			r := p.postMultipart("upload_digest",
				formPart{name: "csrfmiddlewaretoken", value: []byte(token)},
				formPart{name: "f", fileName: "blob.bin", value: data})
			p.status(r, http.StatusOK)
			p.equal("upload_digest: body", digest, strings.TrimSpace(r.body))
		}),
	}
}
