package platform

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAdminAreaForPlatformAdmins(t *testing.T) {
	h := startHostedPlatform(t)

	carol := h.browser()
	carol.login("carol")
	resp, _ := carol.do(http.MethodGet, "/admin/", nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("non-admin: status %d, want 403", resp.StatusCode)
	}

	root := h.browser()
	root.login("root")
	resp, page := root.do(http.MethodGet, "/admin/", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "alice@example.org") {
		t.Fatalf("admin overview: status %d", resp.StatusCode)
	}

	resp, _ = root.post("/admin/", "/admin/orgas", url.Values{"name": {"RTS"}, "codops": {"chrts"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("creating an organisation: status %d", resp.StatusCode)
	}
	root.post("/admin/", "/admin/orga-members", url.Values{"codops": {"chrts"}, "username": {"carol"}, "owner": {"1"}})
	root.post("/admin/", "/admin/service-members", url.Values{"service": {"polls-b"}, "username": {"carol"}})
	_, page = root.do(http.MethodGet, "/admin/", nil)
	if !strings.Contains(page, "RTS (chrts): carol (owner)") {
		t.Errorf("organisation membership not shown:\n%s", page)
	}
	if code := carol.createPoll("polls-b", "Carol's poll"); code != http.StatusFound {
		t.Errorf("carol after joining polls-b: status %d, want 302", code)
	}

	resp, _ = root.post("/admin/", "/admin/service-members", url.Values{"service": {"nope"}, "username": {"carol"}})
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "failed=1") {
		t.Errorf("unknown service: redirect %q, want a failure message", loc)
	}

	resp, _ = root.do(http.MethodPost, "/admin/orgas", url.Values{"name": {"BBC"}, "codops": {"gbbbc"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("admin POST without CSRF token: status %d, want 403", resp.StatusCode)
	}
}

func TestStatusPageForAdminsOnly(t *testing.T) {
	h := startHostedPlatform(t)
	carol := h.browser()
	carol.login("carol")
	if resp, _ := carol.do(http.MethodGet, "/status", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("non-admin /status: status %d, want 403", resp.StatusCode)
	}
	root := h.browser()
	root.login("root")
	if resp, _ := root.do(http.MethodGet, "/status", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("admin /status: status %d, want 200", resp.StatusCode)
	}
}

func TestPasswordResetWithoutMail(t *testing.T) {
	h := startHostedPlatform(t)
	b := h.browser()
	_, login := b.do(http.MethodGet, "/accounts/login", nil)
	if strings.Contains(login, "Forgot your password") {
		t.Error("the login page offers a password reset on a platform that sends no mail")
	}
	resp, page := b.post("/accounts/reset", "/accounts/reset", url.Values{"email": {"alice@example.org"}})
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, "not available on this platform") {
		t.Errorf("reset without mail: status %d, want 503 with an explanation", resp.StatusCode)
	}
}
