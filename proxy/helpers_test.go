package proxy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/plugit-go/plugit/service"
)

// testService is a service built with the service library, counting its
// calls.
type testService struct {
	mu      sync.Mutex
	calls   map[string]int
	lastReq *http.Request
	server  *httptest.Server
	// failActions makes action calls fail at the connection level, like
	// a crashed service.
	failActions atomic.Bool
}

func (ts *testService) count(kind string) int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.calls[kind]
}

var testTemplates = fstest.MapFS{
	"home.html":   {Data: []byte(`{% extends "plugIt/base.html" %}{% block title %}Home title{% endblock %}{% block content %}home {{ home }}{% endblock %}`)},
	"echo.html":   {Data: []byte(`{{ echo }}`)},
	"csrf.html":   {Data: []byte(`<form>{% csrf_token %}</form>`)},
	"broken.html": {Data: []byte(`{% if %}`)},
	"menu.html":   {Data: []byte(`{% extends "plugIt/base.html" %}{% block menubar %}<a href="{{ ebuio_baseUrl }}">side-menu</a>{% endblock %}{% block content %}menu_page{% endblock %}`)},
}

func newTestService(t *testing.T) *testService {
	t.Helper()
	ts := &testService{calls: map[string]int{}}
	echo := func(value func(r *service.Request) string) service.Handler {
		return func(r *service.Request) (*service.Response, error) {
			return service.Data(map[string]any{"echo": value(r)}), nil
		}
	}
	actions := []service.Action{
		{Route: "/", Template: "home.html", Handler: func(*service.Request) (*service.Response, error) {
			return service.Data(map[string]any{"home": "123"}), nil
		}},
		{Route: "/only_logged_user", Template: "home.html", OnlyLoggedUser: true, Handler: echo(constant(""))},
		{Route: "/only_member_user", Template: "home.html", OnlyMemberUser: true, Handler: echo(constant(""))},
		{Route: "/only_admin_user", Template: "home.html", OnlyAdminUser: true, Handler: echo(constant(""))},
		{Route: "/networks_outside", Template: "home.html", AddressInNetworks: []string{"255.255.255.255/32"},
			Handler: echo(constant(""))},
		{Route: "/networks_inside", Template: "home.html", AddressInNetworks: []string{"127.0.0.0/8", "::1/128"},
			Handler: echo(constant(""))},
		{Route: "/params", Template: "echo.html", NoTemplate: true, Methods: []string{"GET", "POST"},
			UserInfo: []string{"pk", "username", "ebuio_member"}, Handler: echo(sortedParams)},
		{Route: "/headers", Template: "echo.html", NoTemplate: true, Handler: echo(plugitHeaders)},
		{Route: "/cached", Template: "echo.html", NoTemplate: true, CacheTime: time.Hour,
			CacheByUser: service.ByUser(), Handler: echo(ts.counter("cached"))},
		{Route: "/cached_shared", Template: "echo.html", NoTemplate: true, CacheTime: time.Hour,
			CacheByUser: service.SharedBetweenUsers(), Handler: echo(ts.counter("cached_shared"))},
		{Route: "/cached_short", Template: "echo.html", NoTemplate: true, CacheTime: time.Second,
			CacheByUser: service.SharedBetweenUsers(), Handler: echo(ts.counter("cached_short"))},
		{Route: "/csrf", Template: "csrf.html", NoTemplate: true, CacheTime: time.Hour,
			CacheByUser: service.SharedBetweenUsers(), Handler: echo(constant(""))},
		{Route: "/broken", Template: "broken.html", Handler: echo(constant(""))},
		{Route: "/secret_info", Template: "echo.html", UserInfo: []string{"password"}, Handler: echo(constant(""))},
		{Route: "/slow", Template: "echo.html", Handler: func(r *service.Request) (*service.Response, error) {
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
			return service.Data(nil), nil
		}},
		{Route: "/fail", Template: "echo.html", Handler: func(*service.Request) (*service.Response, error) {
			return nil, io.ErrUnexpectedEOF
		}},
		{Route: "/status/{code:int}", Template: "echo.html", Handler: func(r *service.Request) (*service.Response, error) {
			return service.Status(int(r.IntParam("code"))), nil
		}},
		{Route: "/null", Template: "echo.html", Handler: func(*service.Request) (*service.Response, error) {
			return service.NotFound(), nil
		}},
		{Route: "/redirect", Handler: func(*service.Request) (*service.Response, error) {
			return service.Redirect("/target"), nil
		}},
		{Route: "/redirect_noprefix", Handler: func(*service.Request) (*service.Response, error) {
			return service.RedirectNoPrefix("/elsewhere"), nil
		}},
		{Route: "/file", Handler: func(*service.Request) (*service.Response, error) {
			return service.File(strings.NewReader("file body"), "text/x-test").Attachment("a.txt"), nil
		}},
		{Route: "/set_session", Template: "echo.html", NoTemplate: true, Handler: func(*service.Request) (*service.Response, error) {
			return service.Data(map[string]any{"echo": "set"}).SetSession("color", "blue"), nil
		}},
		{Route: "/get_session", Template: "echo.html", NoTemplate: true, Handler: echo(func(r *service.Request) string {
			v, _ := r.Session("color")
			return v
		})},
		{Route: "/json", JSONOnly: true, Handler: func(*service.Request) (*service.Response, error) {
			return service.Data(map[string]any{"a": 1}), nil
		}},
		{Route: "/upload", Template: "echo.html", NoTemplate: true, Methods: []string{"POST"}, Handler: echo(uploadSummary)},
		{Route: "/menu", Template: "menu.html", Handler: echo(constant(""))},
	}

	svc, err := service.New(actions, service.WithTemplates(testTemplates), service.WithDebug(true),
		service.WithMedia(fstest.MapFS{"style.css": {Data: []byte("body{}")}}))
	if err != nil {
		t.Fatal(err)
	}

	ts.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if kind == "action" && ts.failActions.Load() {
			panic(http.ErrAbortHandler)
		}
		ts.mu.Lock()
		ts.calls[kind]++
		ts.lastReq = r
		ts.mu.Unlock()
		svc.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.server.Close)
	return ts
}

