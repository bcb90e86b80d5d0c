package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/plugit-go/plugit/conformance"
	"github.com/plugit-go/plugit/internal/fixtures"
	"github.com/plugit-go/plugit/service"
)

// errChecksFailed is returned when a check of a conformance suite or of
// plugit check fails; Main exits with status 1.
var errChecksFailed = errors.New("cli: checks failed")

// runConformance runs plugit conformance fixtures, service or proxy.
func runConformance(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: name a subcommand: plugit conformance fixtures|service|proxy", errUsage)
	}

	switch args[0] {
	case "fixtures":
		return runFixtures(ctx, env, args[1:])
	case "service":
		return runServiceConformance(ctx, env, args[1:])
	case "proxy":
		return runProxyConformance(ctx, env, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintln(env.stderr, "Usage: plugit conformance fixtures|service|proxy [flags]")
		return flag.ErrHelp
	}
	return fmt.Errorf("%w: unknown subcommand %q: use fixtures, service or proxy", errUsage, args[0])
}

// runFixtures serves the template-mode or the proxy-mode fixture service.
func runFixtures(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("conformance fixtures", "conformance fixtures [flags]", env.stderr)
	listenAddr := fs.String("listen", "127.0.0.1:5000", "address the fixture service listens on")
	proxyMode := fs.Bool("proxy-mode", false, "serve the proxy-mode fixture service instead of the template-mode one")
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	var handler http.Handler = fixtures.NewProxyService()
	name := "proxy-mode fixture service"
	if !*proxyMode {
		svc, err := fixtures.NewTemplateService(service.WithLogger(env.logger))
		if err != nil {
			return err
		}
		handler, name = svc, "template-mode fixture service"
	}

	srv, err := listen(name, *listenAddr, handler, env.logger)
	if err != nil {
		return err
	}
	env.logger.Info("fixture service started", "url", srv.url(), "proxy_mode", *proxyMode, "pid", os.Getpid())
	return runServers(ctx, srv)
}

func runServiceConformance(ctx context.Context, env *environment, args []string) error {
	url, rest, err := splitURL("conformance service", args)
	if err != nil {
		return err
	}

	fs := newFlagSet("conformance service", "conformance service URL", env.stderr)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}

	return runSuite(ctx, env, &conformance.Target{URL: url}, conformance.ServiceChecks())
}

func runProxyConformance(ctx context.Context, env *environment, args []string) error {
	url, rest, err := splitURL("conformance proxy", args)
	if err != nil {
		return err
	}

	fs := newFlagSet("conformance proxy", "conformance proxy URL [flags]", env.stderr)
	orgaMode := fs.Bool("orga-mode", false, "the proxy runs in organisation mode")
	timeout := fs.Duration("timeout", 0,
		"the proxy's time-out for service calls; when set, a check expects 504 from a slower service")
	menu := fs.String("menu-block", "", "the template block the proxy shows as side menu, such as menubar")
	proxyMode := fs.Bool("proxy-mode", false, "the proxy fronts the proxy-mode fixture service")
	if err := parseFlags(fs, rest); err != nil {
		return err
	}

	target := &conformance.Target{URL: url, OrgaMode: *orgaMode, ProxyTimeout: *timeout, MenuBlock: *menu}
	checks := conformance.ProxyChecks()
	if *proxyMode {
		checks = conformance.ProxyModeChecks()
	}
	return runSuite(ctx, env, target, checks)
}

// runSuite runs checks against target and prints the table; it fails
// when a check fails.
func runSuite(ctx context.Context, env *environment, target *conformance.Target, checks []conformance.Check) error {
	results := conformance.Run(ctx, target, checks)
	if err := conformance.WriteTable(env.stdout, results); err != nil {
		return err
	}

	if failed := conformance.Failed(results); len(failed) > 0 {
		return fmt.Errorf("%w: %d of %d failed against %s", errChecksFailed, len(failed), len(results), target.URL)
	}
	return nil
}

// splitURL takes the URL argument that comes before the flags and checks
// that it is an absolute http or https URL.
func splitURL(command string, args []string) (string, []string, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return "", nil, flag.ErrHelp
		}
		return "", nil, fmt.Errorf("%w: plugit %s needs a URL first, such as http://127.0.0.1:5000/", errUsage, command)
	}

	url := args[0]
	if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
		return "", nil, fmt.Errorf("%w: invalid URL %q: it must start with http:// or https://", errUsage, url)
	}
	return url, args[1:], nil
}
