package djtemplate

import (
	"context"
	"os/exec"
	"time"
)

// runCommand runs a program with a time limit and returns its output.
func runCommand(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()

	return string(out), err
}
