package cli

import (
	"context"
	"fmt"

	"github.com/plugit-go/plugit/examples/polls"
	"github.com/plugit-go/plugit/service"
)

func runDemo(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("demo", "demo [flags]", env.stderr)
	var f proxyFlags
	f.register(fs)
	serviceListen := fs.String("service-listen", "127.0.0.1:0", "address of the polls service (default: a free loopback port)")
	dbPath := fs.String("db", "polls.db", "SQLite database file of the polls service, created on first start")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if f.name == "" {
		f.name = "Polls"
	}

	store, err := polls.OpenStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer store.Close()

	svc, err := polls.New(store, service.WithLogger(env.logger), service.WithDebug(true))
	if err != nil {
		return err
	}
	svcServer, err := listen("polls service", *serviceListen, svc, env.logger)
	if err != nil {
		return err
	}

	p, closeProxy, err := f.newProxy(ctx, env, svcServer.url())
	if err != nil {
		return err
	}
	defer closeProxy()
	proxyServer, err := listen("proxy", f.listen, p, env.logger)
	if err != nil {
		return err
	}

	url := proxyServer.url() + f.base[1:]
	env.logger.Info("demo started: open the URL in a browser", "url", url, "service", svcServer.url(), "db", *dbPath)
	fmt.Fprintf(env.stdout, "PlugIt demo: open %s\n", url)

	go p.RunHealthChecks(ctx, 0)

	// The proxy stops first so that its in-flight calls to the service
	// finish before the service stops.
	return runServers(ctx, proxyServer, svcServer)
}
