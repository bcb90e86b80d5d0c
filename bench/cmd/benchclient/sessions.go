package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// sessionsConfig is the command line of the sessions command.
type sessionsConfig struct {
	url         string
	freeURL     string
	pid         int
	count       int
	concurrency int
	timeout     time.Duration
}

func parseSessionsFlags(args []string) (sessionsConfig, error) {
	var cfg sessionsConfig
	flags := flag.NewFlagSet("sessions", flag.ContinueOnError)
	flags.StringVar(&cfg.url, "url", "", "page requested without a cookie, on 127.0.0.1 (required)")
	flags.StringVar(&cfg.freeURL, "free", "", "URL of the proxy process's /debug/free, to also measure after a collection")
	flags.IntVar(&cfg.pid, "pid", 0, "process id of the proxy (required)")
	flags.IntVar(&cfg.count, "count", 100000, "sessions to create, one request each")
	flags.IntVar(&cfg.concurrency, "concurrency", 32, "requests in flight")
	flags.DurationVar(&cfg.timeout, "timeout", 5*time.Minute, "bound on the whole command")
	if err := flags.Parse(args); err != nil {
		return cfg, err
	}

	if cfg.count <= 0 || cfg.concurrency <= 0 {
		return cfg, fmt.Errorf("benchclient: sessions: -count %d and -concurrency %d must be positive", cfg.count, cfg.concurrency)
	}
	return cfg, checkPID(cfg.pid)
}

// runSessions sends count requests without a cookie, so that the proxy
// starts and stores a session for each, and reports its resident size
// before and after.
func runSessions(ctx context.Context, args []string) error {
	cfg, err := parseSessionsFlags(args)
	if err != nil {
		return err
	}
	if _, err := checkLoopback(cfg.url); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	before, err := takeSnapshot(ctx, cfg.pid, cfg.freeURL)
	if err != nil {
		return err
	}

	start := time.Now()
	if err := createSessions(ctx, cfg); err != nil {
		return err
	}
	elapsed := time.Since(start)

	loaded, err := takeSnapshot(ctx, cfg.pid, "")
	if err != nil {
		return err
	}
	collected, err := takeSnapshot(ctx, cfg.pid, cfg.freeURL)
	if err != nil {
		return err
	}

	n := int64(cfg.count)
	printResult("sessions",
		"sessions="+strconv.Itoa(cfg.count), "seconds="+strconv.FormatFloat(elapsed.Seconds(), 'f', 1, 64),
		"rss_before_mib="+mib(before.mem.RSS), "rss_after_mib="+mib(loaded.mem.RSS),
		"rss_after_gc_mib="+mib(collected.mem.RSS),
		"rss_per_session_after_gc_bytes="+strconv.FormatInt((collected.mem.RSS-before.mem.RSS)/n, 10),
		"heap_per_session_bytes="+strconv.FormatInt((collected.heap.HeapAlloc-before.heap.HeapAlloc)/n, 10))
	return nil
}

// createSessions sends the requests with a pool of keep-alive
// connections; each must return 200 with a new session cookie.
func createSessions(ctx context.Context, cfg sessionsConfig) error {
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: cfg.concurrency, DisableCompression: true,
	}}
	defer client.CloseIdleConnections()

	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, cfg.concurrency)
	for range cfg.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(cfg.count) && ctx.Err() == nil {
				if err := newSession(ctx, client, cfg.url); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)

	if err := errors.Join(collect(errs)...); err != nil {
		return err
	}
	return ctx.Err()
}

func newSession(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("benchclient: building request for %s: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("benchclient: fetching %s: %w", url, err)
	}
	defer resp.Body.Close()

	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("benchclient: reading %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("benchclient: %s returned status %d", url, resp.StatusCode)
	}
	if !strings.Contains(strings.Join(resp.Header.Values("Set-Cookie"), "\n"), "plugit_session=") {
		return fmt.Errorf("benchclient: %s started no session", url)
	}
	return nil
}
