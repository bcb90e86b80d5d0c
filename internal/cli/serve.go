package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/plugit-go/plugit/internal/config"
	"github.com/plugit-go/plugit/internal/platform"
)

// runServe runs the hosted platform from plugit.yaml, reloading it on
// SIGHUP.
func runServe(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("serve", "serve [--config plugit.yaml] [flags]", env.stderr)
	configPath := fs.String("config", "plugit.yaml", "configuration file")
	pidFile := fs.String("pid-file", "", "file to write the process id to, for plugit reload")
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	f, err := config.Load(*configPath)
	if err != nil {
		return err
	}

	opts := platform.Options{Logger: env.logger}
	tp, stopTracing, err := tracerProvider(ctx)
	if err != nil {
		return err
	}
	defer stopTracing()
	if tp != nil {
		opts.Base.TracerProvider = tp
	}

	pl, err := platform.New(ctx, f, opts)
	if err != nil {
		return err
	}
	defer pl.Close()

	srv, err := listen("proxy", f.Listen, pl.Proxy, env.logger)
	if err != nil {
		return err
	}
	if *pidFile != "" {
		if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
			return fmt.Errorf("cli: writing pid file: %w", err)
		}
		defer os.Remove(*pidFile)
	}

	go pl.Proxy.RunHealthChecks(ctx, 0)
	go func() {
		if err := pl.RunMailChecker(ctx); err != nil && ctx.Err() == nil {
			env.logger.Error("platform: the mail checker stopped", "error", err)
		}
	}()
	go reloadOnHangup(ctx, env, pl, *configPath)
	env.logger.Info("platform started", "url", srv.url(), "config", *configPath,
		"services", len(f.Services), "pid", os.Getpid())
	return runServers(ctx, srv)
}

// reloadOnHangup reloads the configuration at each SIGHUP. An invalid
// configuration is logged and the running one kept.
func reloadOnHangup(ctx context.Context, env *environment, pl *platform.Platform, path string) {
	hangups := make(chan os.Signal, 1)
	signal.Notify(hangups, syscall.SIGHUP)
	defer signal.Stop(hangups)

	for {
		select {
		case <-ctx.Done():
			return
		case <-hangups:
		}

		f, err := config.Load(path)
		if err == nil {
			err = pl.Reload(ctx, f)
		}
		if err != nil {
			env.logger.Error("platform: reload failed, keeping the running configuration", "config", path, "error", err)
			continue
		}
		env.logger.Info("platform: configuration reloaded", "config", path, "services", len(f.Services))
	}
}

// runReload signals a running plugit serve to reload its configuration.
func runReload(_ context.Context, env *environment, args []string) error {
	fs := newFlagSet("reload", "reload --pid-file FILE", env.stderr)
	pidFile := fs.String("pid-file", "", "pid file that plugit serve --pid-file wrote (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *pidFile == "" {
		return fmt.Errorf("%w: --pid-file is required", errUsage)
	}

	data, err := os.ReadFile(*pidFile)
	if err != nil {
		return fmt.Errorf("cli: reading pid file: %w", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 1 {
		return fmt.Errorf("cli: pid file %s contains %q, which is not a process id: give the file plugit serve --pid-file wrote", *pidFile, data)
	}
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		return fmt.Errorf("cli: signalling process %d: %w", pid, err)
	}
	fmt.Fprintf(env.stdout, "reload requested from process %d\n", pid)
	return nil
}
