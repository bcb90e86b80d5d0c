package proxy

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// handleMedia forwards GET media/<path> to the service: public files, so
// no user data, session or query string goes with it.
func (p *Proxy) handleMedia(w http.ResponseWriter, r *http.Request, path string) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		return &httpError{status: http.StatusMethodNotAllowed, title: "Method not allowed",
			message: "Media files can only be read."}
	}
	if !validMediaPath(path) {
		return errNotFound
	}

	st := stateFrom(r.Context())
	svc, client := st.service, st.upstream.client
	req, err := http.NewRequestWithContext(r.Context(), r.Method, client.url("media/"+path, nil), nil)
	if err != nil {
		return fmt.Errorf("%w: %s: building media request: %w", errServiceUnavailable, svc.name, err)
	}
	req.Header = callHeader(r.Context())

	resp, cancel, err := client.do(req)
	if err != nil {
		return err
	}
	defer cancel()
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: media %s returned status %d", errNotFound, path, resp.StatusCode)
	}

	h := w.Header()
	h.Set("Content-Type", headerOr(resp.Header, "Content-Type", "application/octet-stream"))
	h.Set("Cache-Control", headerOr(resp.Header, "Cache-Control", "public, max-age=3600"))
	h.Set("X-Content-Type-Options", "nosniff")
	if resp.ContentLength >= 0 {
		h.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, resp.Body); err != nil {
		p.logger.Warn("proxy: media transfer interrupted", "service", svc.name, "path", path, "error", err)
	}
	return nil
}

// validMediaPath rejects empty paths and paths with "..", "." or empty
// segments, so that a media request can't leave the service's media/.
func validMediaPath(path string) bool {
	if path == "" || strings.ContainsAny(path, "\\\x00") {
		return false
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

func headerOr(h http.Header, name, fallback string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	return fallback
}
