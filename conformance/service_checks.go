package conformance

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ServiceChecks returns the checks of a service that implements the
// template-mode fixtures, called directly as a proxy would call it. The
// target URL is the service's base URL.
func ServiceChecks() []Check {
	checks := []Check{
		newCheck("ping", "ping round trip", checkPing),
		newCheck("ping", "ping without data", checkPingEmpty),
		newCheck("version", "version reply", checkVersion),
		newCheck("HEAD and OPTIONS", "HEAD version has no body", checkHeadVersion),
		newCheck("meta", "meta cache headers", checkMetaHeaders),
		newCheck("meta", "meta of unknown action is 404", checkMetaUnknown),
		newCheck("template", "template of unknown action is 404", checkTemplateUnknown),
	}
	checks = append(checks, metaChecks()...)
	checks = append(checks, templateChecks()...)
	checks = append(checks, actionReplyChecks()...)
	checks = append(checks, actionRequestChecks()...)
	checks = append(checks, mediaChecks()...)
	checks = append(checks, mailChecks()...)
	return checks
}

// randomToken returns 32 random lowercase hex characters, as the proxy
// sends to ping.
func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func checkPing(p *probe) {
	token := randomToken()
	r := p.get("ping?data=" + token)
	p.status(r, http.StatusOK)
	p.jsonEqual(r, map[string]any{"data": token})
}

func checkPingEmpty(p *probe) {
	r := p.get("ping")
	p.status(r, http.StatusOK)
	p.jsonEqual(r, map[string]any{"data": ""})
}

func checkVersion(p *probe) {
	r := p.get("version")
	p.status(r, http.StatusOK)
	p.jsonEqual(r, map[string]any{"result": "Ok", "version": "1", "protocol": "EBUio-PlugIt"})
}

func checkHeadVersion(p *probe) {
	r := p.do(http.MethodHead, "version", nil, nil)
	p.status(r, http.StatusOK)
	p.equal("HEAD version: body", "", r.body)
}

// checkMetaHeaders checks Expire and Cache-Control of a meta reply; the
// fixture service caches meta 0 seconds.
func checkMetaHeaders(p *probe) {
	before := time.Now().Add(-time.Minute)
	r := p.get("meta/")
	p.status(r, http.StatusOK)
	p.header(r, "Cache-Control", "public, max-age=0")

	expire, err := http.ParseTime(r.header.Get("Expire"))
	if err != nil {
		p.fail("meta/: Expire is an HTTP date", quote(r.header.Get("Expire")))
	}
	if expire.Before(before) || expire.After(time.Now().Add(time.Minute)) {
		p.fail("meta/: Expire within a minute of now (max-age=0)", expire.Format(http.TimeFormat))
	}
	p.note("meta/: Expire is now, as an HTTP date", r.header.Get("Expire"))
}

func checkMetaUnknown(p *probe) {
	p.status(p.get("meta/no_such_action"), http.StatusNotFound)
}

func checkTemplateUnknown(p *probe) {
	p.status(p.get("template/no_such_action"), http.StatusNotFound)
}

// metaChecks returns one check per fixture action comparing its meta
// with the fixture's: every key and type, template_tag as the MD5 of the
// template text, and no other key.
func metaChecks() []Check {
	checks := make([]Check, 0, len(fixtureRoutes))
	for _, fr := range fixtureRoutes {
		checks = append(checks, newCheck("meta", "meta/"+fr.path+" keys", func(p *probe) {
			want := map[string]any{"template_tag": templateTag(fr.template)}
			for k, v := range fr.meta {
				want[k] = v
			}

			r := p.get("meta/" + fr.path)
			p.status(r, http.StatusOK)
			p.jsonEqual(r, want)
		}))
	}
	return checks
}

// templateTag returns the MD5 hex of a fixture template, "" for none.
func templateTag(name string) string {
	if name == "" {
		return ""
	}
	sum := md5.Sum([]byte(fixtureTemplates[name]))
	return hex.EncodeToString(sum[:])
}

// templateChecks returns one check per fixture template: the text of
// template/<route> of an action using it, and that template_tag is its
// MD5.
func templateChecks() []Check {
	seen := map[string]bool{}
	var checks []Check
	for _, fr := range fixtureRoutes {
		if fr.template == "" || seen[fr.template] {
			continue
		}
		seen[fr.template] = true
		checks = append(checks, newCheck("template", "template/"+fr.path+" is "+fr.template, func(p *probe) {
			r := p.get("template/" + fr.path)
			p.status(r, http.StatusOK)
			p.equal("template/"+fr.path+": text", fixtureTemplates[fr.template], r.body)

			meta, _ := p.jsonReply(p.get("meta/" + fr.path)).(map[string]any)
			sum := md5.Sum([]byte(r.body))
			p.equal("meta/"+fr.path+": template_tag = MD5 of the text", hex.EncodeToString(sum[:]),
				canonicalString(meta["template_tag"]))
		}))
	}
	return checks
}

// canonicalString returns a JSON string value as it is, anything else as
// JSON.
func canonicalString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return canonical(v)
}

// mediaChecks returns the checks of media/: both fixture files, 404 for
// others, and no path leaving the media folder.
func mediaChecks() []Check {
	checks := []Check{}
	for _, name := range []string{"testfile1", "testfile2"} {
		checks = append(checks, newCheck("media", "media/"+name, func(p *probe) {
			r := p.get("media/" + name)
			p.status(r, http.StatusOK)
			p.equal("media/"+name+": body", fixtureMedia[name], r.body)
		}))
	}

	checks = append(checks, newCheck("media", "unknown media is 404", func(p *probe) {
		p.status(p.get("media/no_such_file"), http.StatusNotFound)
	}))

	for _, path := range []string{"media/../version", "media/%2e%2e/version", "media/..%2fversion",
		"media/sub/../../version"} {
		checks = append(checks, newCheck("media", "media path "+path+" rejected", func(p *probe) {
			r := p.get(path)
			if r.status == http.StatusOK {
				p.fail(path+": status 400 or 404", "status 200: "+excerpt(r.body))
			}
			p.note(path+": not served", "status "+itoa(r.status))
		}))
	}
	return checks
}

// mailChecks returns the checks of the mail call.
func mailChecks() []Check {
	return []Check{
		newCheck("mail", "GET mail is 405", func(p *probe) {
			p.status(p.get("mail"), http.StatusMethodNotAllowed)
		}),
		newCheck("mail", "mail without response_id is 400", func(p *probe) {
			p.status(p.postForm("mail", url.Values{"message": {"hello"}}), http.StatusBadRequest)
		}),
		newCheck("mail", "mail with empty response_id is Error", func(p *probe) {
			r := p.postForm("mail", url.Values{"response_id": {""}, "message": {"hello"}})
			p.status(r, http.StatusOK)
			p.jsonEqual(r, map[string]any{"result": "Error"})
		}),
		newCheck("mail", "mail with response_id is Ok", func(p *probe) {
			r := p.postForm("mail", url.Values{"response_id": {"fixture-" + randomToken()[:8]},
				"message": {"a reply"}})
			p.status(r, http.StatusOK)
			p.jsonEqual(r, map[string]any{"result": "Ok"})
		}),
	}
}

// splitLines returns the non-empty lines of s.
func splitLines(s string) []string {
	var lines []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}
