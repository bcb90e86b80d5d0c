// Command benchclient measures the memory of a PlugIt proxy under load
// that wrk can't produce, for bench/run.sh:
//
//	benchclient idle -url URL -cookie C -pid PID -conns 10000
//	benchclient sessions -url URL -pid PID -count 100000
//	benchclient upload -url URL -cookie C -csrf T -pid PID -size 1073741824
//
// PID is the proxy's process, whose /proc/PID/status it reads. Every
// command prints one RESULT line of name=value pairs, sizes in bytes.
// Only 127.0.0.1 URLs are accepted.
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

	if err := run(ctx, os.Args[1:]); err != nil {
		logger.Error("benchclient failed", "error", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("benchclient: missing command: use idle, sessions or upload")
	}

	switch args[0] {
	case "idle":
		return runIdle(ctx, args[1:])
	case "sessions":
		return runSessions(ctx, args[1:])
	case "upload":
		return runUpload(ctx, args[1:])
	}
	return fmt.Errorf("benchclient: unknown command %q: use idle, sessions or upload", args[0])
}
