package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version and Commit identify a release build. Release builds set them
// with the linker, which wins over what the Go build info records:
//
//	go build -ldflags "-X github.com/plugit-go/plugit/internal/cli.Version=v0.1.0 -X github.com/plugit-go/plugit/internal/cli.Commit=$(git rev-parse HEAD)" ./cmd/plugit
var (
	Version = ""
	Commit  = ""
)

// unknown stands for a version or commit that the build did not record.
const unknown = "unknown"

// buildInfo is the version information that the version command prints.
type buildInfo struct {
	version  string
	commit   string
	modified bool
	goVer    string

	// published is set when the version names a module version that the
	// go command can download: set by the linker for a release, or
	// recorded by "go install module@version", which also records the
	// module's checksum. A build in a local checkout may carry a
	// pseudo-version of a commit that was never pushed, so it is not.
	published bool
}

// readBuildInfo returns the version and commit from the linker flags, or
// else from the build info: the module version that "go install
// module@version" records, and the VCS revision that "go build" records
// unless -buildvcs=false.
func readBuildInfo() buildInfo {
	info := buildInfo{version: Version, commit: Commit, goVer: runtime.Version(), published: Version != ""}
	bi, ok := debug.ReadBuildInfo()
	if ok {
		if info.version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.version = bi.Main.Version
			info.published = bi.Main.Sum != ""
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && info.commit == "":
				info.commit = s.Value
			case s.Key == "vcs.modified" && Commit == "":
				info.modified = s.Value == "true"
			}
		}
	}

	if info.version == "" {
		info.version = unknown
	}
	if info.commit == "" {
		info.commit = unknown
	}
	return info
}

func runVersion(_ context.Context, env *environment, args []string) error {
	fs := newFlagSet("version", "version", env.stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	info := readBuildInfo()
	commit := info.commit
	if info.modified {
		commit += " (modified)"
	}
	fmt.Fprintf(env.stdout, "plugit %s\ncommit %s\n%s %s/%s\n", info.version, commit, info.goVer, runtime.GOOS, runtime.GOARCH)
	return nil
}
