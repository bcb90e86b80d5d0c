package browser

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/plugit-go/plugit/examples/polls"
	"github.com/plugit-go/plugit/proxy"
	"github.com/plugit-go/plugit/service"
)

// site is the demo of "plugit demo", wired in-process: the polls service
// on a fresh SQLite file and the proxy in front of it, both on 127.0.0.1.
type site struct {
	proxy *httptest.Server
	base  string // the service's address through the proxy, ending in /plugIt/
}

// startSite starts the demo. Each option changes the proxy's
// configuration before the proxy is created.
func startSite(t *testing.T, options ...func(*proxy.Config)) *site {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))

	store, err := polls.OpenStore(context.Background(), filepath.Join(t.TempDir(), "polls.db"))
	if err != nil {
		t.Fatalf("opening the polls store: %v", err)
	}
	t.Cleanup(func() { _ = store.Close() })

	svc, err := polls.New(store, service.WithLogger(logger), service.WithDebug(true))
	if err != nil {
		t.Fatalf("creating the polls service: %v", err)
	}
	svcServer := httptest.NewServer(svc)
	t.Cleanup(svcServer.Close)

	cfg := proxy.Config{
		ServiceURL:  svcServer.URL + "/",
		ServiceName: "Polls",
		SecretKey:   []byte("browser-tests-secret-key-of-32-bytes"),
		Logger:      logger,
	}
	for _, option := range options {
		option(&cfg)
	}
	p, err := proxy.New(cfg)
	if err != nil {
		t.Fatalf("creating the proxy: %v", err)
	}
	proxyServer := httptest.NewServer(p)
	t.Cleanup(proxyServer.Close)

	return &site{proxy: proxyServer, base: proxyServer.URL + "/plugIt/"}
}
