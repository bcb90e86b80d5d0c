// Package cli implements the plugit command.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// command is one subcommand of plugit.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *environment, args []string) error
}

// environment holds the output streams and the logger of a command.
type environment struct {
	stdout io.Writer
	stderr io.Writer
	logger *slog.Logger
}

var commands = []command{
	{"demo", "run the polls example behind a standalone proxy", runDemo},
	{"proxy", "run a standalone proxy in front of one service", runProxy},
	{"example", "run an example service (polls)", runExample},
	{"admin", "manage accounts, organisations and services of the hosted platform", runAdmin},
	{"serve", "run the hosted platform from plugit.yaml (reloads on SIGHUP)", runServe},
	{"reload", "make a running plugit serve reload its configuration", runReload},
	{"check-mail", "deliver the replies in the mail inbox to their services once", runCheckMail},
	{"conformance", "run the protocol fixture services or check a service or proxy against them", runConformance},
	{"check", "check a running service: ping, version, meta, templates and media", runCheck},
	{"new", "create a new service module: plugit new service NAME", runNew},
	{"dev", "run a service behind a debug proxy, rebuilding it when its Go files change", runDev},
	{"version", "print the version and commit of this binary", runVersion},
}

// errUsage marks an error in the command line; Main exits with status 2.
var errUsage = errors.New("usage error")

// Main runs the plugit command with args and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		return 2
	}

	cmd, ok := findCommand(args[0])
	if !ok {
		fmt.Fprintf(stderr, "plugit: unknown command %q\n\n", args[0])
		printUsage(stderr)
		return 2
	}

	env := &environment{stdout: stdout, stderr: stderr, logger: newLogger(stderr)}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	err := cmd.run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "plugit %s: %v\n", cmd.name, err)
		return 2
	}
	env.logger.Error("plugit: command failed", "command", cmd.name, "error", err)
	return 1
}

func findCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: plugit COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun plugit COMMAND -h for the flags of a command.")
	fmt.Fprintln(w, "Every flag can also be set with an environment variable: --orga-mode is PLUGIT_ORGA_MODE.")
}

// newLogger returns the logger of the command: text lines, or JSON when
// PLUGIT_LOG_FORMAT=json.
func newLogger(w io.Writer) *slog.Logger {
	if strings.EqualFold(os.Getenv("PLUGIT_LOG_FORMAT"), "json") {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// parseFlags parses args into fs, after setting every flag that the
// command line leaves out from its environment variable PLUGIT_<NAME>,
// with "-" written "_".
func parseFlags(fs *flag.FlagSet, args []string) error {
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		value, ok := os.LookupEnv(name)
		if !ok || envErr != nil {
			return
		}
		if err := fs.Set(f.Name, value); err != nil {
			envErr = fmt.Errorf("%w: invalid value %q in %s: %v", errUsage, value, name, err)
		}
	})
	if envErr != nil {
		return envErr
	}

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

func envName(flagName string) string {
	return "PLUGIT_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// newFlagSet returns a flag set whose usage lists each flag's variable.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("plugit "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: plugit %s\n\nFlags (each also read from PLUGIT_<FLAG>):\n", usage)
		fs.PrintDefaults()
	}
	return fs
}
