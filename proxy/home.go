package proxy

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
)

// serviceLink is a service in the home page and the layout's menu.
type serviceLink struct {
	Name string
	URL  string
}

// handleHome lists the hosted services the user can open.
func (p *Proxy) handleHome(w http.ResponseWriter, r *http.Request) error {
	links := p.serviceLinks(r)
	var content bytes.Buffer
	if err := p.layouts.ExecuteTemplate(&content, "home_content", map[string]any{"Services": links}); err != nil {
		return fmt.Errorf("proxy: rendering home page: %w", err)
	}

	p.writeLayout(w, http.StatusOK, p.layoutData(r, "Services", template.HTML(content.String()), ""))
	return nil
}

// serviceLinks returns the hosted services the current user can open, in
// configuration order.
func (p *Proxy) serviceLinks(r *http.Request) []serviceLink {
	set := p.services.Load()
	if set == nil {
		return nil
	}

	st := stateFrom(r.Context())
	var links []serviceLink
	for _, svc := range set.order {
		if serviceAllowed(st, svc) {
			links = append(links, serviceLink{Name: svc.name, URL: svc.basePath})
		}
	}
	return links
}