func constant(s string) func(*service.Request) string {
	return func(*service.Request) string { return s }
}

func (ts *testService) counter(name string) func(*service.Request) string {
	return func(*service.Request) string {
		ts.mu.Lock()
		defer ts.mu.Unlock()
		ts.calls["handler:"+name]++
		return name + "-" + strings.Repeat("I", ts.calls["handler:"+name])
	}
}

// testProxy is a proxy in front of a test service, with a browser.
type testProxy struct {
	t       *testing.T
	proxy   *Proxy
	server  *httptest.Server
	client  *http.Client
	logs    *lockedBuffer
	service *testService
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
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

func newTestProxy(t *testing.T, ts *testService, configure func(*Config)) *testProxy {
	t.Helper()
	logs := &lockedBuffer{}
	cfg := Config{
		ServiceURL:  ts.server.URL + "/",
		ServiceName: "Test service",
		Timeout:     2 * time.Second,
		Logger:      slog.New(slog.NewTextHandler(logs, nil)),
	}
	if configure != nil {
		configure(&cfg)
	}

	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return &testProxy{t: t, proxy: p, server: srv, client: newBrowser(), logs: logs, service: ts}
}

// newBrowser returns a client with a cookie jar that does not follow
// redirects.
func newBrowser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (tp *testProxy) request(method, path string, body io.Reader, header http.Header) (*http.Response, string) {
	tp.t.Helper()
	req, err := http.NewRequest(method, tp.server.URL+path, body)
	if err != nil {
		tp.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := tp.client.Do(req)
	if err != nil {
		tp.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func (tp *testProxy) get(path string) (*http.Response, string) {
	tp.t.Helper()
	return tp.request(http.MethodGet, path, nil, nil)
}

// postForm posts a url-encoded form, with the session's CSRF token unless
// the form sets csrfmiddlewaretoken itself.
func (tp *testProxy) postForm(path string, form url.Values) (*http.Response, string) {
	tp.t.Helper()
	if _, ok := form[csrfField]; !ok {
		form.Set(csrfField, tp.csrfToken())
	}
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	return tp.request(http.MethodPost, path, strings.NewReader(form.Encode()), h)
}

// csrfToken returns the browser's CSRF token, opening a page first when
// the browser has no session yet.
func (tp *testProxy) csrfToken() string {
	tp.t.Helper()
	u, _ := url.Parse(tp.server.URL)
	for i := 0; i < 2; i++ {
		for _, c := range tp.client.Jar.Cookies(u) {
			if c.Name == csrfCookie {
				return c.Value
			}
		}
		tp.get("/plugIt/")
	}
	tp.t.Fatal("no CSRF cookie")
	return ""
}

func (tp *testProxy) switchUser(mode string) {
	tp.t.Helper()
	resp, _ := tp.get("/plugIt/ebuio_setUser?mode=" + mode)
	if resp.StatusCode != http.StatusOK {
		tp.t.Fatalf("switching to %s: status %d", mode, resp.StatusCode)
	}
}

// sortedParams lists every query and form key as k=v1,v2, sorted, joined
// by ";".
func sortedParams(r *service.Request) string {
	_ = r.ParseMultipartForm(1 << 20)
	values := url.Values{}
	for k, v := range r.URL.Query() {
		values[k] = append(values[k], v...)
	}
	for k, v := range r.PostForm {
		values[k] = append(values[k], v...)
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+strings.Join(values[k], ","))
	}
	return strings.Join(parts, ";")
}

// plugitHeaders lists the received headers starting with X-Plugit and
// the Cookie header, lowercased and sorted.
func plugitHeaders(r *service.Request) string {
	var parts []string
	for k, v := range r.Header {
		name := strings.ToLower(k)
		if strings.HasPrefix(name, "x-plugit") || name == "cookie" {
			parts = append(parts, name+"="+strings.Join(v, ","))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ";")
}

// uploadSummary returns the size and SHA-256 of the uploaded file f and
// the value of the field note.
func uploadSummary(r *service.Request) string {
	f, _, err := r.FormFile("f")
	if err != nil {
		return "no file: " + err.Error()
	}
	defer f.Close()
	h := sha256.New()
	n, _ := io.Copy(h, f)
	return fmt.Sprintf("%d %x note=%s", n, h.Sum(nil), r.PostFormValue("note"))
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// withTestState returns r's context carrying st, as the proxy's middleware
// sets it.
func withTestState(r *http.Request, st *requestState) context.Context {
	return context.WithValue(r.Context(), stateKey{}, st)
}
