// Package scaffold writes the files of a new PlugIt service: a Go module
// with one action, its template, a media file, a README and a test that
// runs the service behind a real proxy.
package scaffold

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// PlugitModule is the module path of PlugIt-Go, which new services require.
const PlugitModule = "github.com/plugit-go/plugit"

// localVersion is the version a new service requires when PlugIt-Go comes
// from a local copy through a replace directive: the go command's
// placeholder for a module with no published version.
const localVersion = "v0.0.0-00010101000000-000000000000"

// defaultGoVersion is the go directive of a new service when the PlugIt-Go
// source does not give one. It is the minimum Go version of PlugIt-Go.
const defaultGoVersion = "1.26.0"

// maxNameLength bounds a service name, in bytes.
const maxNameLength = 64

var (
	// ErrInvalidName is returned for a service name that is not a
	// lowercase Go identifier.
	ErrInvalidName = errors.New("scaffold: invalid service name")

	// ErrInvalidModule is returned for an invalid module path.
	ErrInvalidModule = errors.New("scaffold: invalid module path")

	// ErrExists is returned when the service's folder already exists.
	ErrExists = errors.New("scaffold: folder already exists")

	// ErrInvalidSource is returned when the PlugIt-Go source folder does
	// not hold the PlugIt-Go module.
	ErrInvalidSource = errors.New("scaffold: invalid PlugIt-Go source folder")

	// ErrNoVersion is returned when neither a PlugIt-Go source folder nor a
	// released PlugIt-Go version is given.
	ErrNoVersion = errors.New("scaffold: no PlugIt-Go version to require")
)

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Options describes a new service.
type Options struct {
	// Name is the service's name: a lowercase letter, then lowercase
	// letters, digits or "_". Required.
	Name string

	// Dir is the folder to create. It must not exist. Default: Name, in
	// the working directory.
	Dir string

	// Module is the new module's path. Default: Name.
	Module string

	// PlugitSource is a local copy of the PlugIt-Go module. When set, the
	// new go.mod replaces the module with this folder and go.sum starts as
	// a copy of the folder's go.sum, so that the service builds without
	// downloading PlugIt-Go.
	PlugitSource string

	// PlugitVersion is the PlugIt-Go version to require, such as "v0.1.0",
	// when PlugitSource is empty.
	PlugitVersion string
}

// CheckName returns an error wrapping ErrInvalidName unless name is a
// valid service name.
func CheckName(name string) error {
	if len(name) > maxNameLength {
		return fmt.Errorf("%w: %q is longer than %d bytes", ErrInvalidName, name, maxNameLength)
	}

	if !namePattern.MatchString(name) {
		return fmt.Errorf("%w: %q must start with a lowercase letter and hold only lowercase letters, digits and _, such as hello or poll_stats", ErrInvalidName, name)
	}
	return nil
}

// CheckModule returns an error wrapping ErrInvalidModule unless path is a
// valid module path. As with "go mod init", a path whose first element has
// no dot, such as "hello", is accepted for a module that is never
// downloaded.
func CheckModule(path string) error {
	if err := module.CheckImportPath(path); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidModule, err)
	}

	first, _, _ := strings.Cut(path, "/")
	if strings.Contains(first, ".") {
		if err := module.CheckPath(path); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidModule, err)
		}
	}
	return nil
}

// Create writes the new service's module into opts.Dir and returns the
// folder it wrote. It never writes into an existing folder. When writing
// fails, it removes the folder it created.
func Create(opts Options) (string, error) {
	data, err := newTemplateData(opts)
	if err != nil {
		return "", err
	}

	dir := opts.Dir
	if dir == "" {
		dir = opts.Name
	}
	if err := makeDir(dir); err != nil {
		return "", err
	}

	if err := writeFiles(dir, data); err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// makeDir creates dir, and its parents as needed, and fails with ErrExists
// when dir is already there.
func makeDir(dir string) error {
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("%w: %s: choose another folder or remove it", ErrExists, dir)
	}

	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("scaffold: creating %s: %w", filepath.Dir(dir), err)
	}

	if err := os.Mkdir(dir, 0o755); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%w: %s: choose another folder or remove it", ErrExists, dir)
		}
		return fmt.Errorf("scaffold: creating %s: %w", dir, err)
	}
	return nil
}

// checkVersion returns an error wrapping ErrNoVersion unless version is a
// semantic version that go.mod can require.
func checkVersion(version string) error {
	if version == "" {
		return fmt.Errorf("%w: give a released version such as v0.1.0, or a local copy of PlugIt-Go", ErrNoVersion)
	}

	if !semver.IsValid(version) || semver.Canonical(version) != version || semver.Build(version) != "" {
		return fmt.Errorf("%w: %q is not a canonical semantic version such as v0.1.0", ErrNoVersion, version)
	}
	return nil
}
