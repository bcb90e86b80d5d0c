package cli

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/plugit-go/plugit/internal/scaffold"
	"github.com/plugit-go/plugit/service"
)

// lockedBuffer is an io.Writer safe for the logger and a service's output
// copier to write at once.
type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// devRun is a plugit dev command running in the test's process.
type devRun struct {
	url    string
	logs   *lockedBuffer
	cancel context.CancelFunc
	done   chan error
}

// startDev runs plugit dev with args plus a free proxy port, and waits
// for the URL it prints. buildWait bounds how long that may take.
func startDev(t *testing.T, buildWait time.Duration, args ...string) *devRun {
	t.Helper()
	stdoutReader, stdoutWriter := io.Pipe()
	logs := &lockedBuffer{}
	env := &environment{stdout: stdoutWriter, stderr: logs, logger: slog.New(slog.NewTextHandler(logs, nil))}

	ctx, cancel := context.WithCancel(context.Background())
	run := &devRun{logs: logs, cancel: cancel, done: make(chan error, 1)}
	go func() {
		run.done <- runDev(ctx, env, append(args, "--listen", "127.0.0.1:0"))
		stdoutWriter.Close()
	}()
	t.Cleanup(func() { run.stop(t) })

	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdoutReader)
		for scanner.Scan() {
			if u, ok := strings.CutPrefix(scanner.Text(), "PlugIt dev: open "); ok {
				found <- u
			}
		}
	}()

	select {
	case run.url = <-found:
	case err := <-run.done:
		t.Fatalf("plugit dev stopped before printing its URL: %v\nlogs:\n%s", err, logs)
	case <-time.After(buildWait):
		t.Fatalf("plugit dev printed no URL within %s; logs:\n%s", buildWait, logs)
	}
	return run
}

// stop cancels the command, as Ctrl-C does, and returns its error.
func (d *devRun) stop(t *testing.T) error {
	t.Helper()
	d.cancel()
	select {
	case err := <-d.done:
		d.done <- err
		return err
	case <-time.After(devStopTimeout + shutdownTimeout):
		t.Fatalf("plugit dev did not stop; logs:\n%s", d.logs)
		return nil
	}
}

