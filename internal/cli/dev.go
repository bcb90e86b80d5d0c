package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/plugit-go/plugit/proxy"
)

// devPollInterval is how often plugit dev looks for changed files.
const devPollInterval = 500 * time.Millisecond

const devUsage = "dev (--service-dir DIR | --service URL) [flags]"

func runDev(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("dev", devUsage, env.stderr)
	serviceDir := fs.String("service-dir", "", "folder of a Go service to build, run and rebuild when its Go files change")
	serviceURL := fs.String("service", "", "base URL of a service that is already running, such as http://127.0.0.1:5000/")
	f := proxyFlags{timeout: 10 * time.Second, debug: true}
	fs.StringVar(&f.listen, "listen", "127.0.0.1:4000", "address the proxy listens on")
	fs.StringVar(&f.base, "base", "/plugIt/", "path under which the proxy serves the service")
	fs.StringVar(&f.name, "service-name", "", "service name shown in the layout (default: the folder's or host's name)")
	fs.BoolVar(&f.orgaMode, "orga-mode", false, "send the current organisation and require one")
	fs.StringVar(&f.menu, "menu-block", "", "template block shown as the side menu, such as menubar")
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	switch {
	case *serviceDir != "" && *serviceURL != "":
		return fmt.Errorf("%w: give either --service-dir or --service, not both", errUsage)
	case *serviceDir == "" && *serviceURL == "":
		return fmt.Errorf("%w: give the service: plugit %s", errUsage, devUsage)
	case *serviceURL != "":
		return serveDev(ctx, env, f, *serviceURL, nil, nil)
	}

	svc, err := newDevService(env, *serviceDir)
	if err != nil {
		return err
	}
	defer svc.close()

	if f.name == "" {
		f.name = filepath.Base(svc.dir)
	}
	// The watcher records the files before the first build, so that a
	// change made during the build starts another one.
	files := newFileWatcher(svc.dir, env.logger)
	files.changed()
	if err := svc.buildAndStart(ctx); err != nil {
		return err
	}
	return serveDev(ctx, env, f, svc.url(), svc, files)
}

// serveDev runs a proxy in debug mode in front of serviceURL until ctx
// ends. With svc, it also polls files, the watcher of the service's
// folder: Go changes rebuild and restart the service, and template
// changes are logged, since the service reads its templates from disk on
// every request.
func serveDev(ctx context.Context, env *environment, f proxyFlags, serviceURL string, svc *devService, files *fileWatcher) error {
	p, err := proxy.New(f.config(env, serviceURL))
	if err != nil {
		return err
	}

	srv, err := listen("proxy", f.listen, p, env.logger)
	if err != nil {
		return err
	}
	errs := make(chan error, 1)
	srv.start(errs)
	go p.RunHealthChecks(ctx, 0)

	url := srv.url() + f.base[1:]
	env.logger.Info("dev proxy started: open the URL in a browser", "url", url, "service", serviceURL)
	fmt.Fprintf(env.stdout, "PlugIt dev: open %s\n", url)

	runErr := watchDev(ctx, svc, files, errs)
	if err := srv.shutdown(); err != nil && runErr == nil {
		runErr = err
	}
	if svc != nil {
		svc.stop()
	}
	return runErr
}

// watchDev polls the service's folder until ctx ends or the proxy fails.
// svc and files are nil for a service that plugit dev does not run.
func watchDev(ctx context.Context, svc *devService, files *fileWatcher, proxyErrs <-chan error) error {
	ticker := time.NewTicker(devPollInterval)
	defer ticker.Stop()

	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-proxyErrs:
			return err
		case <-svc.exited():
			svc.reportExit()
		case <-ticker.C:
			if files != nil {
				svc.handleChanges(ctx, files.changed())
			}
		}
	}
}
