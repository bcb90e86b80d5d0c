package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"time"

	"github.com/plugit-go/plugit/internal/accounts"
	"github.com/plugit-go/plugit/internal/config"
	"github.com/plugit-go/plugit/internal/mail"
	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/proxy"

	_ "github.com/plugit-go/plugit/internal/store/postgres" // registers postgres:// stores
	_ "github.com/plugit-go/plugit/internal/store/sqlite"   // registers SQLite stores
)

// Platform is a hosted proxy with its account store.
type Platform struct {
	Proxy         *proxy.Proxy
	Store         store.Store
	logger        *slog.Logger
	deliverer     *serviceDeliverer
	checker       *mail.Checker
	checkInterval time.Duration
}

// Options configure the hosted platform beyond plugit.yaml.
type Options struct {
	// Logger receives logs. Default: slog.Default().
	Logger *slog.Logger
	// Base is the proxy configuration to start from (sessions, cache).
	Base proxy.Config
}

// New opens the store of f, loads its services into the store and returns
// the platform's proxy.
func New(ctx context.Context, f *config.File, opts Options) (*Platform, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}

	st, err := store.Open(ctx, f.Store)
	if err != nil {
		return nil, fmt.Errorf("platform: opening store %s: %w", redactDSN(f.Store), err)
	}

	pl := &Platform{Store: st, logger: logger, deliverer: &serviceDeliverer{},
		checkInterval: f.Mail.Inbox.Interval.Duration}
	if err := pl.syncServices(ctx, f.Services); err != nil {
		st.Close()
		return nil, err
	}
	cfg, err := pl.proxyConfig(ctx, f, opts, logger)
	if err != nil {
		st.Close()
		return nil, err
	}

	p, err := proxy.New(cfg)
	if err != nil {
		st.Close()
		return nil, err
	}
	pl.Proxy = p
	return pl, nil
}

// proxyConfig builds the proxy's configuration: accounts, directory,
// administration, mail, sessions and cache.
func (pl *Platform) proxyConfig(ctx context.Context, f *config.File, opts Options, logger *slog.Logger) (proxy.Config, error) {
	st := pl.Store
	sender, err := newSender(f.Mail)
	if err != nil {
		return proxy.Config{}, err
	}
	if err := pl.deliverer.update(f.Services); err != nil {
		return proxy.Config{}, err
	}
	if pl.checker, err = newChecker(f, pl.deliverer, pl); err != nil {
		return proxy.Config{}, err
	}

	sessions, shared, err := sharedState(ctx, f)
	if err != nil {
		return proxy.Config{}, err
	}

	svc := accounts.New(st, accounts.Config{AllowRegistration: *f.Signup, Logger: logger})
	cfg := opts.Base
	if cfg.Sessions == nil {
		cfg.Sessions = sessions
	}
	if cfg.Cache == nil {
		cfg.Cache = shared
	}
	cfg.Hosted = true
	cfg.PlatformName = f.PlatformName
	cfg.PublicURL = f.PublicURL
	cfg.SecureCookies = f.SecureCookies
	cfg.TrustForwardedFor = f.TrustForwardedFor
	cfg.Debug = f.Debug
	cfg.Timeout = f.Timeout.Duration
	cfg.SignupClosed = !*f.Signup
	cfg.Logger = logger
	cfg.Services = proxyServices(f.Services)
	var reset accounts.Mailer
	cfg.PasswordResetOff = sender == nil
	if sender != nil {
		cfg.Mailer = apiMailer{sender: sender}
		reset = resetMailer{sender: sender, platformName: f.PlatformName}
	}
	cfg.Accounts = NewAccounts(st, svc, reset)
	cfg.Directory = NewDirectory(st)
	cfg.Admin = NewAdmin(st, svc)
	if f.SecretKey != "" {
		cfg.SecretKey = []byte(f.SecretKey)
	}
	return cfg, nil
}

// Reload loads the services of a new configuration into the store and the
// proxy. On error nothing changes in the proxy.
func (pl *Platform) Reload(ctx context.Context, f *config.File) error {
	if err := pl.syncServices(ctx, f.Services); err != nil {
		return err
	}
	if err := pl.Proxy.Reload(proxyServices(f.Services)); err != nil {
		return err
	}
	return pl.deliverer.update(f.Services)
}

// Close closes the store.
func (pl *Platform) Close() error {
	return pl.Store.Close()
}

func proxyServices(services []config.Service) []proxy.ServiceConfig {
	list := make([]proxy.ServiceConfig, 0, len(services))
	for _, s := range services {
		sc := proxy.ServiceConfig{
			Key: s.Key, Name: s.Name, URL: s.URL, ProxyMode: s.Mode == "proxy",
			OrgaMode: s.OrgaMode, MenuBlock: s.MenuBlock, HTTPSRequired: s.HTTPSRequired,
			APIKey: s.APIKey, Orgas: s.Orgas, Timeout: s.Timeout.Duration,
		}
		for _, sh := range s.Shadows {
			sc.Shadows = append(sc.Shadows, proxy.ShadowConfig{
				Name: sh.Name, URL: sh.URL, Users: sh.Users, Orgas: sh.Orgas, Percent: sh.Percent,
			})
		}
		list = append(list, sc)
	}
	return list
}

// syncServices stores the configured services with their members and
// allowed organisations. Unknown usernames and codops are logged, so a
// configuration can name users before their accounts exist.
func (pl *Platform) syncServices(ctx context.Context, services []config.Service) error {
	orgas, err := pl.Store.ListOrgas(ctx)
	if err != nil {
		return fmt.Errorf("platform: listing organisations: %w", err)
	}

	for _, s := range services {
		options, _ := json.Marshal(map[string]any{"mode": s.Mode, "orga_mode": s.OrgaMode, "menu_block": s.MenuBlock})
		err := pl.Store.PutService(ctx, store.Service{Key: s.Key, Name: s.Name, URL: s.URL, APIKey: s.APIKey, Options: options})
		if err != nil {
			return fmt.Errorf("platform: storing service %s: %w", s.Key, err)
		}
		if err := pl.syncMembers(ctx, s); err != nil {
			return err
		}
		if err := pl.syncOrgas(ctx, s, orgas); err != nil {
			return err
		}
	}
	return nil
}

func (pl *Platform) syncMembers(ctx context.Context, s config.Service) error {
	for _, m := range s.Members {
		u, err := pl.Store.UserByUsername(ctx, m.User)
		if errors.Is(err, store.ErrNotFound) {
			pl.logger.Warn("platform: configured member has no account", "service", s.Key, "username", m.User)
			continue
		}
		if err != nil {
			return fmt.Errorf("platform: reading user %s: %w", m.User, err)
		}
		if err := pl.Store.PutServiceMember(ctx, s.Key, u.PK, m.Admin); err != nil {
			return fmt.Errorf("platform: adding %s to service %s: %w", m.User, s.Key, err)
		}
	}
	return nil
}

func (pl *Platform) syncOrgas(ctx context.Context, s config.Service, orgas []store.Orga) error {
	for _, codops := range s.Orgas {
		i := slices.IndexFunc(orgas, func(o store.Orga) bool { return o.Codops == codops })
		if i < 0 {
			pl.logger.Warn("platform: configured organisation does not exist", "service", s.Key, "codops", codops)
			continue
		}
		if err := pl.Store.AllowOrga(ctx, s.Key, orgas[i].PK); err != nil {
			return fmt.Errorf("platform: allowing organisation %s in service %s: %w", codops, s.Key, err)
		}
	}
	return nil
}

// redactDSN hides a password in a store URL for messages.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	return u.Redacted()
}
