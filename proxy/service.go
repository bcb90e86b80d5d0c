package proxy

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/sony/gobreaker/v2"

	"github.com/plugit-go/plugit/internal/cache"
	"github.com/plugit-go/plugit/internal/djtemplate"
)

// standaloneKey is the key of the one service of standalone mode.
const standaloneKey = "standalone"

// serviceState is one service as the proxy sees it: its configuration,
// its client and its meta and template caches.
type serviceState struct {
	ServiceConfig
	name      string
	key       string
	basePath  string
	orgaMode  bool
	proxyMode bool
	menuBlock string
	primary   *upstream
	shadows   []*shadow
}

// upstream is one deployment of a service, the primary or a shadow: its
// client and its meta and template caches.
type upstream struct {
	name      string // "primary" or the shadow's name
	client    *serviceClient
	metas     *metaCache
	templates *templateCache
	engine    *djtemplate.Engine
	health    health
	// shared is the cache of meta replies and template texts that
	// several proxies may share; cachePrefix keeps deployments apart.
	shared      cache.Cache
	cachePrefix string
}

// newUpstream returns a deployment of the service sc at url, whose breaker
// changes are logged and exported as metrics.
func (p *Proxy) newUpstream(sc ServiceConfig, name, url string) (*upstream, error) {
	clientName := sc.Name
	if name != "primary" {
		clientName += " (" + name + ")"
	}
	client, err := newServiceClient(clientName, url, sc.Timeout, p.transport)
	if err != nil {
		return nil, err
	}

	gauge := p.metrics.breaker.WithLabelValues(sc.Key, name)
	client.onBreakerChange = func(from, to gobreaker.State) {
		p.logger.Warn("proxy: circuit breaker changed state", "service", sc.Key, "deployment", name,
			"from", from.String(), "to", to.String())
		gauge.Set(breakerValue(to))
	}
	return &upstream{
		name: name, client: client, metas: newMetaCache(),
		templates: newTemplateCache(), engine: p.engine,
		shared: p.pages.store, cachePrefix: sc.Key + "\x00" + name + "\x00" + sc.URL + "\x00",
	}, nil
}

func (p *Proxy) newServiceState(sc ServiceConfig, basePath string) (*serviceState, error) {
	sc = p.normalized(sc)
	primary, err := p.newUpstream(sc, "primary", sc.URL)
	if err != nil {
		return nil, err
	}
	shadows, err := p.newShadows(sc)
	if err != nil {
		return nil, err
	}

	return &serviceState{
		ServiceConfig: sc,
		name:          sc.Name,
		key:           sc.Key,
		basePath:      basePath,
		orgaMode:      sc.OrgaMode,
		proxyMode:     sc.ProxyMode,
		menuBlock:     sc.MenuBlock,
		primary:       primary,
		shadows:       shadows,
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
func callHeader(ctx context.Context) http.Header {
	h := http.Header{}
	h.Set("User-Agent", "PlugIt-Go proxy")
	if id := requestID(ctx); id != "" {
		h.Set("X-Request-Id", id)
	}
	return h
}
