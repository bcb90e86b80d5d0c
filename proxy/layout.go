package proxy

import (
	"html/template"
	"net/http"
	"strconv"
)

// userModeItem is an entry of the layout's simulated-user menu.
type userModeItem struct {
	Mode  string
	Label string
}

var userModeItems = []userModeItem{
	{"ano", "Anonymous"},
	{"log", "Logged user"},
	{"mem", "Member"},
	{"adm", "Administrator"},
}

// layoutPage is the data of the layout template.
type layoutPage struct {
	PlatformName string
	ServiceName  string
	Title        string
	BaseURL      string
	StaticURL    string
	Content      template.HTML
	Menu         template.HTML
	User         User
	UserModes    []userModeItem
	OrgaMode     bool
	Orga         *Orga
	Orgas        []Orga
	Hosted       bool
	Services     []serviceLink
	RealUsers    bool
	CSRFToken    string
}

func (p *Proxy) layoutData(r *http.Request, title string, content template.HTML, menu string) layoutPage {
	page := layoutPage{
		PlatformName: p.cfg.PlatformName,
		Title:        title,
		BaseURL:      "/",
		StaticURL:    staticPath,
		Content:      content,
		Menu:         template.HTML(menu),
		User:         simulatedUser("ano"),
		UserModes:    userModeItems,
	}
	if p.cfg.Hosted {
		page.Hosted = true
		page.Services = p.serviceLinks(r)
	}
	st := stateFrom(r.Context())
	if st == nil {
		return page
	}
	if svc := st.service; svc != nil {
		page.ServiceName, page.BaseURL, page.OrgaMode = svc.name, svc.basePath, svc.orgaMode
	}
	if st.session != nil {
		page.User = st.user
		page.Orga = st.orga
		page.Orgas = st.orgas
		page.RealUsers = p.cfg.Accounts != nil
		page.CSRFToken = st.session.CSRFToken
	}
	return page
}

// writeLayout renders the layout around a page and writes it.
func (p *Proxy) writeLayout(w http.ResponseWriter, status int, page layoutPage) {
	body, err := p.shells.render(p, page)
	if err != nil {
		p.logger.Error("proxy: rendering layout", "error", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}

	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	setPageSecurityHeaders(h)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// setPageSecurityHeaders sets the headers every HTML page of the proxy
// carries.
func setPageSecurityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Referrer-Policy", "same-origin")
}
