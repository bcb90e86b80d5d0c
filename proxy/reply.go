package proxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// corsHeaders are the reply headers of an action forwarded to the browser.
var corsHeaders = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
	"Access-Control-Expose-Headers", "Access-Control-Max-Age",
	"Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
}

// passedStatuses are the action statuses sent to the browser as they are.
var passedStatuses = map[int]bool{
	http.StatusNotModified: true, http.StatusUnauthorized: true, http.StatusForbidden: true,
	http.StatusNotFound: true, http.StatusTooManyRequests: true,
}

// handleSpecialReply answers the replies that are not a page to render:
// statuses, redirects, files, OPTIONS, json_only and xml_only. It reports
// whether it answered.
func (p *Proxy) handleSpecialReply(w http.ResponseWriter, r *http.Request, meta *Meta, reply *actionReply) (bool, error) {
	svc := stateFrom(r.Context()).service
	resp := reply.resp
	switch {
	case resp.StatusCode == http.StatusInternalServerError:
		return true, fmt.Errorf("proxy: service %s: action returned status 500", svc.name)
	case passedStatuses[resp.StatusCode]:
		copyHeaders(w.Header(), resp.Header, append(corsHeaders, "ETag"))
		w.WriteHeader(resp.StatusCode)
		return true, nil
	case resp.StatusCode != http.StatusOK:
		return true, fmt.Errorf("%w: action returned status %d", errNotFound, resp.StatusCode)
	}

	if err := p.storeSessionValues(r, resp.Header); err != nil {
		return true, err
	}

	if target := resp.Header.Get("EbuIo-PlugIt-Redirect"); target != "" {
		return true, p.redirect(w, r, target, isTrue(resp.Header.Get("EbuIo-PlugIt-Redirect-NoPrefix")))
	}

	if isTrue(resp.Header.Get("EbuIo-PlugIt-ItAFile")) {
		return true, p.sendFile(w, svc, resp)
	}

	if r.Method == http.MethodOptions {
		copyHeaders(w.Header(), resp.Header, corsHeaders)
		w.WriteHeader(http.StatusOK)
		return true, nil
	}

	if meta.JSONOnly || meta.XMLOnly {
		return true, p.sendData(w, r, meta, resp)
	}
	return false, nil
}

func isTrue(v string) bool {
	return strings.EqualFold(strings.TrimSpace(v), "true")
}

func copyHeaders(dst, src http.Header, names []string) {
	for _, name := range names {
		if v := src.Get(name); v != "" {
			dst.Set(name, v)
		}
	}
}

// storeSessionValues keeps the session values an action set. Keys are
// lowercased; only letters, digits, "-" and "_" are accepted.
func (p *Proxy) storeSessionValues(r *http.Request, h http.Header) error {
	st := stateFrom(r.Context())
	svc := st.service
	changed := false
	for name, values := range h {
		key, ok := strings.CutPrefix(strings.ToLower(name), "ebuio-plugit-setsession-")
		if !ok || len(values) == 0 {
			continue
		}
		if !validSessionKey(key) {
			p.logger.Warn("proxy: ignoring invalid session key", "service", svc.name, "key", key)
			continue
		}
		if !utf8.ValidString(values[0]) {
			p.logger.Warn("proxy: ignoring a session value that is not UTF-8", "service", svc.name, "key", key)
			continue
		}
		st.session.SetValue(svc.key, key, values[0])
		changed = true
	}

	if !changed {
		return nil
	}
	return p.saveSession(r.Context(), st.session)
}

func validSessionKey(key string) bool {
	if key == "" || len(key) > 64 {
		return false
	}
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// redirect answers 302 to the service's base path plus target, or to
// target as it is when noPrefix is set.
func (p *Proxy) redirect(w http.ResponseWriter, r *http.Request, target string, noPrefix bool) error {
	svc := stateFrom(r.Context()).service
	if strings.ContainsAny(target, "\r\n") {
		return fmt.Errorf("proxy: service %s sent a redirect target with CR or LF", svc.name)
	}
	if !noPrefix {
		target = svc.basePath + strings.TrimLeft(target, "/")
	}
	w.Header().Set("Location", target)
	w.WriteHeader(http.StatusFound)
	return nil
}

// sendFile streams a file reply with its content type and disposition.
func (p *Proxy) sendFile(w http.ResponseWriter, svc *serviceState, resp *http.Response) error {
	h := w.Header()
	contentType := resp.Header.Get("Content-Type")
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	if cd := resp.Header.Get("Content-Disposition"); cd != "" {
		h.Set("Content-Disposition", cd)
	}
	if resp.ContentLength >= 0 {
		h.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	w.WriteHeader(http.StatusOK)
	_, err := io.Copy(w, resp.Body)
	if err != nil {
		p.logger.Warn("proxy: file transfer interrupted", "service", svc.name, "error", err)
	}
	return nil
}

// sendData answers a json_only or xml_only action with its data.
func (p *Proxy) sendData(w http.ResponseWriter, r *http.Request, meta *Meta, resp *http.Response) error {
	svc := stateFrom(r.Context()).service
	body, err := readLimited(resp.Body, maxServiceBody)
	if err != nil {
		return fmt.Errorf("%w: %s: reading action reply: %w", errServiceUnavailable, svc.name, err)
	}

	h := w.Header()
	copyHeaders(h, resp.Header, append(corsHeaders, "ETag"))
	h.Set("X-Content-Type-Options", "nosniff")
	if meta.XMLOnly {
		var data struct {
			XML string `json:"xml"`
		}
		if err := json.Unmarshal(body, &data); err != nil {
			return fmt.Errorf("%w: %s: xml_only reply: %w", errServiceUnavailable, svc.name, err)
		}
		h.Set("Content-Type", "application/xml")
		_, _ = io.WriteString(w, data.XML)
		return nil
	}

	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return errNotFound
	}
	if strings.Contains(r.Header.Get("Accept"), "json") {
		h.Set("Content-Type", "application/json")
	} else {
		// The original sent text/html here; text/plain keeps a browser from
		// running markup that the data may contain.
		h.Set("Content-Type", "text/plain; charset=utf-8")
	}
	_, _ = w.Write(body)
	return nil
}
