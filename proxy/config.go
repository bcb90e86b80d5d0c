package proxy

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/plugit-go/plugit/internal/cache"
	"github.com/plugit-go/plugit/internal/session"
)

// Config configures a standalone proxy that serves one service.
type Config struct {
	// ServiceURL is the service's base URL, such as
	// "http://127.0.0.1:5000/". Required.
	ServiceURL string

	// ServiceName is the service's name in the layout and error pages.
	// Default: the service URL's host and path.
	ServiceName string

	// BasePath is the path under which the proxy serves the service.
	// Default: "/plugIt/".
	BasePath string

	// OrgaMode sends the current organisation with every call and requires
	// one unless an action is public. Default: false.
	OrgaMode bool

	// ProxyMode forwards browser requests to the service as they are
	// instead of using the meta, template and action calls. Default: false.
	ProxyMode bool

	// MenuBlock names the template block rendered into the layout's side
	// menu, such as "menubar". Default: "" (no side menu).
	MenuBlock string

	// Timeout bounds each call to the service while it makes no progress:
	// a browser upload streamed to the service pushes it back with each
	// chunk, so only the time after the last byte counts. Default: 10
	// seconds.
	Timeout time.Duration

	// TrustForwardedFor takes the browser's address from the first entry
	// of X-Forwarded-For, for a proxy behind a trusted load balancer.
	// Default: false (the connection's address).
	TrustForwardedFor bool

	// SecretKey signs session cookies. At least 32 bytes. Default: a
	// random key, so sessions end when the process stops.
	SecretKey []byte

	// SecureCookies marks cookies Secure, for sites served over HTTPS.
	// Default: false.
	SecureCookies bool

	// PlatformName is shown in the layout's top bar. Default: "PlugIt".
	PlatformName string

	// Debug shows template errors on the 500 page. Default: false.
	Debug bool

	// Logger receives the access log and errors. Default: slog.Default().
	Logger *slog.Logger

	// Shadows are other deployments of the standalone service that
	// selected users are routed to. Default: none.
	Shadows []ShadowConfig

	// Hosted makes the proxy serve the Services, each under /<key>/, with
	// a home page listing them, instead of one service under BasePath.
	// Default: false (standalone mode).
	Hosted bool

	// Services are the services of hosted mode. Reload replaces them.
	Services []ServiceConfig

	// Sessions keeps browser sessions. Default: an in-memory store.
	Sessions session.Store

	// Accounts gives real user accounts with login pages. Default: none,
	// so the simulated users of standalone mode are used, also in hosted
	// mode for development.
	Accounts Accounts

	// SignupClosed turns off the sign-up page of real accounts. Default:
	// false (visitors may create accounts).
	SignupClosed bool

	// PasswordResetOff hides password resets, for platforms that send no
	// mail. Default: false.
	PasswordResetOff bool

	// PublicURL is the proxy's address as users reach it, ending in "/",
	// for links in e-mails such as password resets. Default: none, so
	// password resets are turned off.
	PublicURL string

	// Admin serves the administration area under /admin/ to platform
	// administrators. Default: none.
	Admin AdminHandler

	// Directory serves the API's user and organisation lookups. Default:
	// the simulated users and organisations of standalone mode.
	Directory Directory

	// Mailer sends the mails of the API. Default: none, so the API's mail
	// call returns an error.
	Mailer Mailer

	// TracerProvider, when set, traces browser requests and service calls
	// with OpenTelemetry and sends the W3C traceparent header to services.
	// Default: none (no tracing).
	TracerProvider trace.TracerProvider

	// Cache keeps rendered pages, meta and template texts; a shared cache
	// such as Redis lets several proxies use each other's work. Default:
	// 64 MiB in process memory.
	Cache cache.Cache
}

// ServiceConfig configures one service of hosted mode.
type ServiceConfig struct {
	// Key names the service in URLs: /<key>/. Required.
	Key string
	// Name is the service's name in menus and pages. Default: the key.
	Name string
	// URL is the service's base URL. Required.
	URL string
	// ProxyMode forwards requests as they are. Default: false.
	ProxyMode bool
	// OrgaMode sends the current organisation with every call. Default:
	// false.
	OrgaMode bool
	// MenuBlock names the template block shown as the side menu. Default:
	// none.
	MenuBlock string
	// HTTPSRequired redirects (301) to the https URL for plain HTTP requests.
	// Default: false.
	HTTPSRequired bool
	// APIKey authenticates the service's calls to the API. Default: none.
	APIKey string
	// Orgas limits the service to members of these organisations, by
	// codops. Default: every organisation.
	Orgas []string
	// Timeout bounds each call to the service. Default: Config.Timeout.
	Timeout time.Duration
	// Shadows are other deployments of the service that selected users
	// are routed to. Default: none.
	Shadows []ShadowConfig
}

func errConfigf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errConfig}, args...)...)
}

// errConfig is the prefix of configuration errors.
var errConfig = errors.New("proxy: invalid configuration")

// withDefaults validates c and fills in defaults.
func (c Config) withDefaults() (Config, error) {
	if c.Timeout <= 0 {
		c.Timeout = 10 * time.Second
	}
	if c.SecretKey != nil && len(c.SecretKey) < 32 {
		return c, fmt.Errorf("%w: secret key has %d bytes, at least 32 are needed", errConfig, len(c.SecretKey))
	}
	if c.PlatformName == "" {
		c.PlatformName = "PlugIt"
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Hosted {
		return c, nil
	}
	return c.standaloneDefaults()
}

// standaloneDefaults validates and completes the standalone service.
func (c Config) standaloneDefaults() (Config, error) {
	u, err := url.Parse(c.ServiceURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, fmt.Errorf("%w: service URL %q must be an absolute http or https URL", errConfig, c.ServiceURL)
	}
	if !strings.HasSuffix(c.ServiceURL, "/") {
		c.ServiceURL += "/"
	}

	if c.BasePath == "" {
		c.BasePath = "/plugIt/"
	}
	if !strings.HasPrefix(c.BasePath, "/") || !strings.HasSuffix(c.BasePath, "/") {
		return c, fmt.Errorf("%w: base path %q must start and end with /", errConfig, c.BasePath)
	}
	if c.BasePath == "/" || strings.HasPrefix(c.BasePath, "/static/") {
		return c, fmt.Errorf("%w: base path %q collides with the proxy's own paths", errConfig, c.BasePath)
	}

	return c, nil
}

// standaloneService returns the service of standalone mode.
func (c Config) standaloneService() ServiceConfig {
	name := c.ServiceName
	if name == "" {
		name = serviceName(c.ServiceURL)
	}
	return ServiceConfig{
		Key: standaloneKey, Name: name, URL: c.ServiceURL, ProxyMode: c.ProxyMode,
		OrgaMode: c.OrgaMode, MenuBlock: c.MenuBlock, Timeout: c.Timeout, Shadows: c.Shadows,
	}
}
