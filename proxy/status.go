package proxy

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"time"
)

// statusRow is a deployment on the status page.
type statusRow struct {
	Service    string
	Deployment string
	Up         bool
	Checked    string
	Latency    string
	Breaker    string
	Error      string
}

// handleStatus shows the health and circuit state of every deployment.
func (p *Proxy) handleStatus(w http.ResponseWriter, r *http.Request) error {
	if st := stateFrom(r.Context()); p.cfg.Accounts != nil && !st.user.PlatformAdmin {
		return forbidden("Only platform administrators may see the service status.")
	}
	var rows []statusRow
	for _, su := range p.upstreams() {
		checked, up, latency, errText := su.upstream.health.get()
		row := statusRow{
			Service:    su.service.name,
			Deployment: su.upstream.name,
			Up:         up,
			Breaker:    su.upstream.client.breaker.State().String(),
		}
		// Errors may name internal addresses, so only debug mode shows
		// them; the log has them always.
		if p.cfg.Debug {
			row.Error = errText
		}
		if !checked.IsZero() {
			row.Checked = checked.UTC().Format(time.RFC3339)
			row.Latency = latency.Round(time.Millisecond).String()
		}
		rows = append(rows, row)
	}

	var content bytes.Buffer
	if err := p.layouts.ExecuteTemplate(&content, "status_content", map[string]any{"Rows": rows}); err != nil {
		return fmt.Errorf("proxy: rendering status page: %w", err)
	}
	p.writeLayout(w, http.StatusOK, p.layoutData(r, "Service status", template.HTML(content.String()), ""))
	return nil
}
