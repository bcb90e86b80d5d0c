package proxy

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// ErrMailNotConfigured is returned by a Mailer that can't send mail.
var ErrMailNotConfigured = errors.New("proxy: mail is not configured")

// Mailer sends the mails services ask for through the API.
type Mailer interface {
	// Send sends m on behalf of the service.
	Send(ctx context.Context, serviceKey string, m MailMessage) error
}

// MailMessage is a mail a service sends through the API.
type MailMessage struct {
	// Sender is the From address; empty means the proxy's sender.
	Sender     string
	Dests      []string
	Subject    string
	Message    string
	HTML       bool
	ResponseID string
}

// serveAPIMail answers POST mail/: it validates the form and sends it.
func (p *Proxy) serveAPIMail(w http.ResponseWriter, r *http.Request, svc *serviceState) {
	if r.Method != http.MethodPost {
		writeAPIError(w, http.StatusMethodNotAllowed, "use POST for mail/")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeAPIError(w, http.StatusBadRequest, "invalid form: "+err.Error())
		return
	}

	m := MailMessage{
		Sender:     r.PostForm.Get("sender"),
		Dests:      r.PostForm["dests"],
		Subject:    r.PostForm.Get("subject"),
		Message:    r.PostForm.Get("message"),
		ResponseID: r.PostForm.Get("response_id"),
	}
	html := r.PostForm.Get("html_message")
	m.HTML = html != "" && !strings.EqualFold(html, "false")
	if m.Subject == "" || m.Message == "" || len(m.Dests) == 0 {
		writeAPIError(w, http.StatusBadRequest, "subject, message and at least one dests are required")
		return
	}

	if p.cfg.Mailer == nil {
		writeAPIError(w, http.StatusServiceUnavailable, ErrMailNotConfigured.Error())
		return
	}
	if err := p.cfg.Mailer.Send(r.Context(), svc.key, m); err != nil {
		if errors.Is(err, ErrMailNotConfigured) {
			writeAPIError(w, http.StatusServiceUnavailable, err.Error())
			return
		}
		p.logger.Error("proxy: sending mail failed", "service", svc.key, "error", err)
		writeAPIError(w, http.StatusBadGateway, "sending the mail failed")
		return
	}
	p.logger.Info("proxy: mail sent", "service", svc.key, "recipients", len(m.Dests))
	writeJSON(w, http.StatusOK, map[string]any{})
}
