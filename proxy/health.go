package proxy

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/plugit-go/plugit/internal/session"
)

// defaultHealthInterval is the time between two health checks of a
// deployment.
const defaultHealthInterval = 30 * time.Second

// health is the result of a deployment's last health check.
type health struct {
	mu      sync.Mutex
	checked time.Time
	up      bool
	latency time.Duration
	err     string
}

func (h *health) set(up bool, latency time.Duration, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checked, h.up, h.latency, h.err = time.Now(), up, latency, ""
	if err != nil {
		h.err = err.Error()
	}
}

func (h *health) get() (checked time.Time, up bool, latency time.Duration, errText string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.checked, h.up, h.latency, h.err
}

// checkHealth calls ping with a random token and version, and reports
// whether the deployment answered both as the protocol requires.
func (u *upstream) checkHealth(ctx context.Context) error {
	token := session.RandomToken()[:32]
	status, _, body, err := u.client.getBody(ctx, "ping", url.Values{"data": {token}}, callHeader(ctx))
	if err != nil {
		return err
	}
	var ping struct {
		Data string `json:"data"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &ping) != nil || ping.Data != token {
		return fmt.Errorf("ping returned status %d without the token", status)
	}

	status, _, body, err = u.client.getBody(ctx, "version", nil, callHeader(ctx))
	if err != nil {
		return err
	}
	var version struct {
		Version  string `json:"version"`
		Protocol string `json:"protocol"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &version) != nil {
		return fmt.Errorf("version returned status %d or invalid JSON", status)
	}
	if version.Version != "1" || version.Protocol != "EBUio-PlugIt" {
		return fmt.Errorf("version is %q with protocol %q, want 1 and EBUio-PlugIt", version.Version, version.Protocol)
	}
	return nil
}

// upstreams returns every deployment of every service, with its service.
func (p *Proxy) upstreams() []serviceUpstream {
	var services []*serviceState
	if p.cfg.Hosted {
		services = p.services.Load().order
	} else {
		services = []*serviceState{p.service}
	}

	var list []serviceUpstream
	for _, svc := range services {
		list = append(list, serviceUpstream{svc, svc.primary})
		for _, sh := range svc.shadows {
			list = append(list, serviceUpstream{svc, sh.upstream})
		}
	}
	return list
}

type serviceUpstream struct {
	service  *serviceState
	upstream *upstream
}

// CheckHealth checks every deployment once, in parallel.
func (p *Proxy) CheckHealth(ctx context.Context) {
	var wg sync.WaitGroup
	for _, su := range p.upstreams() {
		wg.Go(func() {
			start := time.Now()
			err := su.upstream.checkHealth(ctx)
			su.upstream.health.set(err == nil, time.Since(start), err)
			up := 0.0
			if err == nil {
				up = 1
			} else {
				p.logger.Warn("proxy: health check failed", "service", su.service.key,
					"deployment", su.upstream.name, "error", err)
			}
			p.metrics.serviceUp.WithLabelValues(su.service.key, su.upstream.name).Set(up)
		})
	}
	wg.Wait()
}

// RunHealthChecks checks every deployment at each interval until ctx ends.
// Zero means every 30 seconds.
func (p *Proxy) RunHealthChecks(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = defaultHealthInterval
	}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		p.CheckHealth(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// handleHealthz answers 200 while the process serves requests.
func (p *Proxy) handleHealthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// handleReadyz answers 200 when the proxy can serve pages: its session
// store answers. A broken service doesn't make the proxy unready, since
// the other services still work.
func (p *Proxy) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := p.sessions.Load(ctx, "readiness-probe"); err != nil && !isNotFound(err) {
		p.logger.Error("proxy: not ready: session store failed", "error", err)
		http.Error(w, "session store unavailable\n", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ready\n"))
}
