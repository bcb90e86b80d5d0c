package proxy

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestPageRendersInLayout(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	resp, body := tp.get("/plugIt/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200:\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{"home 123", "<title>Home title · PlugIt</title>", "/static/bootstrap/bootstrap.min.css", "Test service"} {
		if !strings.Contains(body, want) {
			t.Errorf("page does not contain %q", want)
		}
	}
}

func TestRootRedirectsToBase(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	resp, _ := tp.get("/")
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/plugIt/" {
		t.Fatalf("GET / = %d %q, want 302 to /plugIt/", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestStaticBootstrapServed(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	resp, body := tp.get("/static/bootstrap/bootstrap.min.css")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Bootstrap") {
		t.Fatalf("bootstrap.min.css: status %d", resp.StatusCode)
	}
}

func TestErrorPages(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		status int
		want   string
	}{
		{"unknown action", "/plugIt/no/such/action", http.StatusNotFound, "Page not found"},
		{"JSON null", "/plugIt/null", http.StatusNotFound, "Page not found"},
		{"status 418 becomes 404", "/plugIt/status/418", http.StatusNotFound, "Page not found"},
		{"action error", "/plugIt/fail", http.StatusInternalServerError, "Server error"},
		{"template syntax error", "/plugIt/broken", http.StatusInternalServerError, "Server error"},
		{"unreleased user_info", "/plugIt/secret_info", http.StatusInternalServerError, "Server error"},
		{"time-out", "/plugIt/slow", http.StatusGatewayTimeout, "The service Test service did not answer in time"},
	}
	tp := newTestProxy(t, newTestService(t), func(c *Config) { c.Timeout = 300 * time.Millisecond })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := tp.get(tt.path)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d:\n%s", resp.StatusCode, tt.status, body)
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("page does not contain %q:\n%s", tt.want, body)
			}
			if !strings.Contains(body, "navbar") {
				t.Error("error page is not in the layout")
			}
		})
	}
}

func TestErrorsLoggedWithServiceAndAction(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	tp.get("/plugIt/broken")
	tp.get("/plugIt/secret_info")
	logs := tp.logs.String()
	for _, want := range []string{`service="Test service"`, "action=/broken", "action=/secret_info", `\"password\"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs do not contain %s:\n%s", want, logs)
		}
	}
}

func TestPassedStatuses(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	for _, code := range []int{304, 401, 403, 404, 429} {
		resp, body := tp.get(fmt.Sprintf("/plugIt/status/%d", code))
		if resp.StatusCode != code {
			t.Errorf("action status %d reached the browser as %d", code, resp.StatusCode)
		}
		if body != "" {
			t.Errorf("action status %d: body %q, want empty", code, body)
		}
	}
}

func TestServiceDownIs502(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	ts := newTestService(t)
	tp := newTestProxy(t, ts, func(c *Config) { c.ServiceURL = "http://" + addr + "/" })
	resp, body := tp.get("/plugIt/")
	if resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d, want 502", resp.StatusCode)
	}
	if !strings.Contains(body, "The service Test service is unavailable") {
		t.Errorf("502 page does not name the service:\n%s", body)
	}
}

func TestMalformedMetaIs502(t *testing.T) {
	bad := &testService{calls: map[string]int{}}
	bad.server = newRawService(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"template_tag": 12, `)
	})
	tp := newTestProxy(t, bad, nil)
	resp, body := tp.get("/plugIt/")
	if resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d, want 502:\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(tp.logs.String(), "invalid meta JSON") {
		t.Errorf("log does not give the cause:\n%s", tp.logs.String())
	}
}

func TestAccessRules(t *testing.T) {
	tests := []struct {
		mode   string
		path   string
		status int
	}{
		{"ano", "/plugIt/only_logged_user", http.StatusForbidden},
		{"log", "/plugIt/only_logged_user", http.StatusOK},
		{"log", "/plugIt/only_member_user", http.StatusForbidden},
		{"mem", "/plugIt/only_member_user", http.StatusOK},
		{"mem", "/plugIt/only_admin_user", http.StatusForbidden},
		{"adm", "/plugIt/only_admin_user", http.StatusOK},
		{"adm", "/plugIt/networks_outside", http.StatusForbidden},
		{"ano", "/plugIt/networks_inside", http.StatusOK},
	}
	tp := newTestProxy(t, newTestService(t), nil)
	for _, tt := range tests {
		t.Run(tt.mode+tt.path, func(t *testing.T) {
			tp.switchUser(tt.mode)
			resp, body := tp.get(tt.path)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			rule := strings.TrimPrefix(tt.path, "/plugIt/")
			if rule == "networks_outside" {
				rule = "address_in_networks"
			}
			if tt.status == http.StatusForbidden && !strings.Contains(body, rule) {
				t.Errorf("403 page does not name the rule %s:\n%s", rule, body)
			}
		})
	}
}

