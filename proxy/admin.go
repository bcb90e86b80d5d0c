package proxy

import (
	"html/template"
	"net/http"
)

// AdminPage is a page of the administration area, shown in the layout.
type AdminPage struct {
	Title   string
	Content template.HTML
}

// AdminHandler serves the administration area under /admin/. The proxy
// lets only platform administrators in, checks the CSRF token of unsafe
// requests before calling it, and puts the page in the layout. A handler
// that changes something returns a non-empty redirect, so
// that reloading the page does not repeat the change.
type AdminHandler interface {
	ServeAdmin(r *http.Request, csrfToken string) (page AdminPage, redirect string, err error)
}

// handleAdmin serves /admin/ to platform administrators.
func (p *Proxy) handleAdmin(w http.ResponseWriter, r *http.Request) error {
	st := stateFrom(r.Context())
	if st.user.Anonymous() {
		http.Redirect(w, r, "/accounts/login?next=/admin/", http.StatusSeeOther)
		return nil
	}
	if !st.user.PlatformAdmin {
		return forbidden("Only platform administrators may open the administration area.")
	}
	if err := p.checkCSRF(r); err != nil {
		return err
	}

	page, redirect, err := p.cfg.Admin.ServeAdmin(r, st.session.CSRFToken)
	if err != nil {
		return err
	}
	if redirect != "" {
		http.Redirect(w, r, safeNext(redirect), http.StatusSeeOther)
		return nil
	}

	p.writeLayout(w, http.StatusOK, p.layoutData(r, page.Title, page.Content, ""))
	return nil
}
