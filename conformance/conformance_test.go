package conformance_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/plugit-go/plugit/conformance"
	"github.com/plugit-go/plugit/internal/fixtures"
	"github.com/plugit-go/plugit/proxy"
	"github.com/plugit-go/plugit/service"
)

// proxyTimeout is the time-out of the proxies under test; /slow waits two
// seconds longer.
const proxyTimeout = time.Second

// startFixtureService serves the template-mode fixture service.
func startFixtureService(t testing.TB) *httptest.Server {
	t.Helper()
	svc, err := fixtures.NewTemplateService(service.WithLogger(discardLogger()))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	return srv
}

func discardLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// newProxy returns a standalone Go proxy in front of serviceURL.
func newProxy(t testing.TB, serviceURL string, orgaMode bool) *proxy.Proxy {
	t.Helper()
	p, err := proxy.New(proxy.Config{
		ServiceURL: serviceURL,
		OrgaMode:   orgaMode,
		MenuBlock:  "menubar",
		Timeout:    proxyTimeout,
		SecretKey:  []byte("conformance-test-secret-key-0123456789"),
		Logger:     discardLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// startProxy serves a standalone Go proxy in front of serviceURL and
// returns it as a target.
func startProxy(t *testing.T, serviceURL string, orgaMode bool) *conformance.Target {
	t.Helper()
	srv := httptest.NewServer(newProxy(t, serviceURL, orgaMode))
	t.Cleanup(srv.Close)
	return &conformance.Target{URL: srv.URL + "/plugIt/", OrgaMode: orgaMode,
		ProxyTimeout: proxyTimeout, MenuBlock: "menubar"}
}

// runChecks runs each check as a subtest that fails with the check's
// expected and seen values.
func runChecks(t *testing.T, target *conformance.Target, checks []conformance.Check) {
	t.Helper()
	for _, c := range checks {
		t.Run(c.Rule+"/"+c.Name, func(t *testing.T) {
			res := conformance.Run(context.Background(), target, []conformance.Check{c})[0]
			switch res.Status {
			case conformance.Fail:
				t.Errorf("%s failed\nexpected: %s\nseen:     %s", c.Name, res.Expected, res.Seen)
			case conformance.Skip:
				t.Errorf("%s skipped against the test proxy: %s", c.Name, res.Seen)
			}
		})
	}
}

func TestServiceChecksOnGoFixture(t *testing.T) {
	srv := startFixtureService(t)
	runChecks(t, &conformance.Target{URL: srv.URL + "/"}, conformance.ServiceChecks())
}

func TestProxyChecksStandalone(t *testing.T) {
	srv := startFixtureService(t)
	target := startProxy(t, srv.URL+"/", false)
	runChecks(t, target, conformance.ProxyChecks())
}

func TestProxyChecksOrgaMode(t *testing.T) {
	srv := startFixtureService(t)
	target := startProxy(t, srv.URL+"/", true)
	runChecks(t, target, conformance.ProxyChecks())
}

func TestProxyModeChecks(t *testing.T) {
	svc := httptest.NewServer(fixtures.NewProxyService())
	t.Cleanup(svc.Close)
	for _, orgaMode := range []bool{false, true} {
		t.Run(map[bool]string{false: "standalone", true: "orga mode"}[orgaMode], func(t *testing.T) {
			p, err := proxy.New(proxy.Config{ServiceURL: svc.URL + "/", ProxyMode: true, OrgaMode: orgaMode,
				Timeout: proxyTimeout, Logger: discardLogger()})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(p)
			t.Cleanup(srv.Close)
			runChecks(t, &conformance.Target{URL: srv.URL + "/plugIt/", OrgaMode: orgaMode}, conformance.ProxyModeChecks())
		})
	}
}
