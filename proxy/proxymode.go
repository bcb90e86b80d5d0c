package proxy

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// csrfMarker is what a proxy-mode service writes where the CSRF token goes.
const csrfMarker = "{~__PLUGIT_CSRF_TOKEN__~}"

// handleProxyMode forwards the browser's request to <service>/<path> and
// puts the returned HTML in the layout.
func (p *Proxy) handleProxyMode(w http.ResponseWriter, r *http.Request, path string) error {
	st := stateFrom(r.Context())
	meta := &Meta{}
	reply, err := p.callProxied(r, path, st)
	if err != nil {
		return err
	}
	defer reply.close()

	resp := reply.resp
	if resp.StatusCode != http.StatusOK {
		done, err := p.handleSpecialReply(w, r, meta, reply)
		if done || err != nil {
			return err
		}
	}

	if err := p.storeSessionValues(r, resp.Header); err != nil {
		return err
	}
	if target := resp.Header.Get("EbuIo-PlugIt-Redirect"); target != "" {
		return p.redirect(w, r, target, isTrue(resp.Header.Get("EbuIo-PlugIt-Redirect-NoPrefix")))
	}
	if isTrue(resp.Header.Get("EbuIo-PlugIt-ItAFile")) {
		return p.sendFile(w, st.service, resp)
	}

	body, err := readLimited(resp.Body, maxServiceBody)
	if err != nil {
		return fmt.Errorf("%w: %s: reading reply: %w", errServiceUnavailable, st.service.name, err)
	}
	html := strings.ReplaceAll(string(body), csrfMarker, st.session.CSRFToken)

	if resp.Header.Get("EbuIo-PlugIt-NoTemplate") != "" {
		h := w.Header()
		h.Set("Content-Type", headerOr(resp.Header, "Content-Type", "text/html; charset=utf-8"))
		setPageSecurityHeaders(h)
		_, _ = w.Write([]byte(html))
		return nil
	}

	p.writeLayout(w, http.StatusOK, p.layoutData(r, "", template.HTML(html), ""))
	return nil
}

// proxyModeUserInfo are the user properties sent to proxy-mode services.
var proxyModeUserInfo = []string{
	"username", "pk", "first_name", "last_name", "email",
	"ebuio_member", "ebuio_admin", "ebuio_orga_member", "ebuio_orga_admin",
}

// callProxied sends the browser's request to a proxy-mode service with the
// user and organisation as X-Plugit-* headers.
func (p *Proxy) callProxied(r *http.Request, path string, st *requestState) (*actionReply, error) {
	svc := st.service
	var added url.Values
	if svc.orgaMode && st.orga != nil {
		added = url.Values{"ebuio_orgapk": {fmt.Sprint(st.orga.PK)}}
	}
	return p.callService(r, path, added, st, func(h http.Header) {
		for _, name := range proxyModeUserInfo {
			values, _ := st.user.property(name)
			if len(values) > 0 {
				h.Set("X-Plugit-User-"+name, values[0])
			}
		}
		if st.orga != nil {
			h.Set("X-Plugit-Orga-Pk", fmt.Sprint(st.orga.PK))
			h.Set("X-Plugit-Orga-Name", st.orga.Name)
			h.Set("X-Plugit-Orga-Codops", st.orga.Codops)
		}
		h.Set("X-Plugit-Base-Url", svc.basePath)
	})
}
