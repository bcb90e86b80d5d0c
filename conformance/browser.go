package conformance

import (
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
)

// newBrowserCheck returns a check running fn as a new browser: a client
// with its own cookie jar that does not follow redirects. In organisation
// mode the browser starts as the simulated logged user, because an
// anonymous user has no organisation and may open public pages only.
func newBrowserCheck(rule, name string, fn func(p *probe)) Check {
	return newCheck(rule, name, func(p *probe) {
		p.client = newBrowser(p.client)
		if p.target.OrgaMode {
			p.switchUser("log")
		}
		fn(p)
	})
}

// newBrowser returns a copy of client with a new cookie jar that does not
// follow redirects.
func newBrowser(client *http.Client) *http.Client {
	jar, _ := cookiejar.New(nil)
	browser := *client
	browser.Jar = jar
	browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser
}

// switchUser switches the browser to a simulated user: ano, log, mem or
// adm. The proxy replies 200 with an empty body.
func (p *probe) switchUser(mode string) {
	r := p.get("ebuio_setUser?mode=" + mode)
	p.status(r, http.StatusOK)
	p.equal(r.path+": body", "", r.body)
}

// switchOrga switches the browser to a simulated organisation. The proxy
// replies 200 with an empty body.
func (p *probe) switchOrga(pk, name string) {
	r := p.get("ebuio_setOrga?" + url.Values{"pk": {pk}, "name": {name}}.Encode())
	p.status(r, http.StatusOK)
	p.equal(r.path+": body", "", r.body)
}

// csrfInput finds the hidden CSRF input that {% csrf_token %} renders.
var csrfInput = regexp.MustCompile(`<input[^>]*name=["']csrfmiddlewaretoken["'][^>]*>`)

// csrfValue finds the value attribute of that input.
var csrfValue = regexp.MustCompile(`value=["']([^"']*)["']`)

// csrfToken returns the browser's CSRF token, read from the page
// /csrf_token renders.
func (p *probe) csrfToken() string {
	return p.csrfTokenFrom("csrf_token")
}

// csrfTokenFrom returns the CSRF token of the hidden csrfmiddlewaretoken
// input on the page at path.
func (p *probe) csrfTokenFrom(path string) string {
	r := p.get(path)
	p.status(r, http.StatusOK)
	token := findCSRFToken(r.body)
	if token == "" {
		p.fail(path+": a csrfmiddlewaretoken input with a value", excerpt(r.body))
	}
	return token
}

func findCSRFToken(body string) string {
	input := csrfInput.FindString(body)
	m := csrfValue.FindStringSubmatch(input)
	if m == nil {
		return ""
	}
	return m[1]
}

// postWithToken posts a url-encoded form with the browser's CSRF token.
func (p *probe) postWithToken(path string, form url.Values) *reply {
	form.Set("csrfmiddlewaretoken", p.csrfToken())
	return p.postForm(path, form)
}

// basePath returns the path of the target URL, such as "/plugIt/".
func (p *probe) basePath() string {
	u, err := url.Parse(p.target.URL)
	if err != nil || u.Path == "" {
		return "/"
	}
	if !strings.HasSuffix(u.Path, "/") {
		return u.Path + "/"
	}
	return u.Path
}

// loopbackTarget reports whether the target's host is an IPv4 address in
// 127.0.0.0/24, so that the browser connects from 127.0.0.1.
func (p *probe) loopbackTarget() bool {
	u, err := url.Parse(p.target.URL)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname()).To4()
	return ip != nil && ip[0] == 127 && ip[1] == 0 && ip[2] == 0
}

// location returns the path (and query) a redirect reply points to.
func (p *probe) location(r *reply) string {
	loc := r.header.Get("Location")
	target, err := url.Parse(loc)
	if err != nil {
		p.fail(r.path+": a valid Location", quote(loc))
	}
	base, _ := url.Parse(p.url(r.path))
	return base.ResolveReference(target).RequestURI()
}

// pageText returns a page body with white space collapsed, for
// comparisons of text rendered into the layout.
func pageText(body string) string {
	return strings.Join(strings.Fields(body), " ")
}
