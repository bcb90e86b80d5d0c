package platform

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/plugit-go/plugit/internal/accounts"
	"github.com/plugit-go/plugit/proxy"
)

func TestStandaloneWithRealAccounts(t *testing.T) {
	dir := t.TempDir()
	polls := startPollsService(t, dir)
	cfg := proxy.Config{ServiceURL: polls.URL + "/", ServiceName: "Polls",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	st, err := UseAccounts(context.Background(), &cfg, filepath.Join(dir, "accounts.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })

	svc := accounts.New(st, accounts.Config{})
	for _, name := range []string{"erin", "frank"} {
		u, err := svc.CreateAccount(context.Background(), accounts.NewAccount{
			Username: name, Email: name + "@example.org", Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		if name == "erin" {
			if err := st.PutServiceMember(context.Background(), StandaloneServiceKey, u.PK, false); err != nil {
				t.Fatal(err)
			}
		}
	}

	p, err := proxy.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)

	for name, want := range map[string]int{"erin": http.StatusOK, "frank": http.StatusForbidden} {
		b := &browser{t: t, base: srv.URL, client: newJarClient()}
		b.login(name)
		if resp, _ := b.do(http.MethodGet, "/plugIt/create/", nil); resp.StatusCode != want {
			t.Errorf("%s opening the members-only form: status %d, want %d", name, resp.StatusCode, want)
		}
	}
	b := &browser{t: t, base: srv.URL, client: newJarClient()}
	if resp, _ := b.do(http.MethodGet, "/plugIt/ebuio_setUser?mode=adm", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("simulated user switch with real accounts: status %d, want 404", resp.StatusCode)
	}
}
