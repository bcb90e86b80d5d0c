package conformance

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// userModes are the simulated users of standalone mode.
var userModes = []string{"ano", "log", "mem", "adm"}

// accessChecks returns the checks of the access rules: each only_* rule
// for each simulated user, and address_in_networks.
func accessChecks() []Check {
	rules := []struct {
		rule    string
		allowed []string
	}{
		{"only_logged_user", []string{"log", "mem", "adm"}},
		{"only_member_user", []string{"mem", "adm"}},
		{"only_admin_user", []string{"adm"}},
		// Organisation rights equal project rights in standalone mode.
		{"only_orga_member_user", []string{"mem", "adm"}},
		{"only_orga_admin_user", []string{"adm"}},
	}

	var checks []Check
	for _, rule := range rules {
		checks = append(checks, newBrowserCheck("access rules", rule.rule+" per user", func(p *probe) {
			for _, mode := range userModes {
				p.switchUser(mode)
				r := p.get(rule.rule)
				if slices.Contains(rule.allowed, mode) {
					p.status(r, http.StatusOK)
					p.contains(mode+": page", r.body, "home_template")
					continue
				}

				p.status(r, http.StatusForbidden)
				if mode == "ano" && p.target.OrgaMode {
					// No organisation: refused before the rules are read.
					continue
				}
				p.contains(mode+": 403 page names the rule", r.body, rule.rule)
			}
		}))
	}

	return append(checks,
		newBrowserCheck("access rules", "address_in_networks inside", func(p *probe) {
			if !p.loopbackTarget() {
				p.skip("the browser's address is known only for a target on 127.0.0.0/24")
			}
			r := p.get("address_in_networks")
			p.status(r, http.StatusOK)
			p.contains("address_in_networks: page", r.body, "home_template")
		}),
		newBrowserCheck("access rules", "address_in_networks outside", func(p *probe) {
			r := p.get("address_in_networks_outside")
			p.status(r, http.StatusForbidden)
			p.contains("403 page names the rule", r.body, "address_in_networks")
		}),
	)
}

// cacheUsers returns two simulated users whose pages a cache must tell
// apart: in organisation mode the anonymous user sees no page.
func (p *probe) cacheUsers() (string, string) {
	if p.target.OrgaMode {
		return "log", "mem"
	}
	return "ano", "log"
}

// timestamp finds the time in seconds that /cacheTime renders.
var timestamp = regexp.MustCompile(`\b[1-9][0-9]{8,10}(\.[0-9]+)?\b`)

// pageTime returns the time a /cacheTime page shows.
func (p *probe) pageTime(path string) string {
	r := p.get(path)
	p.status(r, http.StatusOK)
	body := r.body
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	t := timestamp.FindString(body)
	if t == "" {
		p.fail(path+": a page showing a time in seconds", excerpt(r.body))
	}
	return t
}

// cacheChecks returns the checks of the page cache shared between users
// and kept per user.
func cacheChecks() []Check {
	return []Check{
		newBrowserCheck("caching", "cache shared between users", func(p *probe) {
			first, second := p.cacheUsers()
			p.switchUser(first)
			t1 := p.pageTime("cacheTime")
			p.equal("cacheTime again, same user", t1, p.pageTime("cacheTime"))
			p.switchUser(second)
			p.equal("cacheTime, "+second+" sees "+first+"'s page", t1, p.pageTime("cacheTime"))
		}),
		newBrowserCheck("caching", "cache per user", func(p *probe) {
			first, second := p.cacheUsers()
			p.switchUser(first)
			t1 := p.pageTime("cacheTime2")
			p.equal("cacheTime2 again, same user", t1, p.pageTime("cacheTime2"))
			p.switchUser(second)
			t2 := p.pageTime("cacheTime2")
			if t2 == t1 {
				p.fail("cacheTime2: "+second+" gets a page of its own", "the page of "+first+": "+t1)
			}
			p.equal("cacheTime2 again, "+second, t2, p.pageTime("cacheTime2"))
		}),
		newBrowserCheck("caching", "cached pages reachable", func(p *probe) {
			for _, path := range []string{"cache", "cache2"} {
				r := p.get(path)
				p.status(r, http.StatusOK)
				p.contains(path+": page", r.body, "home_template")
			}
		}),
	}
}
