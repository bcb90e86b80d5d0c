package proxy

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/plugit-go/plugit/internal/djtemplate"
)

// maxTemplateEntries bounds the compiled templates kept per service.
const maxTemplateEntries = 2000

// templateCache keeps compiled templates by action path and template tag.
type templateCache struct {
	mu      sync.Mutex
	entries map[string]*djtemplate.Template
}

func newTemplateCache() *templateCache {
	return &templateCache{entries: map[string]*djtemplate.Template{}}
}

// template returns the compiled template of an action path with the given
// tag, fetching and compiling it when the tag is new.
func (s *upstream) template(ctx context.Context, path, tag string) (*djtemplate.Template, error) {
	key := path + "\x00" + tag
	s.templates.mu.Lock()
	t, ok := s.templates.entries[key]
	s.templates.mu.Unlock()
	if ok {
		return t, nil
	}

	body, err := s.templateText(ctx, path, tag)
	if err != nil {
		return nil, err
	}

	t, err = s.engine.Compile(s.client.name+" /"+path, body)
	if err != nil {
		return nil, &templateError{service: s.client.name, action: "/" + path, err: err}
	}

	s.templates.mu.Lock()
	defer s.templates.mu.Unlock()
	if len(s.templates.entries) >= maxTemplateEntries {
		clear(s.templates.entries)
	}
	s.templates.entries[key] = t
	return t, nil
}

// sharedTemplateTTL is how long template texts stay in the shared cache;
// the tag in the key makes a changed template a new entry.
const sharedTemplateTTL = 24 * time.Hour

// templateText returns the template text of path with tag, from the shared
// cache or the service.
func (s *upstream) templateText(ctx context.Context, path, tag string) ([]byte, error) {
	key := s.cachePrefix + "template:" + path + "\x00" + tag
	if tag != "" {
		if text, ok, err := s.shared.Get(ctx, key); err == nil && ok {
			return text, nil
		}
	}

	status, _, body, err := s.client.getBody(ctx, "template/"+path, nil, callHeader(ctx))
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK || len(body) == 0 {
		return nil, fmt.Errorf("%w: template of /%s", errNotFound, path)
	}
	if tag != "" {
		_ = s.shared.Set(ctx, key, body, sharedTemplateTTL)
	}
	return body, nil
}

// templateError is a service template that failed to compile or render.
type templateError struct {
	service string
	action  string
	err     error
}

func (e *templateError) Error() string {
	return fmt.Sprintf("proxy: template of service %s action %s: %v", e.service, e.action, e.err)
}

func (e *templateError) Unwrap() error { return e.err }

// renderPage renders the action's template with its data and the proxy's
// variables, and the menu and title blocks.
func (p *Proxy) renderPage(r *http.Request, meta *Meta, path string, reply *actionReply, st *requestState) (*cachedPage, error) {
	svc := st.service
	body, err := readLimited(reply.resp.Body, maxServiceBody)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: reading action reply: %w", errServiceUnavailable, svc.name, err)
	}

	ctx, err := p.templateContext(body, st)
	if err != nil {
		return nil, err
	}

	tpl, err := st.upstream.template(r.Context(), path, meta.TemplateTag)
	if err != nil {
		return nil, err
	}

	hooks := &renderHooks{ctx: r.Context(), upstream: st.upstream}
	content, blocks, err := tpl.RenderWithBlocks(ctx, hooks, svc.blockNames()...)
	if err != nil {
		return nil, &templateError{service: svc.name, action: "/" + path, err: err}
	}

	page := &cachedPage{
		Content:    content,
		Title:      strings.TrimSpace(blocks["title"]),
		NoTemplate: meta.NoTemplate,
		Header:     http.Header{},
	}
	if svc.menuBlock != "" {
		page.Menu = blocks[svc.menuBlock]
	}
	copyHeaders(page.Header, reply.resp.Header, append(corsHeaders, "ETag"))
	return page, nil
}

func (svc *serviceState) blockNames() []string {
	if svc.menuBlock == "" {
		return []string{"title"}
	}
	return []string{"title", svc.menuBlock}
}

// templateContext decodes the action's JSON and adds the proxy's
// variables, which win over data of the same name.
func (p *Proxy) templateContext(body []byte, st *requestState) (djtemplate.Context, error) {
	svc := st.service
	ctx := djtemplate.Context{}
	if len(strings.TrimSpace(string(body))) > 0 {
		data, err := djtemplate.DecodeJSON(body)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: invalid action JSON: %w", errServiceUnavailable, svc.name, err)
		}

		switch d := data.(type) {
		case nil:
			return nil, errNotFound
		case *djtemplate.Dict:
			for _, k := range d.Keys() {
				ctx[k], _ = d.Get(k)
			}
		default:
			return nil, fmt.Errorf("%w: %s: action JSON is not an object", errServiceUnavailable, svc.name)
		}
	}

	for k, v := range p.proxyVariables(st) {
		ctx[k] = v
	}
	return ctx, nil
}

// proxyVariables returns the template variables the proxy adds.
func (p *Proxy) proxyVariables(st *requestState) djtemplate.Context {
	svc := st.service
	vars := djtemplate.Context{
		"ebuio_u":         djtemplate.FromJSON(st.user.templateValue()),
		"ebuio_baseUrl":   svc.basePath,
		"ebuio_userMode":  st.user.Mode,
		"ebuio_realUsers": false,
		"ebuio_orgamode":  svc.orgaMode,
		"csrf_token":      p.csrfPlaceholder,
		"MEDIA_URL":       svc.basePath + "media/",
		"STATIC_URL":      staticPath,
	}
	if st.orga != nil {
		vars["ebuio_orga"] = djtemplate.FromJSON(st.orga.templateValue())
	}
	return vars
}

// writePage sends a rendered page, in the layout unless no_template, with
// the user's CSRF token in place of the placeholder.
func (p *Proxy) writePage(w http.ResponseWriter, r *http.Request, meta *Meta, page *cachedPage) error {
	token := stateFrom(r.Context()).session.CSRFToken
	content := strings.ReplaceAll(page.Content, p.csrfPlaceholder, token)
	for k, v := range page.Header {
		w.Header()[k] = v
	}

	if page.NoTemplate {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		setPageSecurityHeaders(h)
		_, _ = w.Write([]byte(content))
		return nil
	}

	menu := strings.ReplaceAll(page.Menu, p.csrfPlaceholder, token)
	layout := p.layoutData(r, page.Title, template.HTML(content), menu)
	p.writeLayout(w, http.StatusOK, layout)
	return nil
}

// renderHooks gives templates the proxy's plugitInclude and plugitGetUser.
type renderHooks struct {
	ctx      context.Context
	upstream *upstream
}

// IncludeTemplate returns the template of another action of the service.
// "menubar" and "/menubar" name the same action.
func (h *renderHooks) IncludeTemplate(action string) (*djtemplate.Template, error) {
	path := strings.TrimLeft(action, "/")
	meta, err := h.upstream.meta(h.ctx, path)
	if err != nil {
		return nil, fmt.Errorf("plugitInclude %q: %w", action, err)
	}
	return h.upstream.template(h.ctx, path, meta.TemplateTag)
}

// GetUser returns the released properties of a simulated user by pk.
func (h *renderHooks) GetUser(pk string) (map[string]any, error) {
	for _, mode := range userModes {
		u := simulatedUser(mode)
		if !u.Anonymous() && fmt.Sprint(u.PK) == pk {
			return u.templateValue(), nil
		}
	}
	return nil, fmt.Errorf("plugitGetUser: no user with pk %s", pk)
}
