package mail

import (
	"bytes"
	"context"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/mail/internal/mailtest"
)

// buildPlugit builds the plugit command into a temporary folder.
func buildPlugit(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go tool not found in PATH: %v", err)
	}

	binary := filepath.Join(t.TempDir(), "plugit")
	cmd := exec.Command(goTool, "build", "-o", binary, "github.com/plugit-go/plugit/cmd/plugit")
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building plugit: %v\n%s", err, output)
	}
	return binary
}

// TestCheckMailCommand runs the plugit binary's check-mail command.
func TestCheckMailCommand(t *testing.T) {
	binary := buildPlugit(t)
	t.Run("delivers", func(t *testing.T) { testCheckMailDelivers(t, binary) })
	t.Run("usage errors", func(t *testing.T) { testCheckMailUsage(t, binary) })
}

// testCheckMailDelivers runs "plugit check-mail" over POP3 with some flags
// from the environment, as an operator's cron job would.
func testCheckMailDelivers(t *testing.T, binary string) {
	dovecot := mailtest.StartDovecot(t)
	service := startTestService(t)

	token, err := newTestCodec(t, 1).Encode("polls", "vote-9")
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	tagged := "no-reply+" + token + "@example.org"
	dovecot.Append(t, []byte("From: ann@example.org\r\nTo: <"+tagged+">\r\nSubject: Re\r\n\r\nCount me in\r\n"))
	dovecot.Append(t, []byte("From: bob@example.org\r\nTo: no-reply@example.org\r\nSubject: Hello\r\n\r\nNo tag\r\n"))

	dir := t.TempDir()
	passwordFile := filepath.Join(dir, "password")
	keyFile := filepath.Join(dir, "key")
	mustWriteFile(t, passwordFile, dovecot.Password+"\n")
	mustWriteFile(t, keyFile, hex.EncodeToString(testKey(1))+"\n")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "check-mail", "--pop3", dovecot.POP3Addr, "--tls", "none",
		"--user", dovecot.User, "--from", "PlugIt <no-reply@example.org>")
	cmd.Env = append(os.Environ(),
		"PLUGIT_PASSWORD_FILE="+passwordFile,
		"PLUGIT_TOKEN_KEY_FILE="+keyFile,
		"PLUGIT_SERVICES=polls="+service.URL+"/",
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("plugit check-mail: %v\nstderr:\n%s", err, &stderr)
	}
	t.Logf("output:\n%s\nlog:\n%s", &stdout, &stderr)

	want := "2 messages: 1 delivered, 0 automatic replies deleted, 1 rejected (left in the inbox), 0 failed"
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("output %q; want the summary %q", &stdout, want)
	}
	if !strings.Contains(stderr.String(), "message left in the inbox") {
		t.Errorf("log lacks the rejected message:\n%s", &stderr)
	}
	if got := service.replies(); len(got) != 1 || got[0].responseID != "vote-9" || got[0].message != "Count me in\n" {
		t.Errorf("service received %+v; want the tagged reply", got)
	}
	if n := len(dovecot.Messages(t)); n != 1 {
		t.Errorf("inbox has %d messages after the check; want the untagged one", n)
	}
}

func testCheckMailUsage(t *testing.T, binary string) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{}, "--imap or --pop3 is required"},
		{[]string{"--imap", "127.0.0.1:1", "--pop3", "127.0.0.1:2"}, "not both"},
		{[]string{"--imap", "127.0.0.1:1", "--tls", "ssl"}, "invalid TLS mode"},
		{[]string{"--imap", "127.0.0.1:1", "--user", "u"}, "--user and --password-file are required"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			cmd := exec.Command(binary, append([]string{"check-mail"}, tt.args...)...)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
			output, err := cmd.CombinedOutput()
			exitErr, ok := err.(*exec.ExitError)
			if !ok || exitErr.ExitCode() != 2 {
				t.Fatalf("exit status %v; want 2 for a usage error\n%s", err, output)
			}
			if !strings.Contains(string(output), tt.want) {
				t.Errorf("output %q; want %q", output, tt.want)
			}
		})
	}
}

func mustWriteFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatalf("writing %s: %v", path, err)
	}
}
