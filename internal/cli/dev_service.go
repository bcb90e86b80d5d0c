package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// devStartTimeout bounds how long a started service may take to respond to
// its first ping.
const devStartTimeout = 30 * time.Second

// devStopTimeout is how long a service may take to stop after SIGINT
// before it is killed.
const devStopTimeout = 10 * time.Second

// devService is a Go service that plugit dev builds from its folder and
// runs on a fixed loopback port, restarting it after Go changes.
type devService struct {
	dir    string
	binDir string
	bin    string
	addr   string
	logger *slog.Logger
	output io.Writer
	proc   *devProcess
}

// devProcess is one run of the service's binary.
type devProcess struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// newDevService checks that dir is a Go module and picks a free loopback
// port for the service.
func newDevService(env *environment, dir string) (*devService, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("cli: service folder %s: %w", dir, err)
	}

	if _, err := os.Stat(filepath.Join(abs, "go.mod")); err != nil {
		return nil, fmt.Errorf("%w: --service-dir %s has no go.mod file: give the folder of a Go module", errUsage, dir)
	}

	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}

	binDir, err := os.MkdirTemp("", "plugit-dev-")
	if err != nil {
		return nil, fmt.Errorf("cli: creating a folder for the service binary: %w", err)
	}

	return &devService{
		dir:    abs,
		binDir: binDir,
		bin:    filepath.Join(binDir, "service"),
		addr:   addr,
		logger: env.logger,
		output: env.stderr,
	}, nil
}

// freeLoopbackAddr returns a loopback address with a port that is free
// now. Another program may take the port before the service listens on
// it, and then the service fails to start and logs why.
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("cli: finding a free port for the service: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// url returns the service's base URL.
func (s *devService) url() string {
	return "http://" + s.addr + "/"
}

// close removes the folder of the service's binary.
func (s *devService) close() {
	if err := os.RemoveAll(s.binDir); err != nil {
		s.logger.Warn("cli: removing the service binary failed", "dir", s.binDir, "error", err)
	}
}

// buildAndStart builds the service and starts it.
func (s *devService) buildAndStart(ctx context.Context) error {
	if err := s.build(ctx); err != nil {
		return err
	}
	return s.start(ctx)
}

// build runs "go build" in the service's folder. When it fails, the
// compiler's output goes to the service's output as it is, since a log
// attribute would escape its line breaks.
func (s *devService) build(ctx context.Context) error {
	s.logger.Info("building the service", "dir", s.dir)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", s.bin, ".")
	cmd.Dir = s.dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() == nil {
			_, _ = s.output.Write(out.Bytes())
		}
		return fmt.Errorf("cli: building the service in %s failed, see the go build output above: %w", s.dir, err)
	}
	return nil
}

// start runs the built binary in the service's folder in development mode
// and waits until it responds to ping.
func (s *devService) start(ctx context.Context) error {
	_, port, _ := net.SplitHostPort(s.addr)
	cmd := exec.Command(s.bin)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "PLUGIT_LISTEN="+s.addr, "PORT="+port, "PLUGIT_DEV=1")
	cmd.Stdout = s.output
	cmd.Stderr = s.output
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cli: starting the service: %w", err)
	}

	proc := &devProcess{cmd: cmd, done: make(chan struct{})}
	go func() {
		proc.err = cmd.Wait()
		close(proc.done)
	}()
	s.proc = proc

	if err := waitForPing(ctx, s.url(), proc.done); err != nil {
		s.stop()
		return err
	}
	s.logger.Info("service process started", "url", s.url(), "pid", cmd.Process.Pid)
	return nil
}

// stop sends SIGINT to the running service, where the platform has it,
// and kills it when it has not stopped after devStopTimeout.
func (s *devService) stop() {
	proc := s.proc
	if proc == nil {
		return
	}
	s.proc = nil

	if err := proc.cmd.Process.Signal(os.Interrupt); err != nil {
		_ = proc.cmd.Process.Kill()
	}

	select {
	case <-proc.done:
	case <-time.After(devStopTimeout):
		s.logger.Warn("service did not stop in time, killing it", "pid", proc.cmd.Process.Pid, "timeout", devStopTimeout)
		_ = proc.cmd.Process.Kill()
		<-proc.done
	}
	s.logger.Info("service process stopped", "pid", proc.cmd.Process.Pid)
}

// exited returns a channel closed when the running service exits, and nil
// (blocking forever) when none runs.
func (s *devService) exited() <-chan struct{} {
	if s == nil || s.proc == nil {
		return nil
	}
	return s.proc.done
}

// reportExit logs a service that exited by itself.
func (s *devService) reportExit() {
	proc := s.proc
	s.proc = nil
	s.logger.Error("service exited: the proxy returns 502 pages until a Go file changes and the service restarts",
		"pid", proc.cmd.Process.Pid, "error", proc.err)
}

// waitForPing calls the service's ping every 100 ms until it responds with
// the token sent, the process exits, ctx ends or devStartTimeout passes.
func waitForPing(ctx context.Context, serviceURL string, exited <-chan struct{}) error {
	token := rand.Text()
	pingURL := serviceURL + "ping?data=" + url.QueryEscape(token)
	client := &http.Client{Timeout: time.Second}
	deadline := time.After(devStartTimeout)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()

	for {
		if pingAnswered(ctx, client, pingURL, token) {
			return nil
		}

		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-exited:
			return errors.New("cli: the service exited before responding to ping, see its output above")
		case <-deadline:
			return fmt.Errorf("cli: the service did not respond to ping on %s within %s", serviceURL, devStartTimeout)
		case <-tick.C:
		}
	}
}

func pingAnswered(ctx context.Context, client *http.Client, pingURL, token string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pingURL, nil)
	if err != nil {
		return false
	}

	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()

	var reply struct {
		Data string `json:"data"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&reply) != nil {
		return false
	}
	return reply.Data == token
}

// handleChanges rebuilds and restarts the service after a Go change, and
// logs template and media changes, which the service reads from disk.
func (s *devService) handleChanges(ctx context.Context, paths []string) {
	if len(paths) == 0 {
		return
	}

	templates, media, code := classifyChanges(paths)
	if len(templates) > 0 {
		s.logger.Info("templates changed: refresh the page", "files", templates)
	}
	if len(media) > 0 {
		s.logger.Info("media changed: refresh the page", "files", media)
	}
	if len(code) == 0 {
		return
	}

	s.logger.Info("Go files changed: rebuilding the service", "files", code)
	if err := s.build(ctx); err != nil {
		if ctx.Err() == nil {
			s.logger.Error("build failed: the previous service keeps running", "error", err)
		}
		return
	}

	s.stop()
	if err := s.start(ctx); err != nil && ctx.Err() == nil {
		s.logger.Error("restarting the service failed: fix the error and save a Go file to retry", "error", err)
	}
}
