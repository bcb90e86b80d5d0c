package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// shutdownTimeout bounds how long in-flight requests may take to finish
// after a stop signal.
const shutdownTimeout = 30 * time.Second

// server is an HTTP server on a listener that stops gracefully.
type server struct {
	name     string
	http     *http.Server
	listener net.Listener
	logger   *slog.Logger
}

func listen(name, addr string, h http.Handler, logger *slog.Logger) (*server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cli: listening on %s for the %s: %w", addr, name, err)
	}

	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	return &server{name: name, http: srv, listener: ln, logger: logger}, nil
}

// url returns the server's base URL.
func (s *server) url() string {
	return "http://" + s.listener.Addr().String() + "/"
}

// start serves in the background; errs receives the error that stops it
// early.
func (s *server) start(errs chan<- error) {
	go func() {
		err := s.http.Serve(s.listener)
		if !errors.Is(err, http.ErrServerClosed) {
			errs <- fmt.Errorf("cli: %s stopped: %w", s.name, err)
		}
	}()
}

// shutdown stops accepting connections and waits for in-flight requests.
func (s *server) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		return fmt.Errorf("cli: stopping the %s: %w", s.name, err)
	}
	s.logger.Info("server stopped", "server", s.name)
	return nil
}

// runServers starts the servers and stops them in order when ctx ends or
// one fails.
func runServers(ctx context.Context, servers ...*server) error {
	errs := make(chan error, len(servers))
	for _, s := range servers {
		s.start(errs)
	}

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errs:
	}

	for _, s := range servers {
		if err := s.shutdown(); err != nil && runErr == nil {
			runErr = err
		}
	}
	return runErr
}
