// Package soak holds the proxy's soak test: a bounded load of pages,
// votes and uploads on three hosted services while one of them is killed
// and restarted.
package soak

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plugit-go/plugit/examples/polls"
	"github.com/plugit-go/plugit/internal/fixtures"
	"github.com/plugit-go/plugit/proxy"
)

// soakDuration is the length of the load: PLUGIT_SOAK_DURATION, or 20 s.
func soakDuration(t *testing.T) time.Duration {
	if v := os.Getenv("PLUGIT_SOAK_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			t.Fatalf("PLUGIT_SOAK_DURATION=%q is not a positive duration such as 3m", v)
		}
		return d
	}
	return 20 * time.Second
}

// restartable is a polls service on a fixed loopback address that can be
// stopped and started again with the same data.
type restartable struct {
	t      *testing.T
	addr   string
	store  *polls.Store
	mu     sync.Mutex
	server *http.Server
}

func startPolls(t *testing.T, dir string) *restartable {
	t.Helper()
	st, err := polls.OpenStore(context.Background(), filepath.Join(dir, "polls.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &restartable{t: t, addr: ln.Addr().String(), store: st}
	r.serve(ln)
	t.Cleanup(r.stop)
	return r
}

func (r *restartable) serve(ln net.Listener) {
	svc, err := polls.New(r.store, slogOption())
	if err != nil {
		r.t.Fatal(err)
	}
	srv := &http.Server{Handler: svc}
	r.mu.Lock()
	r.server = srv
	r.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

func (r *restartable) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.server != nil {
		_ = r.server.Close()
		r.server = nil
	}
}

func (r *restartable) restart() {
	ln, err := net.Listen("tcp", r.addr)
	if err != nil {
		r.t.Errorf("restarting the service on %s: %v", r.addr, err)
		return
	}
	r.serve(ln)
}

// TestSoakWithServiceRestart loads three hosted services with pages,
// votes and uploads from several browsers, kills the service "beta" at a
// third of the run and restarts it at two thirds. The proxy must not
// crash, the other services must answer every request, beta's pages may
// only fail with the proxy's 502, 503 or 504 pages, every vote the proxy
// confirmed must be in beta's or alpha's database, and goroutines and
// memory must come back down after the load.
func TestSoakWithServiceRestart(t *testing.T) {
	duration := soakDuration(t)
	dir := t.TempDir()
	alpha := startPolls(t, filepath.Join(dir, "alpha"))
	beta := startPolls(t, filepath.Join(dir, "beta"))
	files, err := fixtures.NewTemplateService(slogOption())
	if err != nil {
		t.Fatal(err)
	}
	filesServer := httptest.NewServer(files)
	t.Cleanup(filesServer.Close)

	p, err := proxy.New(proxy.Config{
		Hosted: true, Timeout: 2 * time.Second, SecretKey: make([]byte, 32),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Services: []proxy.ServiceConfig{
			{Key: "alpha", URL: "http://" + alpha.addr + "/"},
			{Key: "beta", URL: "http://" + beta.addr + "/"},
			{Key: "files", URL: filesServer.URL + "/"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(p)
	t.Cleanup(front.Close)

	goroutinesBefore, heapBefore := settle()
	tl := newTally()
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	seed := uint64(1)
	for _, svc := range []string{"alpha", "beta"} {
		for _, mode := range []string{"log", "mem", "adm"} {
			w := newWorker(front.URL, svc, mode, tl, seed)
			seed++
			wg.Go(func() { w.run(deadline) })
		}
	}
	time.Sleep(duration / 3)
	beta.stop()
	time.Sleep(duration / 3)
	beta.restart()
	wg.Wait()

	t.Logf("statuses per service: %v", tl.statuses)
	checkStatuses(t, tl)
	checkVotes(t, tl, map[string]*polls.Store{"alpha": alpha.store, "beta": beta.store})
	for _, f := range tl.failures {
		t.Error(f)
	}

	front.CloseClientConnections()
	goroutinesAfter, heapAfter := settle()
	t.Logf("goroutines %d → %d, heap %d → %d KiB", goroutinesBefore, goroutinesAfter, heapBefore>>10, heapAfter>>10)
	// Idle keep-alive connections to the services keep two goroutines each
	// until their 90 s idle time-out, so a few dozen may remain.
	if goroutinesAfter > goroutinesBefore+40 {
		t.Errorf("goroutines grew from %d to %d after the load", goroutinesBefore, goroutinesAfter)
	}
	if heapAfter > heapBefore+64<<20 {
		t.Errorf("heap grew from %d to %d MiB after the load", heapBefore>>20, heapAfter>>20)
	}
}

func checkStatuses(t *testing.T, tl *tally) {
	t.Helper()
	for svc, statuses := range tl.statuses {
		for status, n := range statuses {
			ok := status == http.StatusOK || status == http.StatusFound
			if svc == "beta" {
				ok = ok || status == http.StatusBadGateway || status == http.StatusServiceUnavailable ||
					status == http.StatusGatewayTimeout
			}
			if !ok {
				t.Errorf("service %s answered %d %d times", svc, status, n)
			}
		}
	}
	if tl.statuses["beta"][http.StatusBadGateway]+tl.statuses["beta"][http.StatusServiceUnavailable] == 0 {
		t.Error("beta never failed while it was down: the kill did not happen")
	}
}

// checkVotes compares the last vote the proxy confirmed for each user
// with the one in the service's database.
func checkVotes(t *testing.T, tl *tally, stores map[string]*polls.Store) {
	t.Helper()
	pks := map[string]int64{"log": -1, "mem": -2, "adm": -3}
	for key, answer := range tl.votes {
		svc, mode, _ := strings.Cut(key, "/")
		got, err := stores[svc].UserVote(context.Background(), 1, pks[mode])
		if err != nil {
			t.Fatal(err)
		}
		if strconv.FormatInt(got, 10) != answer {
			t.Errorf("%s: the last confirmed vote was answer %s, the database has %d", key, answer, got)
		}
	}
}

// settle waits for idle goroutines to end and returns the goroutine count
// and the heap in use after a garbage collection.
func settle() (int, uint64) {
	time.Sleep(500 * time.Millisecond)
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), m.HeapInuse
}
