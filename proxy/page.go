package proxy

import (
	"fmt"
	"net/http"
	"strings"
)

// handleService serves everything under the base path: the switch
// endpoints, media and the service's pages.
func (p *Proxy) handleService(w http.ResponseWriter, r *http.Request) error {
	svc := stateFrom(r.Context()).service
	path := strings.TrimPrefix(r.URL.Path, svc.basePath)
	switch {
	case path == "ebuio_setUser" && p.cfg.Accounts == nil:
		return p.handleSetUser(w, r)
	case path == "ebuio_setOrga" && p.cfg.Accounts == nil:
		return p.handleSetOrga(w, r)
	case path == "_ebuio_setOrga" && p.cfg.Accounts != nil:
		return p.handleSwitchOrga(w, r)
	case strings.HasPrefix(path, "media/"):
		return p.handleMedia(w, r, strings.TrimPrefix(path, "media/"))
	}

	if unsafeMethod(r.Method) && r.Body != nil && r.Body != http.NoBody {
		body := &clientBody{ReadCloser: r.Body, conn: http.NewResponseController(w)}
		r.Body = body
		r = r.WithContext(withClientBody(r.Context(), body))
	}
	if err := p.checkCSRF(r); err != nil {
		return err
	}

	if svc.proxyMode {
		return p.handleProxyMode(w, r, path)
	}
	return p.handlePage(w, r, path)
}

// handlePage serves a page of a template-mode service: meta, access
// check, page cache, action, template, render and layout.
func (p *Proxy) handlePage(w http.ResponseWriter, r *http.Request, path string) error {
	st := stateFrom(r.Context())
	meta, err := st.upstream.meta(r.Context(), path)
	if err != nil {
		return err
	}

	if err := p.checkAccess(r, meta, st); err != nil {
		return err
	}

	cacheable := meta.CacheTime > 0 && (r.Method == http.MethodGet || r.Method == http.MethodHead)
	key := ""
	var stale *cachedPage
	if cacheable {
		key = pageCacheKey(r, meta, st)
		page, fresh, found := p.pages.get(r.Context(), key)
		p.metrics.observeCache(st, found, fresh)
		if fresh {
			return p.writePage(w, r, meta, page)
		}
		if found {
			stale = page
		}
	}

	reply, err := p.callAction(r, meta, path, st)
	if err != nil {
		if stale != nil && serviceFailure(err) {
			p.logger.Warn("proxy: serving a stale page because the service failed",
				"request_id", requestID(r.Context()), "service", st.service.key, "action", "/"+path, "error", err)
			return p.writePage(w, r, meta, stale)
		}
		return err
	}
	defer reply.close()

	done, err := p.handleSpecialReply(w, r, meta, reply)
	if done || err != nil {
		return err
	}

	page, err := p.renderPage(r, meta, path, reply, st)
	if err != nil {
		return err
	}

	if cacheable {
		if err := p.pages.put(r.Context(), key, page, meta.cacheTTL()); err != nil {
			p.logger.Warn("proxy: storing page in cache", "service", st.service.key, "error", err)
		}
	}
	return p.writePage(w, r, meta, page)
}

// checkAccess applies the meta's access rules in the protocol's order and
// returns a 403 error naming the first rule that fails.
func (p *Proxy) checkAccess(r *http.Request, meta *Meta, st *requestState) error {
	if st.service.orgaMode && st.orga == nil && !meta.Public {
		return forbidden("This page needs an organisation, and you have none.")
	}

	u := st.user
	rules := []struct {
		name string
		on   bool
		ok   bool
	}{
		{"only_logged_user", meta.OnlyLoggedUser, !u.Anonymous()},
		{"only_member_user", meta.OnlyMemberUser, u.Member},
		{"only_admin_user", meta.OnlyAdminUser, u.Admin},
		{"only_orga_member_user", meta.OnlyOrgaMemberUser, u.OrgaMember},
		{"only_orga_admin_user", meta.OnlyOrgaAdminUser, u.OrgaAdmin},
	}
	for _, rule := range rules {
		if rule.on && !rule.ok {
			return forbidden(fmt.Sprintf("This page is limited by the rule %s: %s", rule.name, ruleText[rule.name]))
		}
	}

	if len(meta.networks) > 0 && !addrInNetworks(p.clientAddr(r), meta.networks) {
		return forbidden("This page is limited by the rule address_in_networks: " + ruleText["address_in_networks"])
	}
	return nil
}

// ruleText explains each access rule to the user who failed it.
var ruleText = map[string]string{
	"only_logged_user":      "only logged-in users may open it.",
	"only_member_user":      "only members of the project may open it.",
	"only_admin_user":       "only administrators of the project may open it.",
	"only_orga_member_user": "only members of the current organisation may open it.",
	"only_orga_admin_user":  "only administrators of the current organisation may open it.",
	"address_in_networks":   "it can't be opened from your network address.",
}
