package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/plugit-go/plugit/proxy"
)

// frontConfig is the command line of the front command.
type frontConfig struct {
	backend string
	ready   string
	hosted  int
	timeout time.Duration
}

func parseFrontFlags(args []string) (frontConfig, error) {
	var cfg frontConfig
	flags := flag.NewFlagSet("front", flag.ContinueOnError)
	flags.StringVar(&cfg.backend, "backend", "", "base URL of the backend service, such as http://127.0.0.1:8000 (required)")
	flags.StringVar(&cfg.ready, "ready", "", "file to write the front's URLs and session to once it serves (required)")
	flags.IntVar(&cfg.hosted, "hosted", 0, "serve this many hosted services, all on the backend, instead of one standalone service")
	flags.DurationVar(&cfg.timeout, "timeout", 0, "proxy.Config.Timeout; 0 keeps the proxy's default")
	if err := flags.Parse(args); err != nil {
		return cfg, err
	}

	if cfg.backend == "" || cfg.ready == "" {
		return cfg, errors.New("benchserver: front: -backend and -ready are required")
	}
	if cfg.hosted < 0 || cfg.hosted > 999 {
		return cfg, fmt.Errorf("benchserver: front: -hosted %d is out of range 0 to 999", cfg.hosted)
	}
	return cfg, nil
}

// pagePaths are the browser paths of the list page, one per service:
// missPaths with cache_time 0, hitPaths with a cache time.
type pagePaths struct {
	miss []string
	hit  []string
}

func runFront(ctx context.Context, args []string, logger *slog.Logger) error {
	cfg, err := parseFrontFlags(args)
	if err != nil {
		return err
	}

	p, paths, err := newPlugit(cfg)
	if err != nil {
		return err
	}
	backend, err := url.Parse(cfg.backend)
	if err != nil {
		return fmt.Errorf("benchserver: front: invalid backend URL %q: %w", cfg.backend, err)
	}

	plain := &plainPage{}
	servers, err := listenAll(logger, map[string]http.Handler{
		"PlugIt proxy": p, "reverse proxy": newReverseProxy(backend, logger),
		"plain handler": plain, "pprof": debugHandler(),
	})
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- serveAll(ctx, logger, servers...) }()

	vars, err := prepareFront(ctx, servers, paths, plain)
	if err == nil {
		err = writeReady(cfg.ready, vars)
	}
	if err != nil {
		cancel()
		<-done
		return err
	}

	logger.Info("benchserver: front serving", "proxy", servers[0].url(), "hosted", cfg.hosted)
	return <-done
}

// listenAll opens a port per handler, in the fixed order PlugIt proxy,
// reverse proxy, plain handler, pprof.
func listenAll(logger *slog.Logger, handlers map[string]http.Handler) ([]*server, error) {
	var servers []*server
	for _, name := range []string{"PlugIt proxy", "reverse proxy", "plain handler", "pprof"} {
		s, err := listen(name, handlers[name], logger)
		if err != nil {
			return nil, err
		}
		servers = append(servers, s)
	}
	return servers, nil
}

// newPlugit returns the PlugIt proxy of cfg and the paths of its pages.
// Its access log is formatted as JSON, as in production, and discarded.
func newPlugit(cfg frontConfig) (*proxy.Proxy, pagePaths, error) {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never returns an error.
	pc := proxy.Config{
		SecretKey: key,
		Timeout:   cfg.timeout,
		Logger:    slog.New(slog.NewJSONHandler(io.Discard, nil)),
	}

	var paths pagePaths
	if cfg.hosted == 0 {
		pc.ServiceURL = cfg.backend + "/"
		paths = pagePaths{miss: []string{"/plugIt/"}, hit: []string{"/plugIt/cached/"}}
	}
	for i := range cfg.hosted {
		key := fmt.Sprintf("svc%03d", i)
		pc.Services = append(pc.Services, proxy.ServiceConfig{
			Key: key, Name: "Polls " + strconv.Itoa(i), URL: cfg.backend + "/",
		})
		paths.miss = append(paths.miss, "/"+key+"/")
		paths.hit = append(paths.hit, "/"+key+"/cached/")
	}
	pc.Hosted = cfg.hosted > 0

	p, err := proxy.New(pc)
	if err != nil {
		return nil, paths, fmt.Errorf("benchserver: front: %w", err)
	}
	return p, paths, nil
}

// newReverseProxy returns a bare reverse proxy to backend, with the same
// connection pool sizes as the PlugIt proxy's transport, so that the two
// differ only in what they do with a request.
func newReverseProxy(backend *url.URL, logger *slog.Logger) http.Handler {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = 512
	transport.MaxIdleConnsPerHost = 128
	return &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(backend) },
		Transport: transport,
		ErrorLog:  slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// joinPaths returns the paths separated by spaces, for the wrk script.
func joinPaths(paths []string) string {
	return strings.Join(paths, " ")
}
