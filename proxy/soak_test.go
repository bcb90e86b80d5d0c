package proxy

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSoakKilledServiceAffectsOnlyItsPages loads two hosted services from
// several clients, kills one of them halfway, and checks that the other
// one answered every request, that the killed one's pages failed with
// the proxy's 502, 503 or 504 pages (never a crash), that its circuit
// opened, and that its cached page kept being served stale. The load is
// bounded: at most 3000 requests in at most 3 seconds.
func TestSoakKilledServiceAffectsOnlyItsPages(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the proxy for 3 seconds; skipped with -short")
	}
	healthy, doomed := newTestService(t), newTestService(t)
	p, err := New(Config{Hosted: true, Timeout: time.Second, Services: []ServiceConfig{
		{Key: "healthy", URL: healthy.server.URL},
		{Key: "doomed", URL: doomed.server.URL},
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, p)
	client := &http.Client{Timeout: 5 * time.Second}
	get := func(path string) int {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get("/doomed/cached_short"); code != http.StatusOK {
		t.Fatalf("warming the cache: status %d", code)
	}

	var killed atomic.Bool
	var mu sync.Mutex
	counts := map[string]map[int]int{"healthy": {}, "doomed-after": {}, "stale": {}}
	record := func(kind string, code int) {
		mu.Lock()
		counts[kind][code]++
		mu.Unlock()
	}

	deadline := time.Now().Add(3 * time.Second)
	var sent atomic.Int64
	var wg sync.WaitGroup
	for worker := 0; worker < 6; worker++ {
		wg.Go(func() {
			for time.Now().Before(deadline) && sent.Add(1) <= 3000 {
				record("healthy", get("/healthy/"))
				if killed.Load() {
					record("doomed-after", get("/doomed/"))
					record("stale", get("/doomed/cached_short"))
				} else {
					get("/doomed/")
				}
			}
		})
	}
	time.Sleep(time.Second)
	doomed.server.CloseClientConnections()
	doomed.server.Close()
	killed.Store(true)
	wg.Wait()

	t.Logf("status counts: %v (%d requests)", counts, sent.Load())
	for code, n := range counts["healthy"] {
		if code != http.StatusOK {
			t.Errorf("healthy service answered %d %d times while the other one died", code, n)
		}
	}
	for code := range counts["doomed-after"] {
		if code != http.StatusBadGateway && code != http.StatusServiceUnavailable && code != http.StatusGatewayTimeout {
			t.Errorf("killed service's page answered %d, want the proxy's 502, 503 or 504 page", code)
		}
	}
	if counts["doomed-after"][http.StatusServiceUnavailable] == 0 {
		t.Error("the killed service's circuit never opened")
	}
	for code := range counts["stale"] {
		if code != http.StatusOK {
			t.Errorf("killed service's cached page answered %d, want the stale page (200)", code)
		}
	}
}
