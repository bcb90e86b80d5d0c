package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/fixtures"
	"github.com/plugit-go/plugit/proxy"
)

func startFixtureForCLI(t *testing.T) *httptest.Server {
	t.Helper()
	svc, err := fixtures.NewTemplateService()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	return srv
}

func runPlugit(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Main(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestConformanceServicePasses(t *testing.T) {
	srv := startFixtureForCLI(t)
	code, stdout, stderr := runPlugit("conformance", "service", srv.URL+"/")
	if code != 0 {
		t.Fatalf("exit status %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !regexp.MustCompile(`(?m)^\d+ passed, 0 failed, 0 skipped$`).MatchString(stdout) {
		t.Errorf("no summary line with 0 failed:\n%s", stdout)
	}
}

func TestConformanceServiceFailsOnOtherService(t *testing.T) {
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	code, stdout, _ := runPlugit("conformance", "service", other.URL+"/")
	if code != 1 {
		t.Fatalf("exit status %d, want 1", code)
	}
	if !strings.Contains(stdout, "FAIL") {
		t.Errorf("table shows no FAIL:\n%s", stdout)
	}
}

func TestConformanceProxyPasses(t *testing.T) {
	srv := startFixtureForCLI(t)
	p, err := proxy.New(proxy.Config{ServiceURL: srv.URL + "/", Timeout: time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(p)
	defer front.Close()

	code, stdout, stderr := runPlugit("conformance", "proxy", front.URL+"/plugIt/", "--timeout", "1s")
	if code != 0 {
		t.Fatalf("exit status %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "slow service is 504") || strings.Contains(stdout, "SKIP") {
		t.Errorf("the time-out check did not run:\n%s", stdout)
	}
}

func TestCheckCommand(t *testing.T) {
	srv := startFixtureForCLI(t)
	code, stdout, stderr := runPlugit("check", srv.URL+"/", "--action", "/", "--action", "/show/1",
		"--media", "testfile1")
	if code != 0 {
		t.Fatalf("exit status %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"ping round trip", "meta/show/1", "template/show/1", "media/testfile1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}

	code, stdout, _ = runPlugit("check", srv.URL+"/", "--action", "/user_info")
	if code != 1 || !strings.Contains(stdout, `user_info requests "1"`) {
		t.Errorf("check of an action asking for unreleased properties: exit status %d, output:\n%s", code, stdout)
	}
}

func TestConformanceUsageErrors(t *testing.T) {
	tests := [][]string{
		{"conformance"},
		{"conformance", "nothing"},
		{"conformance", "service"},
		{"conformance", "proxy", "--orga-mode"},
		{"conformance", "service", "ftp://example.org/"},
		{"check"},
		{"check", "http://127.0.0.1:1/", "extra"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, _, stderr := runPlugit(args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2; stderr:\n%s", code, stderr)
			}
		})
	}
}

// fixtureLog is a buffer that the server's logger and the test share.
type fixtureLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *fixtureLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *fixtureLog) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestConformanceFixturesServes(t *testing.T) {
	for _, mode := range []struct {
		args []string
		path string
		want string
	}{
		{nil, "version", `"protocol":"EBUio-PlugIt"`},
		{[]string{"--proxy-mode"}, "no_template", fixtures.NoTemplateText},
	} {
		t.Run(mode.path, func(t *testing.T) {
			logs := &fixtureLog{}
			env := &environment{stdout: io.Discard, stderr: logs, logger: slog.New(slog.NewTextHandler(logs, nil))}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				done <- runFixtures(ctx, env, append([]string{"--listen", "127.0.0.1:0"}, mode.args...))
			}()

			url := waitForURL(t, logs)
			resp, err := http.Get(url + mode.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(body), mode.want) {
				t.Errorf("GET %s = %q, want it to contain %q", mode.path, body, mode.want)
			}

			cancel()
			if err := <-done; err != nil {
				t.Errorf("fixtures command returned %v after stop", err)
			}
		})
	}
}

// waitForURL returns the URL the fixture command logs once it listens.
func waitForURL(t *testing.T, logs *fixtureLog) string {
	t.Helper()
	started := regexp.MustCompile(`url=(http://\S+/)`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := started.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("fixture service did not log its URL:\n%s", logs.String())
	return ""
}
