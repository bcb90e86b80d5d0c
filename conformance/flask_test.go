package conformance_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plugit-go/plugit/conformance"
)

// debianPython is Debian's Python, which python3-flask installs Flask for;
// a python3 found on PATH may be another Python without Flask.
const debianPython = "/usr/bin/python3"

// startFlaskService starts the Flask fixture service of testdata/flask on
// a free loopback port and returns its base URL. It skips the test when
// Debian's Python or Flask is missing, and fails it instead when
// PLUGIT_TEST_FLASK=1 is set.
func startFlaskService(t *testing.T) string {
	t.Helper()
	required := os.Getenv("PLUGIT_TEST_FLASK") == "1"
	missing := func(format string, args ...any) {
		t.Helper()
		if required {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}

	if _, err := os.Stat(debianPython); err != nil {
		missing("Flask interoperability test needs %s (apt-get install python3-flask): %v", debianPython, err)
	}
	if out, err := exec.Command(debianPython, "-c", "import flask").CombinedOutput(); err != nil {
		missing("Flask interoperability test needs Flask for %s (apt-get install python3-flask): %v: %s",
			debianPython, err, strings.TrimSpace(string(out)))
	}

	dir, err := filepath.Abs(filepath.Join("..", "testdata", "flask"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, debianPython, filepath.Join(dir, "service.py"), "--port", "0")
	cmd.Dir = dir
	// Keep the source folder free of __pycache__.
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	cmd.Stderr = &testLogWriter{t: t}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the Flask service: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})

	return readListenURL(t, stdout)
}

// readListenURL reads the "listening on URL" line the Flask service
// prints once it accepts calls.
func readListenURL(t *testing.T, stdout interface{ Read([]byte) (int, error) }) string {
	t.Helper()
	lines := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		if scanner.Scan() {
			lines <- scanner.Text()
		}
		close(lines)
	}()

	select {
	case line, ok := <-lines:
		url, found := strings.CutPrefix(line, "listening on ")
		if !ok || !found {
			t.Fatalf("Flask service did not print its address, it printed %q", line)
		}
		return url
	case <-time.After(30 * time.Second):
		t.Fatal("Flask service did not start within 30 seconds")
	}
	return ""
}

// testLogWriter writes the Flask service's error output to the test log.
type testLogWriter struct {
	t *testing.T
}

func (l *testLogWriter) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func TestServiceChecksOnFlaskService(t *testing.T) {
	runChecks(t, &conformance.Target{URL: startFlaskService(t)}, conformance.ServiceChecks())
}

func TestProxyChecksOnFlaskService(t *testing.T) {
	serviceURL := startFlaskService(t)
	for _, orgaMode := range []bool{false, true} {
		name := "standalone"
		if orgaMode {
			name = "orga mode"
		}
		t.Run(name, func(t *testing.T) {
			target := startProxy(t, serviceURL, orgaMode)
			runChecks(t, target, conformance.ProxyChecks())
		})
	}
}
