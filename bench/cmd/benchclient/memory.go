package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/plugit-go/plugit/bench/internal/procstat"
)

// heapReport is the reply of the front's /debug/free, in bytes.
type heapReport struct {
	HeapAlloc  int64 `json:"heap_alloc"`
	HeapInuse  int64 `json:"heap_inuse"`
	StackInuse int64 `json:"stack_inuse"`
	Sys        int64 `json:"sys"`
	Goroutines int   `json:"goroutines"`
}

// snapshot is the proxy's memory at one moment: resident sizes, and the
// Go heap after a collection when a free URL is given.
type snapshot struct {
	mem  procstat.Memory
	heap heapReport
}

// takeSnapshot calls freeURL, when set, which collects garbage and
// returns memory to the system, then reads the resident size of pid.
func takeSnapshot(ctx context.Context, pid int, freeURL string) (snapshot, error) {
	var s snapshot
	if freeURL != "" {
		h, err := freeMemory(ctx, freeURL)
		if err != nil {
			return s, err
		}
		s.heap = h
	}

	m, err := procstat.Read(pid)
	if err != nil {
		return s, err
	}
	s.mem = m
	return s, nil
}

func freeMemory(ctx context.Context, freeURL string) (heapReport, error) {
	var h heapReport
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, freeURL, nil)
	if err != nil {
		return h, fmt.Errorf("benchclient: building request for %s: %w", freeURL, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return h, fmt.Errorf("benchclient: calling %s: %w", freeURL, err)
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		return h, fmt.Errorf("benchclient: %s returned status %d", freeURL, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		return h, fmt.Errorf("benchclient: decoding the reply of %s: %w", freeURL, err)
	}
	return h, nil
}

// checkLoopback rejects URLs that are not http://127.0.0.1:PORT/...,
// so that the client loads only servers of the harness.
func checkLoopback(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("benchclient: invalid URL %q: %w", raw, err)
	}
	if u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Port() == "" {
		return nil, fmt.Errorf("benchclient: URL %q must be http://127.0.0.1:PORT/...", raw)
	}
	return u, nil
}

// checkPID rejects a pid that is not a running process.
func checkPID(pid int) error {
	if pid <= 0 {
		return errors.New("benchclient: -pid of the proxy is required")
	}
	if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err != nil {
		return fmt.Errorf("benchclient: no process %d: %w", pid, err)
	}
	return nil
}

// mib formats bytes as MiB with one decimal.
func mib(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
}

// printResult prints a RESULT line: the name, then name=value pairs.
func printResult(name string, pairs ...string) {
	fmt.Printf("RESULT\t%s\t%s\n", name, strings.Join(pairs, "\t"))
}
