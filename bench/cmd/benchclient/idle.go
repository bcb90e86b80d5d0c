package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// idleConfig is the command line of the idle command.
type idleConfig struct {
	url     string
	cookie  string
	freeURL string
	pid     int
	conns   int
	workers int
	settle  time.Duration
	timeout time.Duration
}

func parseIdleFlags(args []string) (idleConfig, error) {
	var cfg idleConfig
	flags := flag.NewFlagSet("idle", flag.ContinueOnError)
	flags.StringVar(&cfg.url, "url", "", "page each connection requests once, on 127.0.0.1 (required)")
	flags.StringVar(&cfg.cookie, "cookie", "", "Cookie header of the requests")
	flags.StringVar(&cfg.freeURL, "free", "", "URL of the proxy process's /debug/free, to also measure after a collection")
	flags.IntVar(&cfg.pid, "pid", 0, "process id of the proxy (required)")
	flags.IntVar(&cfg.conns, "conns", 10000, "keep-alive connections to open")
	flags.IntVar(&cfg.workers, "workers", 64, "connections opened at once")
	flags.DurationVar(&cfg.settle, "settle", 2*time.Second, "wait after the last connection before measuring")
	flags.DurationVar(&cfg.timeout, "timeout", 2*time.Minute, "bound on the whole command")
	if err := flags.Parse(args); err != nil {
		return cfg, err
	}

	if cfg.conns <= 0 || cfg.workers <= 0 {
		return cfg, fmt.Errorf("benchclient: idle: -conns %d and -workers %d must be positive", cfg.conns, cfg.workers)
	}
	return cfg, checkPID(cfg.pid)
}

// runIdle opens keep-alive connections that each fetch the page once and
// then stay open and idle, and reports the proxy's resident size before
// and after.
func runIdle(ctx context.Context, args []string) error {
	cfg, err := parseIdleFlags(args)
	if err != nil {
		return err
	}
	u, err := checkLoopback(cfg.url)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	before, err := takeSnapshot(ctx, cfg.pid, cfg.freeURL)
	if err != nil {
		return err
	}

	request := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\n"
	if cfg.cookie != "" {
		request += "Cookie: " + cfg.cookie + "\r\n"
	}
	request += "\r\n"

	start := time.Now()
	conns, err := openIdle(ctx, u.Host, request, cfg.conns, cfg.workers)
	defer closeAll(conns)
	if err != nil {
		return err
	}
	opened := time.Since(start)

	return reportIdle(ctx, cfg, before, len(conns), opened)
}

func reportIdle(ctx context.Context, cfg idleConfig, before snapshot, conns int, opened time.Duration) error {
	select {
	case <-time.After(cfg.settle):
	case <-ctx.Done():
		return ctx.Err()
	}

	loaded, err := takeSnapshot(ctx, cfg.pid, "")
	if err != nil {
		return err
	}
	collected, err := takeSnapshot(ctx, cfg.pid, cfg.freeURL)
	if err != nil {
		return err
	}

	perConn := (loaded.mem.RSS - before.mem.RSS) / int64(conns)
	printResult("idle_conns",
		"conns="+strconv.Itoa(conns), "open_seconds="+strconv.FormatFloat(opened.Seconds(), 'f', 1, 64),
		"rss_before_mib="+mib(before.mem.RSS), "rss_idle_mib="+mib(loaded.mem.RSS),
		"rss_idle_after_gc_mib="+mib(collected.mem.RSS), "rss_per_conn_bytes="+strconv.FormatInt(perConn, 10),
		"goroutines="+strconv.Itoa(collected.heap.Goroutines),
		"stack_inuse_mib="+mib(collected.heap.StackInuse), "heap_inuse_mib="+mib(collected.heap.HeapInuse))
	return nil
}

// openIdle opens n connections to addr with workers at a time; each sends
// request and reads a 200 response, and stays open.
func openIdle(ctx context.Context, addr, request string, n, workers int) ([]net.Conn, error) {
	conns := make([]net.Conn, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				c, err := openOne(ctx, addr, request)
				if err != nil {
					errs <- fmt.Errorf("benchclient: connection %d: %w", i, err)
					return
				}
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	close(errs)

	err := errors.Join(collect(errs)...)
	if err == nil {
		err = ctx.Err()
	}
	return conns, err
}

func openOne(ctx context.Context, addr, request string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(c, request); err != nil {
		c.Close()
		return nil, err
	}

	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		c.Close()
		return nil, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func collect(errs <-chan error) []error {
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return all
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
}