func TestForgedParametersDropped(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	tp.switchUser("mem")

	_, body := tp.get("/plugIt/params?a=1&ebuio_u_pk=99&EBUIO_orgapk=5&a=2")
	want := "a=1,2;ebuio_u_ebuio_member=True;ebuio_u_pk=-2;ebuio_u_username=Member"
	if body != want {
		t.Errorf("GET params = %q, want %q", body, want)
	}

	_, body = tp.postForm("/plugIt/params?q=1", url.Values{"f": {"x", "y"}, "ebuio_u_username": {"Admin"}})
	want = "ebuio_u_ebuio_member=True;ebuio_u_pk=-2;ebuio_u_username=Member;f=x,y;q=1"
	if body != want {
		t.Errorf("POST params = %q, want %q", body, want)
	}
}

func TestAnonymousUserInfoEncoding(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	_, body := tp.get("/plugIt/params")
	want := "ebuio_u_ebuio_member=False;ebuio_u_username="
	if body != want {
		t.Errorf("anonymous params = %q, want %q (pk left out)", body, want)
	}
}

func TestBrowserHeadersNotForwarded(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	h := http.Header{
		"X-Plugit-User-Pk":  {"-3"},
		"X-Plugit-Orga-Pk":  {"7"},
		"X-Plugitsession-A": {"forged"},
		"If-None-Match":     {`"v1"`},
		"Cookie":            {"tracking=1"},
		"X-Forwarded-For":   {"10.1.2.3"},
		"Authorization":     {"Basic eDp5"},
	}
	_, body := tp.request(http.MethodGet, "/plugIt/headers", nil, h)
	// The echo template escapes the quotes, as Django does.
	want := `x-plugit-if-none-match=&quot;v1&quot;;x-plugit-remote-addr=127.0.0.1`
	if body != want {
		t.Errorf("service received %q, want %q", body, want)
	}
}

func TestCSRFRejectedBeforeServiceCall(t *testing.T) {
	ts := newTestService(t)
	tp := newTestProxy(t, ts, nil)
	tp.switchUser("mem")
	before := ts.count("action")

	tests := []struct {
		name  string
		token string
	}{
		{"missing token", ""},
		{"wrong token", "not-the-token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := tp.postForm("/plugIt/params", url.Values{csrfField: {tt.token}})
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403", resp.StatusCode)
			}
			if !strings.Contains(body, "security token") {
				t.Errorf("403 page does not explain the token:\n%s", body)
			}
		})
	}
	for _, method := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
		resp, _ := tp.request(method, "/plugIt/params", strings.NewReader("{}"), http.Header{"Content-Type": {"application/json"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s without token: status %d, want 403", method, resp.StatusCode)
		}
	}
	if got := ts.count("action"); got != before {
		t.Errorf("service got %d action calls for refused requests", got-before)
	}

	resp, _ := tp.request(http.MethodPost, "/plugIt/params", strings.NewReader("{}"),
		http.Header{"Content-Type": {"application/json"}, "X-Csrftoken": {tp.csrfToken()}})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("POST with X-CSRFToken header: status %d, want 200", resp.StatusCode)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	resp, _ := tp.get("/plugIt/")
	var found bool
	for _, c := range resp.Cookies() {
		if c.Name != sessionCookie {
			continue
		}
		found = true
		if !c.HttpOnly {
			t.Error("session cookie is not HttpOnly")
		}
		if c.SameSite != http.SameSiteLaxMode {
			t.Errorf("session cookie SameSite = %v, want Lax", c.SameSite)
		}
	}
	if !found {
		t.Fatal("no session cookie set")
	}
}

func TestForgedSessionCookieIgnored(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	tp.switchUser("adm")
	u, _ := url.Parse(tp.server.URL)
	var id string
	for _, c := range tp.client.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			id, _, _ = strings.Cut(c.Value, ".")
		}
	}

	other := newBrowser()
	other.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: id + ".forged"}})
	resp, err := other.Get(tp.server.URL + "/plugIt/only_admin_user")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a forged signature reached the admin's session: status %d", resp.StatusCode)
	}
}

