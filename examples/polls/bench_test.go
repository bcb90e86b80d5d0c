package polls_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/plugit-go/plugit/examples/polls"
	"github.com/plugit-go/plugit/proxy"
)

// benchProxy returns a proxy in front of a polls service with ten polls,
// and the session cookie of a browser that has opened a page.
func benchProxy(b *testing.B) (*proxy.Proxy, *http.Cookie) {
	b.Helper()
	store, err := polls.OpenStore(context.Background(), filepath.Join(b.TempDir(), "polls.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	for i := 0; i < 9; i++ {
		_, err := store.CreatePoll(context.Background(), "Poll "+strconv.Itoa(i), "A poll used by the benchmark.",
			"Bench", []string{"Yes", "No", "Maybe"})
		if err != nil {
			b.Fatal(err)
		}
	}

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := polls.New(store)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(svc)
	b.Cleanup(srv.Close)

	p, err := proxy.New(proxy.Config{ServiceURL: srv.URL + "/", Logger: quiet, SecretKey: make([]byte, 32)})
	if err != nil {
		b.Fatal(err)
	}

	rec := httptest.NewRecorder()
	p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/plugIt/", nil))
	if rec.Code != http.StatusOK {
		b.Fatalf("first page: status %d", rec.Code)
	}
	cookies := rec.Result().Cookies()
	return p, cookies[0]
}

func servePage(b *testing.B, p *proxy.Proxy, cookie *http.Cookie, path string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(cookie)
	rec := httptest.NewRecorder()
	p.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: status %d", path, rec.Code)
	}
}

// BenchmarkListPageCacheMiss serves the polls list with a new query string
// each time, so the page cache never hits: meta and template come from
// their caches, the action is called over loopback HTTP and the page is
// rendered and laid out.
func BenchmarkListPageCacheMiss(b *testing.B) {
	p, cookie := benchProxy(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		servePage(b, p, cookie, "/plugIt/?n="+strconv.Itoa(i))
	}
}

// BenchmarkListPageCacheHit serves the polls list from the page cache.
func BenchmarkListPageCacheHit(b *testing.B) {
	p, cookie := benchProxy(b)
	servePage(b, p, cookie, "/plugIt/")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		servePage(b, p, cookie, "/plugIt/")
	}
}
