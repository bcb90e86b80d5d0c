package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot returns the folder of the PlugIt-Go module that holds this
// package, which generated services build with through --plugit-src.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// runMain runs the plugit command and returns its exit status and output.
func runMain(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Main(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestNewServicePassesItsTests(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: runs go mod tidy and go test in a generated module")
	}
	root := repoRoot(t)
	work := t.TempDir()
	t.Chdir(work)

	code, stdout, stderr := runMain("new", "service", "hello", "--plugit-src", root)
	if code != 0 {
		t.Fatalf("plugit new exited with %d; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "plugit dev --service-dir .") {
		t.Errorf("output does not say how to run the service:\n%s", stdout)
	}

	cmd := exec.Command("go", "test", "-count=1", "-v", "./...")
	cmd.Dir = filepath.Join(work, "hello")
	cmd.Env = append(os.Environ(), "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=mod"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in the generated module failed: %v\n%s", err, out)
	}
	for _, test := range []string{"TestHomeThroughProxy", "TestHomeGreetsSimulatedMember", "TestMediaThroughProxy"} {
		if !strings.Contains(string(out), "--- PASS: "+test) {
			t.Errorf("generated test %s did not pass:\n%s", test, out)
		}
	}
}

func TestNewRejectsBadCommandLines(t *testing.T) {
	existing := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing kind", []string{"new"}, "name what to create"},
		{"unknown kind", []string{"new", "website", "hello"}, "name what to create"},
		{"missing name", []string{"new", "service", "--dir", "x"}, "NAME is missing"},
		{"uppercase name", []string{"new", "service", "Hello", "--plugit-version", "v0.1.0"}, `"Hello" must start with a lowercase letter`},
		{"hyphenated name", []string{"new", "service", "my-app", "--plugit-version", "v0.1.0"}, "invalid service name"},
		{"invalid module", []string{"new", "service", "hello", "--module", "a b", "--plugit-version", "v0.1.0"}, "invalid module path"},
		{"existing folder", []string{"new", "service", "hello", "--dir", existing, "--plugit-version", "v0.1.0"}, "folder already exists"},
		{"no version", []string{"new", "service", "hello"}, "give --plugit-version VERSION or --plugit-src DIR"},
		{"invalid version", []string{"new", "service", "hello", "--plugit-version", "1.0"}, `"1.0" is not a canonical semantic version`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			code, _, stderr := runMain(tt.args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
			if entries, _ := os.ReadDir("."); len(entries) > 0 {
				t.Errorf("files created despite the error: %v", entries)
			}
		})
	}
}

func TestNewWithoutTidyWritesModule(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "svc")
	code, stdout, stderr := runMain("new", "service", "hello", "--dir", dir, "--module", "example.org/hello",
		"--plugit-version", "v0.2.0", "--no-tidy")
	if code != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "Created the hello service in "+dir) {
		t.Errorf("output does not name the folder:\n%s", stdout)
	}

	goMod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"module example.org/hello\n", "require github.com/plugit-go/plugit v0.2.0\n"} {
		if !strings.Contains(string(goMod), want) {
			t.Errorf("go.mod lacks %q:\n%s", want, goMod)
		}
	}
}