func TestPageCache(t *testing.T) {
	ts := newTestService(t)
	tp := newTestProxy(t, ts, nil)

	_, first := tp.get("/plugIt/cached")
	_, second := tp.get("/plugIt/cached")
	if first != "cached-I" || second != first {
		t.Errorf("cached page: %q then %q, want cached-I twice", first, second)
	}

	tp.switchUser("log")
	_, other := tp.get("/plugIt/cached")
	if other != "cached-II" {
		t.Errorf("page cached by user served to another user: %q", other)
	}

	_, query := tp.get("/plugIt/cached?page=2")
	if query != "cached-III" {
		t.Errorf("query string not in the cache key: %q", query)
	}

	_, shared := tp.get("/plugIt/cached_shared")
	tp.switchUser("adm")
	_, sharedAgain := tp.get("/plugIt/cached_shared")
	if shared != "cached_shared-I" || sharedAgain != shared {
		t.Errorf("shared cache: %q then %q", shared, sharedAgain)
	}
}

func TestCachedPageHasEachUsersCSRFToken(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	_, first := tp.get("/plugIt/csrf")
	other := newTestProxyBrowser(tp)
	_, second := other.get("/plugIt/csrf")

	if !strings.Contains(first, tp.csrfToken()) {
		t.Errorf("first page lacks its token: %s", first)
	}
	if strings.Contains(second, tp.csrfToken()) {
		t.Error("a cached page gave one user's CSRF token to another")
	}
	if !strings.Contains(second, other.csrfToken()) {
		t.Errorf("second page lacks its own token: %s", second)
	}
}

// newTestProxyBrowser returns the same proxy seen by a second browser.
func newTestProxyBrowser(tp *testProxy) *testProxy {
	other := *tp
	other.client = newBrowser()
	return &other
}

func TestMetaCached(t *testing.T) {
	ts := newTestService(t)
	tp := newTestProxy(t, ts, nil)
	tp.get("/plugIt/")
	tp.get("/plugIt/")
	// The test service sends Expire in the past (debug mode), so meta is
	// fetched every time; templates stay cached by tag.
	if got := ts.count("meta"); got != 2 {
		t.Errorf("meta calls = %d, want 2 with an expired Expire", got)
	}
	if got := ts.count("template"); got != 1 {
		t.Errorf("template calls = %d, want 1", got)
	}
}

