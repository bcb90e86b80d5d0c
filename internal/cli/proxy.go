package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/plugit-go/plugit/internal/platform"
	"github.com/plugit-go/plugit/proxy"
)

// proxyFlags are the flags of a standalone proxy.
type proxyFlags struct {
	listen    string
	service   string
	name      string
	base      string
	orgaMode  bool
	proxyMode bool
	menu      string
	timeout   time.Duration
	trustXFF  bool
	secret    string
	debug     bool
	accounts  string
}

func (f *proxyFlags) register(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
	DurationVar(*time.Duration, string, time.Duration, string)
}) {
	fs.StringVar(&f.listen, "listen", "127.0.0.1:4000", "address the proxy listens on")
	fs.StringVar(&f.name, "service-name", "", "service name shown in the layout (default: the service's host)")
	fs.StringVar(&f.base, "base", "/plugIt/", "path under which the proxy serves the service")
	fs.BoolVar(&f.orgaMode, "orga-mode", false, "send the current organisation and require one")
	fs.BoolVar(&f.proxyMode, "proxy-mode", false, "forward requests as they are instead of meta/template/action calls")
	fs.StringVar(&f.menu, "menu-block", "", "template block shown as the side menu, such as menubar")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "time-out of each call to the service")
	fs.BoolVar(&f.trustXFF, "trust-forwarded-for", false, "take the browser's address from X-Forwarded-For")
	fs.StringVar(&f.secret, "secret", "", "key signing session cookies, at least 32 bytes (default: random, sessions end at exit)")
	fs.BoolVar(&f.debug, "debug", false, "show template errors on error pages")
	fs.StringVar(&f.accounts, "accounts", "", "account store (SQLite file or postgres:// URL) for real logins "+
		"instead of the simulated users; members are those of service \"standalone\" (see plugit admin)")
}

func (f *proxyFlags) config(env *environment, serviceURL string) proxy.Config {
	cfg := proxy.Config{
		ServiceURL:        serviceURL,
		ServiceName:       f.name,
		BasePath:          f.base,
		OrgaMode:          f.orgaMode,
		ProxyMode:         f.proxyMode,
		MenuBlock:         f.menu,
		Timeout:           f.timeout,
		TrustForwardedFor: f.trustXFF,
		Debug:             f.debug,
		Logger:            env.logger,
	}
	if f.secret != "" {
		cfg.SecretKey = []byte(f.secret)
	}
	return cfg
}

// newProxy returns the standalone proxy of the flags in front of
// serviceURL, with tracing when the OTLP variables are set and real
// accounts with --accounts. closeProxy flushes the traces and closes the
// account store.
func (f *proxyFlags) newProxy(ctx context.Context, env *environment, serviceURL string) (
	p *proxy.Proxy, closeProxy func(), err error) {
	cfg := f.config(env, serviceURL)
	tp, stopTracing, err := tracerProvider(ctx)
	if err != nil {
		return nil, nil, err
	}
	if tp != nil {
		cfg.TracerProvider = tp
	}
	closeProxy = stopTracing

	if f.accounts != "" {
		st, err := platform.UseAccounts(ctx, &cfg, f.accounts)
		if err != nil {
			stopTracing()
			return nil, nil, err
		}
		closeProxy = func() {
			stopTracing()
			st.Close()
		}
	}

	p, err = proxy.New(cfg)
	if err != nil {
		closeProxy()
		return nil, nil, err
	}
	return p, closeProxy, nil
}

func runProxy(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("proxy", "proxy --service URL [flags]", env.stderr)
	var f proxyFlags
	f.register(fs)
	fs.StringVar(&f.service, "service", "", "base URL of the service, such as http://127.0.0.1:5000/ (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if f.service == "" {
		return fmt.Errorf("%w: --service (or PLUGIT_SERVICE) is required", errUsage)
	}

	p, closeProxy, err := f.newProxy(ctx, env, f.service)
	if err != nil {
		return err
	}
	defer closeProxy()

	srv, err := listen("proxy", f.listen, p, env.logger)
	if err != nil {
		return err
	}
	env.logger.Info("proxy started", "url", srv.url()+f.base[1:], "service", f.service, "pid", os.Getpid())
	go p.RunHealthChecks(ctx, 0)
	return runServers(ctx, srv)
}
