package conformance

import (
	"net/http"
	"strings"
)

// orgaChecks returns the checks of the current organisation. In
// organisation mode a user starts in the default organisation (-1, EBU),
// ebuio_setOrga switches it, and the anonymous user, who has none, sees
// public pages only. Outside organisation mode templates get no
// organisation, whatever the browser requests.
func orgaChecks() []Check {
	return []Check{
		newBrowserCheck("organisation mode", "organisation in templates", func(p *probe) {
			r := p.get("get_orga")
			p.status(r, http.StatusOK)
			p.equal("get_orga", p.orgaText("-1,EBU"), strings.TrimSpace(r.body))
		}),
		newBrowserCheck("organisation mode", "ebuio_setOrga switches organisation", func(p *probe) {
			p.switchOrga("-3", "BBC")
			r := p.get("get_orga")
			p.status(r, http.StatusOK)
			p.equal("get_orga after ebuio_setOrga?pk=-3&name=BBC", p.orgaText("-3,BBC"),
				strings.TrimSpace(r.body))
		}),
		newBrowserCheck("organisation mode", "anonymous user and organisations", func(p *probe) {
			p.switchUser("ano")
			want := http.StatusOK
			if p.target.OrgaMode {
				want = http.StatusForbidden
			}
			p.status(p.get("get_orga"), want)
		}),
		newBrowserCheck("access rules", "public page for the anonymous user", func(p *probe) {
			p.switchUser("ano")
			r := p.get("public")
			p.status(r, http.StatusOK)
			p.contains("public page", r.body, "home_template")
		}),
	}
}

// orgaText returns what /get_orga shows for an organisation: the
// organisation in organisation mode, else nothing around the comma.
func (p *probe) orgaText(orga string) string {
	if p.target.OrgaMode {
		return orga
	}
	return ","
}
