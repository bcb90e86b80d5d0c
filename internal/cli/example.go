package cli

import (
	"context"
	"fmt"

	"github.com/plugit-go/plugit/examples/polls"
	"github.com/plugit-go/plugit/service"
)

func runExample(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 || args[0] != "polls" {
		return fmt.Errorf("%w: name an example: plugit example polls [flags]", errUsage)
	}

	fs := newFlagSet("example polls", "example polls [flags]", env.stderr)
	listenAddr := fs.String("listen", "127.0.0.1:5000", "address the service listens on")
	dbPath := fs.String("db", "polls.db", "SQLite database file, created on first start")
	debug := fs.Bool("debug", false, "announce meta with a cache time of 0, so that the proxy sees changes at once")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}

	store, err := polls.OpenStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()

	svc, err := polls.New(store, service.WithDebug(*debug), service.WithLogger(env.logger))
	if err != nil {
		return err
	}

	srv, err := listen("polls service", *listenAddr, svc, env.logger)
	if err != nil {
		return err
	}
	env.logger.Info("polls service started", "url", srv.url(), "db", *dbPath)
	return runServers(ctx, srv)
}