func TestRedirects(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	resp, _ := tp.get("/plugIt/redirect")
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/plugIt/target" {
		t.Errorf("redirect = %d %q, want 302 /plugIt/target", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = tp.get("/plugIt/redirect_noprefix")
	if resp.Header.Get("Location") != "/elsewhere" {
		t.Errorf("no-prefix redirect to %q, want /elsewhere", resp.Header.Get("Location"))
	}
}

func TestFileReply(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	resp, body := tp.get("/plugIt/file")
	if body != "file body" || resp.Header.Get("Content-Type") != "text/x-test" {
		t.Errorf("file = %q %q", body, resp.Header.Get("Content-Type"))
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename=a.txt` {
		t.Errorf("Content-Disposition = %q", cd)
	}
}

func TestSessionValues(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	tp.get("/plugIt/set_session")
	_, body := tp.get("/plugIt/get_session")
	if body != "blue" {
		t.Errorf("session value = %q, want blue", body)
	}
	_, headers := tp.get("/plugIt/headers")
	if !strings.Contains(headers, "x-plugitsession-color=blue") || !strings.Contains(headers, "cookie=color=blue") {
		t.Errorf("session value not sent as header and cookie: %q", headers)
	}
}

func TestJSONOnly(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	resp, body := tp.request(http.MethodGet, "/plugIt/json", nil, http.Header{"Accept": {"application/json"}})
	if resp.Header.Get("Content-Type") != "application/json" || strings.TrimSpace(body) != `{"a":1}` {
		t.Errorf("json_only = %q %q", resp.Header.Get("Content-Type"), body)
	}
	resp, _ = tp.get("/plugIt/json")
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Error("json_only sent application/json to a browser that did not accept it")
	}
}

func TestMediaForwarded(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	resp, body := tp.get("/plugIt/media/style.css?user=secret")
	if resp.StatusCode != http.StatusOK || body != "body{}" {
		t.Fatalf("media = %d %q", resp.StatusCode, body)
	}
	if resp.Header.Get("Cache-Control") != "public, max-age=3600" {
		t.Errorf("Cache-Control = %q", resp.Header.Get("Cache-Control"))
	}
	if q := tp.service.lastReq.URL.RawQuery; q != "" {
		t.Errorf("media call carried a query string %q", q)
	}
	for _, path := range []string{"/plugIt/media/missing.css", "/plugIt/media/a/%2e%2e/%2e%2e/etc/passwd"} {
		resp, _ := tp.get(path)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestMenuBlockInSideMenu(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), func(c *Config) { c.MenuBlock = "menubar" })
	_, body := tp.get("/plugIt/menu")
	if !strings.Contains(body, `aria-label="Service menu"><a href="/plugIt/">side-menu</a>`) {
		t.Errorf("side menu missing:\n%s", body)
	}
	if strings.Count(body, "side-menu") != 1 {
		t.Error("menu block rendered in the content too")
	}
}

func TestMultipartUploadStreamed(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	payload := bytes.Repeat([]byte("0123456789"), 300000)

	build := func(tokenFirst bool) (*bytes.Buffer, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		if tokenFirst {
			mw.WriteField(csrfField, tp.csrfToken())
		}
		mw.WriteField("note", "hello")
		mw.WriteField("ebuio_u_pk", "-3")
		fw, _ := mw.CreateFormFile("f", "data.bin")
		fw.Write(payload)
		if !tokenFirst {
			mw.WriteField(csrfField, tp.csrfToken())
		}
		mw.Close()
		return &buf, mw.FormDataContentType()
	}

	body, ct := build(true)
	resp, got := tp.request(http.MethodPost, "/plugIt/upload", body, http.Header{"Content-Type": {ct}})
	want := fmt.Sprintf("%d %x note=hello", len(payload), sha256.Sum256(payload))
	if resp.StatusCode != http.StatusOK || got != want {
		t.Fatalf("upload = %d %q, want %q", resp.StatusCode, got, want)
	}

	body, ct = build(false)
	resp, _ = tp.request(http.MethodPost, "/plugIt/upload", body, http.Header{"Content-Type": {ct}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("token after the file: status %d, want 403", resp.StatusCode)
	}
}

func TestSwitchEndpoints(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), func(c *Config) { c.OrgaMode = true })
	resp, body := tp.get("/plugIt/ebuio_setUser?mode=root")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("invalid mode: status %d, want 400", resp.StatusCode)
	}
	if !strings.Contains(body, "Unknown user mode") || !strings.Contains(body, "root") {
		t.Errorf("invalid mode: page does not name the mode:\n%s", body)
	}
	resp, body = tp.get("/plugIt/ebuio_setUser?mode=adm")
	if resp.StatusCode != http.StatusOK || body != "" {
		t.Errorf("setUser = %d %q, want 200 and an empty body", resp.StatusCode, body)
	}
	resp, body = tp.get("/plugIt/ebuio_setOrga?pk=-3&name=BBC")
	if resp.StatusCode != http.StatusOK || body != "" {
		t.Errorf("setOrga = %d %q, want 200 and an empty body", resp.StatusCode, body)
	}
	_, body = tp.get("/plugIt/params")
	if !strings.Contains(body, "ebuio_orgapk=-3") {
		t.Errorf("organisation not sent: %q", body)
	}
}

func newRawService(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestTemplateErrorDetailOnlyInDebug(t *testing.T) {
	for _, debug := range []bool{false, true} {
		tp := newTestProxy(t, newTestService(t), func(c *Config) { c.Debug = debug })
		resp, body := tp.get("/plugIt/broken")
		if resp.StatusCode != http.StatusInternalServerError {
			t.Fatalf("debug %v: status %d, want 500", debug, resp.StatusCode)
		}
		shown := strings.Contains(body, "line 1")
		if shown != debug {
			t.Errorf("debug %v: template error detail shown = %v:\n%s", debug, shown, body)
		}
	}
}

func TestCSRFHeaderKeepsTheFormBody(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Csrftoken": {tp.csrfToken()}}
	_, body := tp.request(http.MethodPost, "/plugIt/params?q=1", strings.NewReader("a=1&b=2"), h)
	if body != "a=1;b=2;ebuio_u_ebuio_member=False;ebuio_u_username=;q=1" {
		t.Errorf("form sent with the token in the header reached the service as %q", body)
	}
}

func TestDeleteFormTokenAccepted(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	form := url.Values{csrfField: {tp.csrfToken()}, "a": {"1"}}
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	resp, _ := tp.request(http.MethodDelete, "/plugIt/params", strings.NewReader(form.Encode()), h)
	// The action accepts GET and POST only: a 405 from the service, passed
	// as a 404 page, shows that the proxy called it.
	if resp.StatusCode == http.StatusForbidden {
		t.Errorf("DELETE with the token in its form body was rejected as a CSRF failure")
	}
}
