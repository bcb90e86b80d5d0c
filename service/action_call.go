package service

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// defaultCrossDomainMaxAge is the Access-Control-Max-Age of cross-domain
// actions that set none.
const defaultCrossDomainMaxAge = 6 * time.Hour

func (s *Service) serveAction(w http.ResponseWriter, r *http.Request, actionPath string) {
	a, params := s.findAction(actionPath)
	if a == nil {
		http.NotFound(w, r)
		return
	}

	if a.CrossDomain != nil {
		a.writeCORS(w.Header())
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusOK)
			return
		}
	}

	if !a.methods[r.Method] {
		w.Header().Set("Allow", a.allow)
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusOK)
			return
		}
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}

	resp, err := s.runHandler(a, &Request{Request: r, params: params})
	if err == nil {
		err = s.writeResponse(w, a, resp)
	}
	if err != nil {
		s.logger.Error("service: action failed", "action", a.Route, "path", r.URL.Path, "error", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
	}
}

// runHandler calls the action's handler and turns a panic into an error,
// so that one failing action can't take the service down.
func (s *Service) runHandler(a *action, r *Request) (resp *Response, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("service: action %q panicked: %v", a.Route, p)
		}
	}()

	resp, err = a.Handler(r)
	if err == nil && resp == nil {
		resp = Data(nil)
	}
	return resp, err
}

func (s *Service) writeResponse(w http.ResponseWriter, a *action, resp *Response) error {
	h := w.Header()
	for key, values := range resp.header {
		h[key] = values
	}

	if resp.status != http.StatusOK {
		w.WriteHeader(resp.status)
		return nil
	}

	for key, value := range resp.session {
		if err := checkHeaderValue(value); err != nil {
			return fmt.Errorf("service: session value %q: %w", key, err)
		}
		h.Set("EbuIo-PlugIt-SetSession-"+key, value)
	}

	switch {
	case resp.nullReply:
		h.Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "null")
		return nil
	case resp.file != nil:
		return writeFile(w, resp.file)
	case resp.redirect != "":
		if err := checkHeaderValue(resp.redirect); err != nil {
			return fmt.Errorf("service: redirect target: %w", err)
		}
		h.Set("EbuIo-PlugIt-Redirect", resp.redirect)
		if resp.noPrefix {
			h.Set("EbuIo-PlugIt-Redirect-NoPrefix", "True")
		}
	}

	data := resp.data
	if data == nil {
		// Only Status(http.StatusOK) leaves data nil. Its empty body is
		// empty data for the proxy, where JSON null would show its 404 page.
		return nil
	}

	if a.SendETag {
		data = moveETag(h, data)
	}

	body, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("service: encoding action data: %w", err)
	}

	h.Set("Content-Type", "application/json")
	_, _ = w.Write(body)
	return nil
}

func writeFile(w http.ResponseWriter, f *file) error {
	h := w.Header()
	h.Set("EbuIo-PlugIt-ItAFile", "True")
	h.Set("Content-Type", f.contentType)
	if f.disposition != "" {
		h.Set("Content-Disposition", f.disposition)
	}

	if closer, ok := f.body.(io.Closer); ok {
		defer closer.Close()
	}

	if _, err := io.Copy(w, f.body); err != nil {
		return fmt.Errorf("service: sending file: %w", err)
	}
	return nil
}

// moveETag removes the "_plugit_etag" key from map data and sends it as
// the ETag header.
func moveETag(h http.Header, data any) any {
	m, ok := data.(map[string]any)
	if !ok {
		return data
	}

	tag, ok := m["_plugit_etag"]
	if !ok {
		return data
	}

	rest := make(map[string]any, len(m)-1)
	for k, v := range m {
		if k != "_plugit_etag" {
			rest[k] = v
		}
	}
	h.Set("ETag", fmt.Sprint(tag))
	return rest
}

// checkHeaderValue rejects values that can't go in a header unchanged,
// such as a redirect target carrying CR or LF to inject headers.
func checkHeaderValue(v string) error {
	if i := strings.IndexFunc(v, func(c rune) bool { return c < 0x20 || c == 0x7f }); i >= 0 {
		return fmt.Errorf("invalid control character at offset %d in %q", i, v)
	}
	return nil
}

func (a *action) writeCORS(h http.Header) {
	cd := a.CrossDomain
	methods := cd.Methods
	if len(methods) == 0 {
		methods = a.Methods
	}

	maxAge := cd.MaxAge
	if maxAge == 0 {
		maxAge = defaultCrossDomainMaxAge
	}

	h.Set("Access-Control-Allow-Origin", cd.Origin)
	h.Set("Access-Control-Allow-Methods", strings.Join(methods, ", "))
	h.Set("Access-Control-Max-Age", strconv.Itoa(int(maxAge.Seconds())))
	if len(cd.Headers) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(cd.Headers, ", "))
	}
}
