// Command benchserver runs the servers that bench/run.sh loads with wrk,
// all on 127.0.0.1:
//
//	benchserver backend -ready FILE
//	benchserver front -backend URL -ready FILE [-hosted N]
//
// The backend is a polls-like service built with the service library. The
// front is the PlugIt proxy in front of it, a bare httputil.ReverseProxy
// in front of the same service, a plain handler serving the proxy's page
// bytes, and net/http/pprof. Each writes its addresses to the ready file,
// as shell variable assignments, once it serves, and stops on SIGINT or
// SIGTERM.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, os.Args[1:], logger); err != nil {
		logger.Error("benchserver failed", "error", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, logger *slog.Logger) error {
	if len(args) == 0 {
		return fmt.Errorf("benchserver: missing command: use backend or front")
	}

	switch args[0] {
	case "backend":
		return runBackend(ctx, args[1:], logger)
	case "front":
		return runFront(ctx, args[1:], logger)
	}
	return fmt.Errorf("benchserver: unknown command %q: use backend or front", args[0])
}
