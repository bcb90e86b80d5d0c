package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/plugit-go/plugit/internal/scaffold"
	"golang.org/x/mod/semver"
)

const newUsage = "new service NAME [flags]"

func runNew(ctx context.Context, env *environment, args []string) error {
	if len(args) == 0 || args[0] != "service" {
		return fmt.Errorf("%w: name what to create: plugit %s", errUsage, newUsage)
	}

	fs := newFlagSet("new service", newUsage, env.stderr)
	var opts scaffold.Options
	fs.StringVar(&opts.Dir, "dir", "", "folder to create, which must not exist (default: NAME in the current folder)")
	fs.StringVar(&opts.Module, "module", "", "module path of the new service, such as example.org/hello (default: NAME)")
	fs.StringVar(&opts.PlugitSource, "plugit-src", "", "local copy of PlugIt-Go that the service builds with, through a replace directive")
	fs.StringVar(&opts.PlugitVersion, "plugit-version", releaseVersion(), "PlugIt-Go version to require when --plugit-src is not set; a release binary defaults to its own version")
	noTidy := fs.Bool("no-tidy", false, "skip running go mod tidy in the new folder")

	name, rest := splitName(args[1:])
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if name == "" {
		return fmt.Errorf("%w: the service NAME is missing, write it before the flags: plugit %s", errUsage, newUsage)
	}
	opts.Name = name

	dir, err := scaffold.Create(opts)
	if err != nil {
		return newError(err, opts)
	}
	env.logger.Info("service created", "name", name, "dir", dir)

	if !*noTidy {
		if err := goModTidy(ctx, dir, env.stderr); err != nil {
			return err
		}
	}

	fmt.Fprintf(env.stdout, "Created the %s service in %s. Run it behind a proxy with:\n\n  cd %s\n  plugit dev --service-dir .\n", name, dir, dir)
	return nil
}

// splitName takes the service name from the front of args. Flags come
// after the name; with a flag first there is no name, but -h still works.
func splitName(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// newError turns an invalid name, module, folder or version into a usage
// error, which Main prints as a plain message with exit status 2.
func newError(err error, opts scaffold.Options) error {
	if errors.Is(err, scaffold.ErrNoVersion) && opts.PlugitVersion == "" {
		return fmt.Errorf("%w: %w: this plugit binary is not a release, so give --plugit-version VERSION or --plugit-src DIR", errUsage, err)
	}

	usageErrors := []error{
		scaffold.ErrInvalidName, scaffold.ErrInvalidModule, scaffold.ErrExists,
		scaffold.ErrInvalidSource, scaffold.ErrNoVersion,
	}
	for _, usage := range usageErrors {
		if errors.Is(err, usage) {
			return fmt.Errorf("%w: %w", errUsage, err)
		}
	}
	return err
}

// releaseVersion returns this binary's version when it is a published
// release that go.mod can require, and "" otherwise.
func releaseVersion() string {
	info := readBuildInfo()
	if !info.published || !semver.IsValid(info.version) || semver.Canonical(info.version) != info.version {
		return ""
	}
	return info.version
}

// goModTidy runs "go mod tidy" in dir, so that go.mod lists every module
// the service needs and it builds with the default -mod=readonly. When it
// fails, its output goes to stderr as it is.
func goModTidy(ctx context.Context, dir string, stderr io.Writer) error {
	cmd := exec.CommandContext(ctx, "go", "mod", "tidy")
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		_, _ = stderr.Write(out.Bytes())
		return fmt.Errorf("cli: go mod tidy failed in %s, see its output above; the files are written, so run it there again once fixed: %w", dir, err)
	}
	return nil
}
