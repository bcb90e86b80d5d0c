package cli

import (
	"runtime"
	"strings"
	"testing"
)

func TestVersionWithoutBuildInfo(t *testing.T) {
	// Test binaries record neither a module version nor a VCS revision.
	code, stdout, stderr := runMain("version")
	if code != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", code, stderr)
	}

	want := "plugit unknown\ncommit unknown\n" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	if stdout != want {
		t.Errorf("output:\n%s\nwant:\n%s", stdout, want)
	}
}

func TestVersionFromLinkerFlags(t *testing.T) {
	oldVersion, oldCommit := Version, Commit
	t.Cleanup(func() { Version, Commit = oldVersion, oldCommit })
	Version, Commit = "v1.2.3", "0123abcd"

	_, stdout, _ := runMain("version")
	if !strings.HasPrefix(stdout, "plugit v1.2.3\ncommit 0123abcd\n") {
		t.Errorf("output does not show the linker values:\n%s", stdout)
	}
	if got := releaseVersion(); got != "v1.2.3" {
		t.Errorf("releaseVersion() = %q, want v1.2.3, the default of plugit new --plugit-version", got)
	}
}

func TestReleaseVersionRejectsNonReleases(t *testing.T) {
	oldVersion := Version
	t.Cleanup(func() { Version = oldVersion })

	for _, v := range []string{"", "dev", "v1.2", "v1.2.3+dirty"} {
		Version = v
		if got := releaseVersion(); got != "" {
			t.Errorf("releaseVersion() with Version %q = %q, want empty", v, got)
		}
	}
}