func getPage(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

func replaceInFile(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s lacks %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls done every 200 ms until it returns true, and fails the
// test after 3 minutes, a bound for building the service on a slow
// machine.
func waitFor(t *testing.T, dev *devRun, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after 3 minutes; logs:\n%s", what, dev.logs)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

var serviceURLPattern = regexp.MustCompile(`msg="service process started" url=(\S+)`)

func TestDevReloadsTemplateAndRebuildsCode(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: builds and runs a generated service")
	}
	dir := filepath.Join(t.TempDir(), "hello")
	if _, err := scaffold.Create(scaffold.Options{Name: "hello", Dir: dir, PlugitSource: repoRoot(t)}); err != nil {
		t.Fatal(err)
	}
	if err := goModTidy(context.Background(), dir, io.Discard); err != nil {
		t.Fatal(err)
	}

	dev := startDev(t, 3*time.Minute, "--service-dir", dir)
	if status, body := getPage(t, dev.url); status != http.StatusOK || !strings.Contains(body, "Hello, anonymous visitor.") {
		t.Fatalf("first page: status %d, body:\n%s", status, body)
	}

	replaceInFile(t, filepath.Join(dir, "templates", "home.html"), "Hello, anonymous visitor.", "Welcome, anonymous visitor.")
	if _, body := getPage(t, dev.url); !strings.Contains(body, "Welcome, anonymous visitor.") {
		t.Errorf("the edited template does not show on the next page load; body:\n%s", body)
	}

	mainGo := filepath.Join(dir, "main.go")
	replaceInFile(t, mainGo, "func main() {", "func broken() { undefinedFunction() }\n\nfunc main() {")
	waitFor(t, dev, "a failed build", func() bool {
		return strings.Contains(dev.logs.String(), "build failed: the previous service keeps running")
	})
	if !strings.Contains(dev.logs.String(), "undefinedFunction") {
		t.Errorf("the logs lack the compiler's output:\n%s", dev.logs)
	}
	if status, body := getPage(t, dev.url); status != http.StatusOK || !strings.Contains(body, "Welcome, anonymous visitor.") {
		t.Errorf("after a failed build the previous service does not serve the page: status %d, body:\n%s", status, body)
	}

	replaceInFile(t, mainGo, "func broken() { undefinedFunction() }\n\n", "")
	replaceInFile(t, mainGo, `"username": username}`, `"username": username + "rebuilt"}`)
	waitFor(t, dev, "the rebuilt service's page", func() bool {
		_, body := getPage(t, dev.url)
		return strings.Contains(body, "Hello rebuilt,")
	})

	if err := dev.stop(t); err != nil {
		t.Errorf("plugit dev returned %v after Ctrl-C", err)
	}
	// Every start of the service uses the same address.
	match := serviceURLPattern.FindStringSubmatch(dev.logs.String())
	if match == nil {
		t.Fatalf("the logs do not give the service's URL:\n%s", dev.logs)
	}
	if _, err := http.Get(match[1] + "ping"); err == nil {
		t.Errorf("the service at %s still answers after plugit dev stopped", match[1])
	}
}

func TestDevProxiesRunningService(t *testing.T) {
	templates := fstest.MapFS{"home.html": {Data: []byte(`{% extends "plugIt/base.html" %}{% block content %}<p>{{ greeting }}</p>{% endblock %}`)}}
	svc, err := service.New([]service.Action{{
		Route:    "/",
		Template: "home.html",
		Handler: func(*service.Request) (*service.Response, error) {
			return service.Data(map[string]any{"greeting": "Hi from a running service"}), nil
		},
	}}, service.WithTemplates(templates), service.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	backend := httptest.NewServer(svc)
	defer backend.Close()

	dev := startDev(t, 30*time.Second, "--service", backend.URL+"/", "--service-name", "Greeter")
	status, body := getPage(t, dev.url)
	if status != http.StatusOK {
		t.Errorf("status %d, want 200; body:\n%s", status, body)
	}
	if !strings.Contains(body, "<p>Hi from a running service</p>") {
		t.Errorf("page lacks the service's content; body:\n%s", body)
	}
	if !strings.Contains(body, "Greeter") {
		t.Errorf("layout lacks the service name given by --service-name; body:\n%s", body)
	}
	if err := dev.stop(t); err != nil {
		t.Errorf("plugit dev returned %v after Ctrl-C", err)
	}
}

func TestDevRejectsBadCommandLines(t *testing.T) {
	noModule := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no service", []string{"dev"}, "give the service"},
		{"both services", []string{"dev", "--service-dir", ".", "--service", "http://127.0.0.1:5000/"}, "not both"},
		{"folder without go.mod", []string{"dev", "--service-dir", noModule}, "has no go.mod file"},
		{"invalid service URL", []string{"dev", "--service", "ftp://x/"}, "absolute http or https URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runMain(tt.args...)
			if code == 0 {
				t.Errorf("exit status 0, want an error")
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
		})
	}
}

func TestWaitForPingStopsWhenServiceExits(t *testing.T) {
	exited := make(chan struct{})
	close(exited)
	err := waitForPing(context.Background(), "http://127.0.0.1:1/", exited)
	if err == nil || !strings.Contains(err.Error(), "exited before responding to ping") {
		t.Errorf("waitForPing = %v, want the exit error", err)
	}
}

func TestWaitForPingChecksToken(t *testing.T) {
	wrong := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"data": "not the token"}`)
	}))
	defer wrong.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	err := waitForPing(ctx, wrong.URL+"/", nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waitForPing = %v, want it to keep waiting for the right token", err)
	}
}
