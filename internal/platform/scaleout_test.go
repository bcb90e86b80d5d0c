package platform

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/plugit-go/plugit/examples/polls"
	"github.com/plugit-go/plugit/internal/accounts"
	"github.com/plugit-go/plugit/internal/config"
	"github.com/plugit-go/plugit/internal/store"
)

// postgresSchema creates an empty schema for one test and returns the
// DSN that uses it; the schema is dropped when the test ends.
func postgresSchema(t *testing.T) string {
	t.Helper()
	base := os.Getenv("PLUGIT_TEST_POSTGRES")
	if base == "" {
		t.Skip("PLUGIT_TEST_POSTGRES is not set, so this PostgreSQL test is skipped; set it to a database URL " +
			"such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	schema := "plugit_scaleout_" + hex.EncodeToString(suffix)

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), base)
		if err == nil {
			_, _ = conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			conn.Close(context.Background())
		}
	})

	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// TestTwoProxiesShareLoginsAndPages runs two proxies on one PostgreSQL
// store and one Redis: a login through one works through the other, and
// a page cached by one is served by the other.
func TestTwoProxiesShareLoginsAndPages(t *testing.T) {
	redisURL := os.Getenv("PLUGIT_TEST_REDIS")
	if redisURL == "" {
		t.Skip("PLUGIT_TEST_REDIS is not set, so this Redis test is skipped; set it to a Redis URL " +
			"such as redis://127.0.0.1:6379/0")
	}
	dsn := postgresSchema(t)

	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	_, err = accounts.New(st, accounts.Config{}).CreateAccount(context.Background(), accounts.NewAccount{
		Username: "dana", Email: "dana@example.org", Password: "correct horse battery",
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	pollsStore, err := polls.OpenStore(context.Background(), filepath.Join(t.TempDir(), "polls.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pollsStore.Close() })
	svc, err := polls.New(pollsStore)
	if err != nil {
		t.Fatal(err)
	}
	var actionCalls atomic.Int64
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/action/") {
			actionCalls.Add(1)
		}
		svc.ServeHTTP(w, r)
	}))
	t.Cleanup(backend.Close)

	yaml := "store: " + dsn + "\nredis_url: " + redisURL + "\nsecret_key: " + strings.Repeat("k", 40) +
		"\nservices:\n  - key: polls\n    url: " + backend.URL + "/\n    members:\n      - user: dana\n"
	first, second := startProxy(t, yaml), startProxy(t, yaml)

	b := &browser{t: t, base: first.URL, client: newJarClient()}
	b.login("dana")

	// The same browser continues on the second proxy with its cookies.
	firstURL, _ := url.Parse(first.URL)
	secondURL, _ := url.Parse(second.URL)
	b.client.Jar.SetCookies(secondURL, b.client.Jar.Cookies(firstURL))
	b.base = second.URL
	resp, body := b.do(http.MethodGet, "/polls/create/", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "dana") {
		t.Fatalf("login through the first proxy not seen by the second: status %d", resp.StatusCode)
	}

	b.base = first.URL
	b.do(http.MethodGet, "/polls/", nil)
	before := actionCalls.Load()
	b.base = second.URL
	resp, body = b.do(http.MethodGet, "/polls/", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Which PlugIt feature") {
		t.Fatalf("second proxy's list page: status %d", resp.StatusCode)
	}
	if got := actionCalls.Load(); got != before {
		t.Errorf("the second proxy called the service again (%d calls) instead of using the shared cache", got-before)
	}
}

func startProxy(t *testing.T, yaml string) *httptest.Server {
	t.Helper()
	f, err := config.Parse("plugit.yaml", []byte(yaml), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	pl, err := New(context.Background(), f, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pl.Close() })
	srv := httptest.NewServer(pl.Proxy)
	t.Cleanup(srv.Close)
	return srv
}
