package proxy

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/plugit-go/plugit/internal/djtemplate"
)

// serviceState is one service as the proxy sees it: its client and its
// meta and template caches.
type serviceState struct {
	name      string
	key       string
	basePath  string
	orgaMode  bool
	proxyMode bool
	menuBlock string
	client    *serviceClient
	metas     *metaCache
	templates *templateCache
	engine    *djtemplate.Engine
}

func newServiceState(cfg Config, engine *djtemplate.Engine, transport http.RoundTripper) (*serviceState, error) {
	name := cfg.ServiceName
	if name == "" {
		name = serviceName(cfg.ServiceURL)
	}
	client, err := newServiceClient(name, cfg.ServiceURL, cfg.Timeout, transport)
	if err != nil {
		return nil, err
	}

	return &serviceState{
		name:      name,
		key:       "standalone",
		basePath:  cfg.BasePath,
		orgaMode:  cfg.OrgaMode,
		proxyMode: cfg.ProxyMode,
		menuBlock: cfg.MenuBlock,
		client:    client,
		metas:     newMetaCache(),
		templates: newTemplateCache(),
		engine:    engine,
	}, nil
}

// serviceName returns the name users see for a service URL: its host.
func serviceName(serviceURL string) string {
	u, err := url.Parse(serviceURL)
	if err != nil || u.Host == "" {
		return serviceURL
	}
	return strings.TrimSuffix(u.Host+u.Path, "/")
}

// displayName returns the service's name, or "" for a request outside any
// service.
func (s *serviceState) displayName() string {
	if s == nil {
		return ""
	}
	return s.name
}

// actionPath returns the action path of a request, for logs.
func (s *serviceState) actionPath(r *http.Request) string {
	if s == nil {
		return r.URL.Path
	}
	path, _ := strings.CutPrefix(r.URL.Path, s.basePath)
	return "/" + path
}

// callHeader returns the headers the proxy sends with every call.
func (s *serviceState) callHeader(ctx context.Context) http.Header {
	h := http.Header{}
	h.Set("User-Agent", "PlugIt-Go proxy")
	if id := requestID(ctx); id != "" {
		h.Set("X-Request-Id", id)
	}
	return h
}
