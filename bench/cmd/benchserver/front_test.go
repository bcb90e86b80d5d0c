package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// startFront runs a backend and a front with hosted services (0 for
// standalone) and returns the front's ready variables.
func startFront(t *testing.T, hosted int) map[string]string {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := newBackend(samplePolls(20), logger)
	if err != nil {
		t.Fatal(err)
	}
	backend := httptest.NewServer(svc)
	t.Cleanup(backend.Close)

	p, paths, err := newPlugit(frontConfig{backend: backend.URL, hosted: hosted})
	if err != nil {
		t.Fatal(err)
	}
	plain := &plainPage{}
	servers, err := listenAll(logger, map[string]http.Handler{
		"PlugIt proxy": p, "reverse proxy": newReverseProxy(mustParse(t, backend.URL), logger),
		"plain handler": plain, "pprof": debugHandler(),
	})
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveAll(ctx, logger, servers...) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})

	vars, err := prepareFront(ctx, servers, paths, plain)
	if err != nil {
		t.Fatalf("prepareFront: %v", err)
	}
	values := map[string]string{"BACKEND_URL": backend.URL}
	for _, v := range vars {
		values[v[0]] = v[1]
	}
	return values
}

func get(t *testing.T, url, cookie string) []byte {
	t.Helper()
	_, body, err := fetch(context.Background(), &http.Client{Timeout: 10 * time.Second}, url, cookie)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestPlainHandlerServesProxyPage(t *testing.T) {
	front := startFront(t, 0)
	page := get(t, front["PROXY_URL"]+"/plugIt/cached/", front["COOKIE"])
	plain := get(t, front["PLAIN_URL"]+"/", "")

	if !bytes.Equal(page, plain) {
		t.Errorf("plain handler sent %d bytes that differ from the proxy's %d", len(plain), len(page))
	}
	if got := bytes.Count(page, []byte(`href="/plugIt/show/`)); got != 20 {
		t.Errorf("page lists %d polls, want 20", got)
	}
	if !bytes.Contains(page, []byte(front["CSRF_TOKEN"])) {
		t.Error("page does not contain the session's CSRF token")
	}
}

func TestMissPageMatchesHitPage(t *testing.T) {
	front := startFront(t, 0)
	miss := get(t, front["PROXY_URL"]+"/plugIt/", front["COOKIE"])
	hit := get(t, front["PROXY_URL"]+"/plugIt/cached/", front["COOKIE"])

	if !bytes.Equal(miss, hit) {
		t.Errorf("cache-miss page (%d bytes) differs from cache-hit page (%d bytes)", len(miss), len(hit))
	}
}

func TestReverseProxyServesAction(t *testing.T) {
	front := startFront(t, 0)
	viaProxy := get(t, front["REVERSE_URL"]+"/action/", "")
	direct := get(t, front["BACKEND_URL"]+"/action/", "")

	if !bytes.Equal(viaProxy, direct) {
		t.Errorf("reverse proxy sent %q, the backend %q", viaProxy, direct)
	}
	var data struct {
		Polls []map[string]any `json:"polls"`
	}
	if err := json.Unmarshal(direct, &data); err != nil {
		t.Fatalf("action JSON: %v", err)
	}
	if len(data.Polls) != 20 {
		t.Errorf("action returned %d polls, want 20", len(data.Polls))
	}
}

func TestHostedPaths(t *testing.T) {
	front := startFront(t, 3)
	if got, want := front["MISS_PATHS"], "/svc000/ /svc001/ /svc002/"; got != want {
		t.Errorf("MISS_PATHS = %q, want %q", got, want)
	}
	if got, want := front["HIT_PATHS"], "/svc000/cached/ /svc001/cached/ /svc002/cached/"; got != want {
		t.Errorf("HIT_PATHS = %q, want %q", got, want)
	}
	page := get(t, front["PROXY_URL"]+"/svc002/cached/", front["COOKIE"])
	if !bytes.Contains(page, []byte(`href="/svc002/show/1"`)) {
		t.Error("hosted page does not link to its own service")
	}
}

func TestUploadHashedThroughProxy(t *testing.T) {
	front := startFront(t, 0)
	file := bytes.Repeat([]byte("0123456789abcdef"), 100000)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("title", "test")
	part, _ := mw.CreateFormFile("file", "data.bin")
	_, _ = part.Write(file)
	_ = mw.Close()

	req, _ := http.NewRequest(http.MethodPost, front["PROXY_URL"]+"/plugIt/upload/", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Cookie", front["COOKIE"])
	req.Header.Set("X-CSRFToken", front["CSRF_TOKEN"])
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()

	reply, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, reply)
	}
	sum := sha256.Sum256(file)
	want := `"sha256":"` + hex.EncodeToString(sum[:]) + `"`
	if !strings.Contains(string(reply), want) {
		t.Errorf("reply %s does not contain %s", reply, want)
	}
	if !strings.Contains(string(reply), `"bytes":1600000`) {
		t.Errorf("reply %s does not count 1600000 bytes", reply)
	}
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
