package proxy

import (
	"bytes"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
)

// httpError is an error with the status and the message a user sees.
type httpError struct {
	status  int
	title   string
	message string
	detail  string // shown only in debug mode
	err     error  // logged, never shown
}

func (e *httpError) Error() string {
	if e.err != nil {
		return e.message + ": " + e.err.Error()
	}
	return e.message
}

func (e *httpError) Unwrap() error { return e.err }

func badRequest(message string) error {
	return &httpError{status: http.StatusBadRequest, title: "Bad request", message: message}
}

func forbidden(message string) error {
	return &httpError{status: http.StatusForbidden, title: "Access denied", message: message}
}

// toHTTPError maps an error of the page pipeline to what the user sees.
func (p *Proxy) toHTTPError(name string, err error) *httpError {
	var he *httpError
	if errors.As(err, &he) {
		return he
	}

	switch {
	case errors.Is(err, errClientBody):
		return &httpError{status: http.StatusBadRequest, title: "Upload failed",
			message: "The form or file you sent was cut off or malformed. Send it again.", err: err}
	case errors.Is(err, errNotFound):
		return &httpError{status: http.StatusNotFound, title: "Page not found",
			message: "This page does not exist."}
	case errors.Is(err, errServiceTimeout):
		return &httpError{status: http.StatusGatewayTimeout, title: "Service timed out",
			message: "The service " + name + " did not answer in time. Try again later.", err: err}
	case errors.Is(err, errCircuitOpen), errors.Is(err, errServiceBusy):
		return &httpError{status: http.StatusServiceUnavailable, title: "Service unavailable",
			message: "The service " + name + " is temporarily unavailable. Try again in a moment.", err: err}
	case errors.Is(err, errInvalidReply):
		return &httpError{status: http.StatusBadGateway, title: "Invalid reply",
			message: "The service " + name + " sent a reply the proxy can't use. Its team has to fix it.", err: err}
	case errors.Is(err, errServiceUnavailable):
		return &httpError{status: http.StatusBadGateway, title: "Service unavailable",
			message: "The service " + name + " is unavailable. Try again later.", err: err}
	}
	he = &httpError{status: http.StatusInternalServerError, title: "Server error",
		message: "Something went wrong while showing this page.", err: err}
	var te *templateError
	if errors.As(err, &te) {
		he.message = "The template of this page has an error."
		he.detail = te.err.Error()
	}
	return he
}

// fail logs err once and answers the error page.
func (p *Proxy) fail(w http.ResponseWriter, r *http.Request, err error) {
	st := stateFrom(r.Context())
	svc := st.service
	he := p.toHTTPError(svc.displayName(), err)
	p.metrics.observeUpstreamError(st, err)
	level := slog.LevelInfo
	if he.status >= 500 {
		level = slog.LevelError
	}
	p.logger.LogAttrs(r.Context(), level, "proxy: request failed",
		slog.String("request_id", requestID(r.Context())),
		slog.String("service", svc.displayName()),
		slog.String("action", svc.actionPath(r)),
		slog.Int("status", he.status),
		slog.String("error", he.Error()))

	p.writeErrorPage(w, r, he)
}

// writeErrorPage answers the error page in the layout.
func (p *Proxy) writeErrorPage(w http.ResponseWriter, r *http.Request, he *httpError) {
	backURL, backName := "/", p.cfg.PlatformName
	if svc := stateFrom(r.Context()).service; svc != nil {
		backURL, backName = svc.basePath, svc.name
	}
	data := map[string]any{
		"Status":   he.status,
		"Title":    he.title,
		"Message":  he.message,
		"BackURL":  backURL,
		"BackName": backName,
	}
	if p.cfg.Debug {
		data["Detail"] = he.detail
	}

	var content bytes.Buffer
	if err := p.layouts.ExecuteTemplate(&content, "error_content", data); err != nil {
		p.logger.Error("proxy: rendering error page", "error", err)
		http.Error(w, he.message, he.status)
		return
	}

	page := p.layoutData(r, he.title, template.HTML(content.String()), "")
	p.writeLayout(w, he.status, page)
}
