package mailtest

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dovecotProcess is a running dovecot master process.
type dovecotProcess struct {
	cmd *exec.Cmd
	// exited is closed when the process has ended, and err is then its
	// exit error.
	exited chan struct{}
	err    error
}

// start runs dovecot in the foreground, in a process group of its own so
// that stopping it also stops its children.
func (d *Dovecot) start(t testing.TB, binary string) *dovecotProcess {
	output, err := os.Create(filepath.Join(d.dir, "output.log"))
	if err != nil {
		t.Fatalf("creating Dovecot output file: %v", err)
	}
	t.Cleanup(func() { output.Close() })

	cmd := exec.Command(binary, "-F", "-c", filepath.Join(d.dir, "dovecot.conf"))
	cmd.Stdout = output
	cmd.Stderr = output
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", binary, err)
	}

	process := &dovecotProcess{cmd: cmd, exited: make(chan struct{})}
	go func() {
		process.err = cmd.Wait()
		close(process.exited)
	}()
	return process
}

// waitReady waits up to 15 seconds for both greetings, and fails at once
// when dovecot exits.
func (d *Dovecot) waitReady(t testing.TB, process *dovecotProcess) {
	deadline := time.Now().Add(15 * time.Second)
	for _, addr := range []string{d.IMAPAddr, d.POP3Addr} {
		for {
			err := readGreeting(addr)
			if err == nil {
				break
			}

			select {
			case <-process.exited:
				t.Fatalf("Dovecot exited before serving %s: %v (its output follows)", addr, process.err)
			case <-time.After(50 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("Dovecot not ready on %s after 15s: %v (its output follows)", addr, err)
			}
		}
	}
}

func readGreeting(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()

	if err := conn.SetDeadline(time.Now().Add(2 * time.Second)); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+OK") && !strings.HasPrefix(line, "* OK") {
		return errors.New("unexpected greeting " + line)
	}
	return nil
}

// stop sends SIGTERM to the process group, and SIGKILL when the master
// has not ended after 10 seconds.
func (p *dovecotProcess) stop(t testing.TB) {
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)

	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		t.Logf("Dovecot still running 10s after SIGTERM: sending SIGKILL")
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.exited
	}
}

func (d *Dovecot) logServerOutput(t testing.TB) {
	for _, name := range []string{"output.log", "dovecot.log"} {
		content, err := os.ReadFile(filepath.Join(d.dir, name))
		if err == nil && len(content) > 0 {
			t.Logf("Dovecot %s:\n%s", name, content)
		}
	}
}

// freePorts returns n addresses on 127.0.0.1 whose ports were free a moment
// ago. Another process may take one before Dovecot binds it, which makes
// the start fail with a clear log line.
func freePorts(t testing.TB, n int) []string {
	listeners := make([]net.Listener, 0, n)
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()

	addrs := make([]string, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("finding a free port: %v", err)
		}
		listeners = append(listeners, l)
		addrs = append(addrs, l.Addr().String())
	}
	return addrs
}

func port(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

func randomHex(t testing.TB) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("reading random bytes: %v", err)
	}
	return hex.EncodeToString(b)
}

func mustMkdir(t testing.TB, dir string) {
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatalf("creating %s: %v", dir, err)
	}
}

func mustWrite(t testing.TB, path string, content []byte) {
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatalf("writing %s: %v", path, err)
	}
}
