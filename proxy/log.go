package proxy

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/plugit-go/plugit/internal/session"
)

type requestIDKey struct{}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// statusRecorder records the status and size of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests gives each request an id and writes one access log entry per
// request, at ERROR level for statuses of 500 and above. A panic below it
// becomes the 500 page.
func (p *Proxy) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := session.RandomToken()[:16]
		ctx := context.WithValue(r.Context(), requestIDKey{}, id)
		r = r.WithContext(context.WithValue(ctx, stateKey{}, &requestState{}))
		rec := &statusRecorder{ResponseWriter: w}

		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				p.logger.Error("proxy: panic while serving request", "request_id", id, "panic", v, "stack", string(debug.Stack()))
				if rec.status == 0 {
					p.writeErrorPage(rec, r, p.toHTTPError("", nil))
				}
			}
			p.logAccess(r, rec, time.Since(start))
		}()

		next.ServeHTTP(rec, r)
	})
}

func (p *Proxy) logAccess(r *http.Request, rec *statusRecorder, duration time.Duration) {
	level := slog.LevelInfo
	if rec.status >= 500 {
		level = slog.LevelError
	}

	attrs := []slog.Attr{
		slog.String("request_id", requestID(r.Context())),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", rec.status),
		slog.Int64("size", rec.bytes),
		slog.Duration("duration", duration),
		slog.String("client_ip", r.RemoteAddr),
	}
	if st := stateFrom(r.Context()); st != nil && st.session != nil && !st.user.Anonymous() {
		attrs = append(attrs, slog.Int64("user_id", st.user.PK))
	}
	p.logger.LogAttrs(r.Context(), level, "handled request", attrs...)
	p.metrics.observeRequest(stateFrom(r.Context()), r, rec.status, duration)
}

// observeUpstream logs which deployment serves a request when it is a
// shadow, so that shadow traffic can be followed.
func (p *Proxy) observeUpstream(r *http.Request, st *requestState) {
	if st.upstream == nil {
		return
	}
	p.metrics.deployments.WithLabelValues(st.service.key, st.upstream.name).Inc()
	if st.upstream.name == "primary" {
		return
	}
	p.logger.LogAttrs(r.Context(), slog.LevelInfo, "proxy: routed to shadow deployment",
		slog.String("request_id", requestID(r.Context())),
		slog.String("service", st.service.name),
		slog.String("deployment", st.upstream.name))
}
