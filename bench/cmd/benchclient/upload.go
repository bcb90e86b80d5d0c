package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/plugit-go/plugit/bench/internal/procstat"
)

// uploadBlock is the size of the pseudo-random block the upload repeats.
const uploadBlock = 1 << 20

// uploadConfig is the command line of the upload command.
type uploadConfig struct {
	url     string
	cookie  string
	csrf    string
	pid     int
	size    int64
	sample  time.Duration
	timeout time.Duration
}

func parseUploadFlags(args []string) (uploadConfig, error) {
	var cfg uploadConfig
	flags := flag.NewFlagSet("upload", flag.ContinueOnError)
	flags.StringVar(&cfg.url, "url", "", "upload action through the proxy, on 127.0.0.1 (required)")
	flags.StringVar(&cfg.cookie, "cookie", "", "Cookie header of the browser session (required)")
	flags.StringVar(&cfg.csrf, "csrf", "", "CSRF token of the session, sent as X-CSRFToken (required)")
	flags.IntVar(&cfg.pid, "pid", 0, "process id of the proxy (required)")
	flags.Int64Var(&cfg.size, "size", 1<<30, "bytes of the uploaded file")
	flags.DurationVar(&cfg.sample, "sample", 20*time.Millisecond, "interval between samples of the proxy's resident size")
	flags.DurationVar(&cfg.timeout, "timeout", 5*time.Minute, "bound on the upload")
	if err := flags.Parse(args); err != nil {
		return cfg, err
	}

	if cfg.cookie == "" || cfg.csrf == "" || cfg.size <= 0 {
		return cfg, fmt.Errorf("benchclient: upload: -cookie, -csrf and a positive -size are required")
	}
	return cfg, checkPID(cfg.pid)
}

// uploadReply is the upload action's JSON reply.
type uploadReply struct {
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
	Files  int    `json:"files"`
}

// runUpload streams a multipart upload of size bytes through the proxy,
// checks the hash the service computed, and reports the proxy's peak
// resident size during the upload.
func runUpload(ctx context.Context, args []string) error {
	cfg, err := parseUploadFlags(args)
	if err != nil {
		return err
	}
	if _, err := checkLoopback(cfg.url); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	before, err := procstat.Read(cfg.pid)
	if err != nil {
		return err
	}
	// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0
	// and later), so that the peak read afterwards is the upload's.
	hwmReset := os.WriteFile("/proc/"+strconv.Itoa(cfg.pid)+"/clear_refs", []byte("5"), 0) == nil

	sampler := startSampler(cfg.pid, cfg.sample)
	start := time.Now()
	reply, sent, err := upload(ctx, cfg)
	elapsed := time.Since(start)
	maxRSS := sampler.stop()
	if err != nil {
		return err
	}

	after, err := procstat.Read(cfg.pid)
	if err != nil {
		return err
	}
	if reply.SHA256 != sent || reply.Bytes != cfg.size || reply.Files != 1 {
		return fmt.Errorf("benchclient: the service received %d bytes in %d files with SHA-256 %s, sent %d bytes with %s",
			reply.Bytes, reply.Files, reply.SHA256, cfg.size, sent)
	}

	printResult("upload",
		"bytes="+strconv.FormatInt(cfg.size, 10), "seconds="+strconv.FormatFloat(elapsed.Seconds(), 'f', 1, 64),
		"mib_per_second="+strconv.FormatFloat(float64(cfg.size)/(1<<20)/elapsed.Seconds(), 'f', 0, 64),
		"rss_before_mib="+mib(before.RSS), "rss_max_sampled_mib="+mib(maxRSS),
		"hwm_mib="+mib(after.HWM), "hwm_reset_before_upload="+strconv.FormatBool(hwmReset),
		"sha256_match=true")
	return nil
}

// upload sends the multipart body and returns the service's reply and the
// SHA-256 of the file sent.
func upload(ctx context.Context, cfg uploadConfig) (uploadReply, string, error) {
	var reply uploadReply
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	h := sha256.New()
	go func() { pw.CloseWithError(writeUpload(mw, h, cfg.size)) }()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.url, pr)
	if err != nil {
		return reply, "", fmt.Errorf("benchclient: building upload request: %w", err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Cookie", cfg.cookie)
	req.Header.Set("X-CSRFToken", cfg.csrf)
	req.Header.Set("Accept", "application/json")

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply, "", fmt.Errorf("benchclient: uploading to %s: %w", cfg.url, err)
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return reply, "", fmt.Errorf("benchclient: reading upload reply: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return reply, "", fmt.Errorf("benchclient: upload returned status %d: %.300s", resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, &reply); err != nil {
		return reply, "", fmt.Errorf("benchclient: invalid upload reply %.300q: %w", body, err)
	}
	return reply, hex.EncodeToString(h.Sum(nil)), nil
}

// writeUpload writes a form with one text field and one file of size
// pseudo-random bytes, which it also writes to h.
func writeUpload(mw *multipart.Writer, h hash.Hash, size int64) error {
	if err := mw.WriteField("title", "benchmark upload"); err != nil {
		return err
	}
	part, err := mw.CreateFormFile("file", "upload.bin")
	if err != nil {
		return err
	}

	block := make([]byte, uploadBlock)
	rng := rand.NewChaCha8([32]byte{1})
	_, _ = rng.Read(block) // ChaCha8.Read never returns an error.
	w := io.MultiWriter(part, h)
	for left := size; left > 0; {
		n := min(left, int64(len(block)))
		if _, err := w.Write(block[:n]); err != nil {
			return err
		}
		left -= n
	}
	return mw.Close()
}

// sampler reads a process's resident size at an interval and keeps the
// largest value.
type sampler struct {
	stopc chan struct{}
	maxc  chan int64
}

func startSampler(pid int, interval time.Duration) *sampler {
	s := &sampler{stopc: make(chan struct{}), maxc: make(chan int64, 1)}
	go func() {
		var peak int64
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			if m, err := procstat.Read(pid); err == nil {
				peak = max(peak, m.RSS)
			}
			select {
			case <-s.stopc:
				s.maxc <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *sampler) stop() int64 {
	close(s.stopc)
	return <-s.maxc
}
