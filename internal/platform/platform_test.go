package platform

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/plugit-go/plugit/examples/polls"
	"github.com/plugit-go/plugit/internal/accounts"
	"github.com/plugit-go/plugit/internal/config"
	"github.com/plugit-go/plugit/internal/fixtures"
	"github.com/plugit-go/plugit/internal/store"
)

// hostedPlatform is a hosted proxy with two polls services, the proxy-mode
// fixture service and real accounts.
type hostedPlatform struct {
	t      *testing.T
	pl     *Platform
	server *httptest.Server
	pollsA *httptest.Server
}

func startPollsService(t *testing.T, dir string) *httptest.Server {
	t.Helper()
	st, err := polls.OpenStore(context.Background(), filepath.Join(dir, "polls.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc, err := polls.New(st)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	return srv
}

func startHostedPlatform(t *testing.T) *hostedPlatform {
	t.Helper()
	dir := t.TempDir()
	pollsA := startPollsService(t, filepath.Join(dir, "a"))
	pollsB := startPollsService(t, filepath.Join(dir, "b"))
	fixture := httptest.NewServer(fixtures.NewProxyService())
	t.Cleanup(fixture.Close)

	storePath := filepath.Join(dir, "plugit.db")
	createUsers(t, storePath)

	yaml := `
store: ` + storePath + `
secret_key: ` + strings.Repeat("s", 40) + `
services:
  - key: polls-a
    name: Polls A
    url: ` + pollsA.URL + `/
    timeout: 2s
    members:
      - user: alice
        admin: true
  - key: polls-b
    name: Polls B
    url: ` + pollsB.URL + `/
    members:
      - user: bob
  - key: fixture
    name: Fixture
    mode: proxy
    url: ` + fixture.URL + `/
`
	f, err := config.Parse("plugit.yaml", []byte(yaml), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	pl, err := New(context.Background(), f, Options{Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pl.Close() })
	srv := httptest.NewServer(pl.Proxy)
	t.Cleanup(srv.Close)
	return &hostedPlatform{t: t, pl: pl, server: srv, pollsA: pollsA}
}

// createUsers makes alice, bob, carol and the platform administrator
// root, each with password "correct horse battery".
func createUsers(t *testing.T, path string) {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := accounts.New(st, accounts.Config{})
	for _, name := range []string{"alice", "bob", "carol", "root"} {
		_, err := svc.CreateAccount(context.Background(), accounts.NewAccount{
			Username: name, Email: name + "@example.org", Password: "correct horse battery",
			IsPlatformAdmin: name == "root",
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// browser is a cookie-keeping client of the platform.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
}

func (h *hostedPlatform) browser() *browser {
	return &browser{t: h.t, base: h.server.URL, client: newJarClient()}
}

// newJarClient returns a client with a cookie jar that does not follow
// redirects.
func newJarClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (b *browser) do(method, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

var tokenInput = regexp.MustCompile(`name="csrfmiddlewaretoken" value="([^"]+)"`)

// post sends a form with the CSRF token of the page at formPath.
func (b *browser) post(formPath, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	_, page := b.do(http.MethodGet, formPath, nil)
	m := tokenInput.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s:\n%s", formPath, page)
	}
	form.Set("csrfmiddlewaretoken", m[1])
	return b.do(http.MethodPost, path, form)
}

func (b *browser) login(username string) {
	b.t.Helper()
	resp, body := b.post("/accounts/login", "/accounts/login",
		url.Values{"username": {username}, "password": {"correct horse battery"}})
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("login %s: status %d\n%s", username, resp.StatusCode, body)
	}
}

func (b *browser) createPoll(service, title string) int {
	b.t.Helper()
	resp, _ := b.post("/accounts/login", "/"+service+"/create/",
		url.Values{"title": {title}, "answer": {"Yes", "No"}})
	return resp.StatusCode
}

func TestHostedPlatformMemberships(t *testing.T) {
	h := startHostedPlatform(t)

	alice := h.browser()
	alice.login("alice")
	if code := alice.createPoll("polls-a", "Alice's poll"); code != http.StatusFound {
		t.Errorf("alice creating in polls-a: status %d, want 302", code)
	}
	if code := alice.createPoll("polls-b", "Alice in B"); code != http.StatusForbidden {
		t.Errorf("alice creating in polls-b (not a member): status %d, want 403", code)
	}

	bob := h.browser()
	bob.login("bob")
	if code := bob.createPoll("polls-b", "Bob's poll"); code != http.StatusFound {
		t.Errorf("bob creating in polls-b: status %d, want 302", code)
	}

	carol := h.browser()
	carol.login("carol")
	for _, svc := range []string{"polls-a", "polls-b"} {
		if code := carol.createPoll(svc, "Carol's poll"); code != http.StatusForbidden {
			t.Errorf("carol creating in %s: status %d, want 403", svc, code)
		}
	}

	_, listA := carol.do(http.MethodGet, "/polls-a/", nil)
	_, listB := carol.do(http.MethodGet, "/polls-b/", nil)
	if !strings.Contains(listA, "Alice&#x27;s poll") || strings.Contains(listA, "Bob") {
		t.Errorf("polls-a does not keep its own data:\n%s", listA)
	}
	if !strings.Contains(listB, "Bob&#x27;s poll") || strings.Contains(listB, "Alice") {
		t.Errorf("polls-b does not keep its own data:\n%s", listB)
	}
}

func TestHostedPlatformLogin(t *testing.T) {
	h := startHostedPlatform(t)
	b := h.browser()
	u, _ := url.Parse(h.server.URL)

	_, _ = b.do(http.MethodGet, "/", nil)
	before := sessionCookie(b, u)
	resp, body := b.post("/accounts/login", "/accounts/login",
		url.Values{"username": {"alice"}, "password": {"wrong password!"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "username or password is wrong") {
		t.Errorf("wrong password: status %d", resp.StatusCode)
	}

	b.login("alice")
	if after := sessionCookie(b, u); after == before || after == "" {
		t.Error("the session id did not change at login")
	}
	_, home := b.do(http.MethodGet, "/", nil)
	for _, want := range []string{"Polls A", "Polls B", "Fixture", "alice", "Log out"} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks %q", want)
		}
	}

	resp, _ = b.post("/", "/accounts/logout", url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("logout: status %d", resp.StatusCode)
	}
	_, home = b.do(http.MethodGet, "/", nil)
	if !strings.Contains(home, "Log in") {
		t.Error("still logged in after logout")
	}
}

func sessionCookie(b *browser, u *url.URL) string {
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == "plugit_session" {
			return c.Value
		}
	}
	return ""
}

func TestHostedPlatformStoppedServiceLeavesOthers(t *testing.T) {
	h := startHostedPlatform(t)
	b := h.browser()
	b.login("bob")
	h.pollsA.Close()

	resp, body := b.do(http.MethodGet, "/polls-a/", nil)
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(body, "Polls A") {
		t.Errorf("stopped service: status %d, want 502 naming Polls A", resp.StatusCode)
	}
	resp, _ = b.do(http.MethodGet, "/polls-b/", nil)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("polls-b after polls-a stopped: status %d", resp.StatusCode)
	}
	resp, body = b.do(http.MethodGet, "/fixture/", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "mode=GET") {
		t.Errorf("proxy-mode fixture after polls-a stopped: status %d\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(body, "x-plugit-user-username=bob") {
		t.Errorf("proxy-mode service did not get the user headers:\n%s", body)
	}
}
