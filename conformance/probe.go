package conformance

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxBody bounds the reply bodies a check reads.
const maxBody = 4 << 20

// maxShown bounds the text of Expected and Seen.
const maxShown = 400

// probe is one check in progress: it sends requests to the target and
// compares the replies. The first failed comparison stops the check,
// the way testing.T.FailNow stops a test.
type probe struct {
	ctx    context.Context
	target *Target
	client *http.Client
	result Result
}

// stop is the panic value that ends a check after a failure or a skip.
type stop struct{}

// newCheck returns a check running fn on a probe.
func newCheck(rule, name string, fn func(p *probe)) Check {
	return Check{Name: name, Rule: rule, Run: func(ctx context.Context, t *Target) Result {
		p := &probe{ctx: ctx, target: t, client: t.client()}
		p.run(fn)
		return p.result
	}}
}

func (p *probe) run(fn func(p *probe)) {
	defer func() {
		if v := recover(); v != nil {
			if _, ok := v.(stop); !ok {
				panic(v)
			}
		}
	}()
	fn(p)
}

// fail records a failure and stops the check.
func (p *probe) fail(expected, seen string) {
	p.result.Status = Fail
	p.result.Expected = shorten(expected)
	p.result.Seen = shorten(seen)
	panic(stop{})
}

// skip records why the check can't run against the target and stops it.
func (p *probe) skip(reason string) {
	p.result.Status = Skip
	p.result.Expected = ""
	p.result.Seen = reason
	panic(stop{})
}

// warn records a warning and stops the check.
func (p *probe) warn(expected, seen string) {
	p.result.Status = Warn
	p.result.Expected = shorten(expected)
	p.result.Seen = shorten(seen)
	panic(stop{})
}

// note records a comparison that passed.
func (p *probe) note(expected, seen string) {
	p.result.Expected = shorten(expected)
	p.result.Seen = shorten(seen)
}

// equal compares got with want; label names the compared value.
func (p *probe) equal(label, want, got string) {
	if want != got {
		p.fail(label+" = "+strconv.Quote(want), strconv.Quote(got))
	}
	p.note(label+" = "+strconv.Quote(want), strconv.Quote(got))
}

// contains checks that text contains part.
func (p *probe) contains(label, text, part string) {
	if !strings.Contains(text, part) {
		p.fail(label+" contains "+strconv.Quote(part), excerpt(text))
	}
	p.note(label+" contains "+strconv.Quote(part), excerpt(text))
}

// lacks checks that text does not contain part.
func (p *probe) lacks(label, text, part string) {
	if strings.Contains(text, part) {
		p.fail(label+" without "+strconv.Quote(part), excerpt(text))
	}
	p.note(label+" without "+strconv.Quote(part), excerpt(text))
}

// status checks the status of a reply.
func (p *probe) status(r *reply, want int) {
	if r.status != want {
		p.fail(fmt.Sprintf("%s %s: status %d", r.method, r.path, want),
			fmt.Sprintf("status %d: %s", r.status, excerpt(r.body)))
	}
	p.note(fmt.Sprintf("%s %s: status %d", r.method, r.path, want), fmt.Sprintf("status %d", r.status))
}

// header checks a reply header.
func (p *probe) header(r *reply, name, want string) {
	p.equal(fmt.Sprintf("%s %s: header %s", r.method, r.path, name), want, r.header.Get(name))
}

// reply is a target's reply to one request, with its body read.
type reply struct {
	method string
	path   string
	status int
	header http.Header
	body   string
}

// do sends a request for path, relative to the target URL, and reads the
// reply; a transport error fails the check.
func (p *probe) do(method, path string, body io.Reader, header http.Header) *reply {
	req, err := http.NewRequestWithContext(p.ctx, method, p.url(path), body)
	if err != nil {
		p.fail("a valid request for "+path, err.Error())
	}
	for k, v := range header {
		req.Header[k] = v
	}

	resp, err := p.client.Do(req)
	if err != nil {
		p.fail(method+" "+path+": a reply", err.Error())
	}
	defer resp.Body.Close()

	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		p.fail(method+" "+path+": a complete reply body", err.Error())
	}
	return &reply{method: method, path: path, status: resp.StatusCode, header: resp.Header, body: string(data)}
}

func (p *probe) get(path string) *reply {
	return p.do(http.MethodGet, path, nil, nil)
}

// getWith sends a GET with extra headers given as name, value pairs.
func (p *probe) getWith(path string, pairs ...string) *reply {
	h := http.Header{}
	for i := 0; i+1 < len(pairs); i += 2 {
		h.Add(pairs[i], pairs[i+1])
	}
	return p.do(http.MethodGet, path, nil, h)
}

// postForm sends a url-encoded form.
func (p *probe) postForm(path string, form url.Values) *reply {
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	return p.do(http.MethodPost, path, strings.NewReader(form.Encode()), h)
}

// url returns the absolute URL of path under the target URL.
func (p *probe) url(path string) string {
	base := p.target.URL
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base + strings.TrimPrefix(path, "/")
}

// shorten bounds a text shown in a result.
func shorten(s string) string {
	if len(s) <= maxShown {
		return s
	}
	return s[:maxShown] + "…"
}

// excerpt returns the part of a body worth showing: the main element of
// a page in a layout, else the start, with white space collapsed.
func excerpt(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	return shorten(strings.Join(strings.Fields(body), " "))
}
