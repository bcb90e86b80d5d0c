package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// loopback is the only address the harness listens on.
const loopback = "127.0.0.1:0"

// shutdownTimeout bounds how long in-flight requests may take to finish
// after a stop signal.
const shutdownTimeout = 5 * time.Second

// server is one HTTP server of the harness on a loopback port.
type server struct {
	name string
	http *http.Server
	ln   net.Listener
}

// listen opens a loopback port for h with the proxy command's server
// timeouts: 10 s to read headers, 120 s before an idle connection closes.
func listen(name string, h http.Handler, logger *slog.Logger) (*server, error) {
	ln, err := net.Listen("tcp", loopback)
	if err != nil {
		return nil, fmt.Errorf("benchserver: listening for the %s: %w", name, err)
	}

	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	return &server{name: name, http: srv, ln: ln}, nil
}

// url returns the server's base URL without a trailing slash.
func (s *server) url() string {
	return "http://" + s.ln.Addr().String()
}

// serveAll serves every server until ctx ends or one fails, then shuts
// them all down.
func serveAll(ctx context.Context, logger *slog.Logger, servers ...*server) error {
	errs := make(chan error, len(servers))
	for _, s := range servers {
		go func() {
			err := s.http.Serve(s.ln)
			if !errors.Is(err, http.ErrServerClosed) {
				errs <- fmt.Errorf("benchserver: %s stopped: %w", s.name, err)
			}
		}()
	}

	var err error
	select {
	case <-ctx.Done():
	case err = <-errs:
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	for _, s := range servers {
		if stopErr := s.http.Shutdown(shutdownCtx); stopErr != nil {
			logger.Warn("benchserver: stopping server", "server", s.name, "error", stopErr)
		}
	}
	return err
}

// writeReady writes the variables as NAME='value' lines to path, through
// a temporary file so that a reader never sees half of it.
func writeReady(path string, vars [][2]string) error {
	var b strings.Builder
	for _, v := range vars {
		if strings.Contains(v[1], "'") {
			return fmt.Errorf("benchserver: value of %s contains a single quote", v[0])
		}
		fmt.Fprintf(&b, "%s='%s'\n", v[0], v[1])
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), ".ready-*")
	if err != nil {
		return fmt.Errorf("benchserver: writing ready file: %w", err)
	}
	defer os.Remove(tmp.Name())

	if _, err := tmp.WriteString(b.String()); err != nil {
		tmp.Close()
		return fmt.Errorf("benchserver: writing ready file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("benchserver: writing ready file: %w", err)
	}

	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("benchserver: writing ready file: %w", err)
	}
	return nil
}
