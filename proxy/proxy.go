// Package proxy is the PlugIt host platform: it serves services to
// browsers inside one common layout, with users, organisations, access
// rules, sessions, CSRF protection and caching.
package proxy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/plugit-go/plugit/internal/accounts"
	"github.com/plugit-go/plugit/internal/cache"
	"github.com/plugit-go/plugit/internal/djtemplate"
	"github.com/plugit-go/plugit/internal/session"
	"github.com/plugit-go/plugit/internal/web"
)

// staticPath is the path prefix of the proxy's own static files.
const staticPath = "/static/"

// sessionTTL is how long an unused browser session lives.
const sessionTTL = 14 * 24 * time.Hour

// maxAPIKeyFailures is how many calls with a wrong API key an address may
// make per minute before the API answers 429.
const maxAPIKeyFailures = 20

// memorySessionBytes is the budget of the default in-memory session store:
// about 200 000 logged-in sessions.
const memorySessionBytes = 96 << 20

// Proxy is a PlugIt proxy: in standalone mode it serves one service under
// a base path, in hosted mode many services under /<key>/. It is an
// http.Handler.
type Proxy struct {
	cfg       Config
	service   *serviceState // the service of standalone mode
	services  atomic.Pointer[serviceSet]
	engine    *djtemplate.Engine
	transport http.RoundTripper
	sessions  session.Store
	signer    *session.Signer
	layouts   *template.Template
	pages     *pageCache
	metrics   *metrics
	shells    layoutShells
	// apiFailures counts API calls with a wrong key per client address.
	apiFailures *accounts.MemoryLimiter
	logger      *slog.Logger
	// csrfPlaceholder stands for the CSRF token in rendered pages, so that
	// cached pages never hold a user's token; writePage replaces it. It
	// derives from the secret key: proxies sharing a cache share it, and
	// services can't predict it.
	csrfPlaceholder string
	handler         http.Handler
}

// New returns a proxy for the configuration.
func New(cfg Config) (*Proxy, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}

	key := cfg.SecretKey
	if key == nil {
		key = []byte(session.RandomToken())
		cfg.Logger.Warn("proxy: no secret key set, sessions end when the proxy stops")
	}

	layouts, err := web.Layouts()
	if err != nil {
		return nil, fmt.Errorf("proxy: parsing layouts: %w", err)
	}

	sessions := cfg.Sessions
	if sessions == nil {
		sessions, err = session.NewMemoryStoreBytes(memorySessionBytes)
		if err != nil {
			return nil, err
		}
	}

	shared := cfg.Cache
	if shared == nil {
		shared, _ = cache.NewMemory(defaultCacheBytes)
	}

	engine := djtemplate.NewEngine(web.ServiceTemplates())
	engine.SetStaticURL(staticPath)
	p := &Proxy{
		cfg:             cfg,
		engine:          engine,
		transport:       newTransport(),
		sessions:        sessions,
		signer:          session.NewSigner(key),
		csrfPlaceholder: csrfPlaceholderFor(key),
		layouts:         layouts,
		pages:           &pageCache{store: shared, logger: cfg.Logger},
		metrics:         newMetrics(),
		apiFailures:     accounts.NewMemoryLimiter(maxAPIKeyFailures, time.Minute, nil),
		logger:          cfg.Logger,
	}

	p.transport = p.traceTransport(p.transport)
	if cfg.Hosted {
		err = p.Reload(cfg.Services)
	} else {
		p.service, err = p.newServiceState(cfg.standaloneService(), cfg.BasePath)
	}
	if err != nil {
		return nil, err
	}

	p.handler = p.traceHandler(p.logRequests(p.routes()))
	return p, nil
}

func csrfPlaceholderFor(key []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("plugit csrf placeholder"))
	return "plugitcsrf" + hex.EncodeToString(mac.Sum(nil))[:32]
}

// ServeHTTP serves a browser request.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.handler.ServeHTTP(w, r)
}

// serviceHandler serves the requests under a service's base path. The
// standalone API, called by services rather than browsers, needs no
// session.
func (p *Proxy) serviceHandler(svc *serviceState) http.Handler {
	next := p.withSession(p.handleService)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stateFrom(r.Context()).service = svc
		if call, ok := strings.CutPrefix(r.URL.Path, svc.basePath+"ebuio_api/"); ok && !p.cfg.Hosted {
			p.serveAPI(w, r, svc, call)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (p *Proxy) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(staticPath, web.StaticHandler(staticPath))
	if p.cfg.Accounts != nil {
		p.accountRoutes(mux)
	}
	if p.cfg.Admin != nil {
		mux.Handle("/admin/", p.withSession(p.handleAdmin))
	}
	mux.HandleFunc("GET /healthz", p.handleHealthz)
	mux.HandleFunc("GET /readyz", p.handleReadyz)
	mux.Handle("GET /metrics", p.metrics.handler())
	mux.Handle("GET /status", p.withSession(p.handleStatus))
	if p.cfg.Hosted {
		mux.Handle("GET /{$}", p.withSession(p.handleHome))
		mux.HandleFunc("/api/", p.handleHostedAPI)
		if p.cfg.Accounts == nil {
			mux.Handle("GET /ebuio_setUser", p.withSession(p.handleSetUser))
		}
		mux.HandleFunc("/", p.handleHosted)
		return mux
	}

	base := p.cfg.BasePath
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, base, http.StatusFound)
	})
	mux.Handle(base, p.serviceHandler(p.service))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		p.fail(w, r, errNotFound)
	})
	return mux
}
