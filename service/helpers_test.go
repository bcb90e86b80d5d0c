package service

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// newTestService builds a service and stops the test when New fails.
func newTestService(t *testing.T, actions []Action, opts ...Option) *Service {
	t.Helper()

	svc, err := New(actions, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return svc
}

// serve sends one request to h and returns the recorded reply.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// get sends a GET request for target to h.
func get(h http.Handler, target string) *httptest.ResponseRecorder {
	return serve(h, httptest.NewRequest(http.MethodGet, target, nil))
}

// postForm sends a POST request with a URL-encoded form body to h.
func postForm(h http.Handler, target, form string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return serve(h, r)
}

// decodeObject decodes a JSON object body and stops the test when the
// body is not one.
func decodeObject(t *testing.T, body string) map[string]any {
	t.Helper()

	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", body, err)
	}
	if m == nil {
		t.Fatalf("body %q is JSON null, expected an object", body)
	}
	return m
}

// dataHandler returns a handler that replies with data.
func dataHandler(data map[string]any) Handler {
	return func(*Request) (*Response, error) { return Data(data), nil }
}

// okHandler replies with {"ok": true}.
func okHandler(*Request) (*Response, error) {
	return Data(map[string]any{"ok": true}), nil
}

// discardLogger returns a logger that drops every record, for tests that
// provoke logged errors on purpose.
func discardLogger() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}

// logBuffer collects log output. A server goroutine and the test may use
// it at the same time.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newLogBuffer returns a buffer and a logger that writes text records to it.
func newLogBuffer() (*logBuffer, *slog.Logger) {
	b := &logBuffer{}
	return b, slog.New(slog.NewTextHandler(b, nil))
}

// readAll reads and closes an HTTP response body.
func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()

	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading response body: %v", err)
	}
	return string(body)
}
