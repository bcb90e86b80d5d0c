package service

import (
	"encoding/json"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// allowMethods answers 405 unless the request uses one of methods; OPTIONS
// gets 200 with the Allow header.
func allowMethods(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	allow := strings.Join(append(methods, http.MethodOptions), ", ")
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}

	w.Header().Set("Allow", allow)
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusOK)
		return false
	}

	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

func (s *Service) serveVersion(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{
		"result":   "Ok",
		"version":  ProtocolVersion,
		"protocol": s.protocolName,
	})
}

func (s *Service) servePing(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"data": r.URL.Query().Get("data")})
}

func (s *Service) serveMail(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodPost) {
		return
	}

	if err := r.ParseForm(); err != nil {
		http.Error(w, "invalid form: "+err.Error(), http.StatusBadRequest)
		return
	}

	values, ok := r.PostForm["response_id"]
	if !ok {
		http.Error(w, "missing form field response_id", http.StatusBadRequest)
		return
	}

	if values[0] == "" {
		writeJSON(w, http.StatusOK, map[string]string{"result": "Error"})
		return
	}

	if s.mail != nil {
		if err := s.mail(r, values[0], r.PostForm.Get("message")); err != nil {
			s.logger.Error("service: mail handler failed", "response_id", values[0], "error", err)
			writeJSON(w, http.StatusOK, map[string]string{"result": "Error"})
			return
		}
	}

	writeJSON(w, http.StatusOK, map[string]string{"result": "Ok"})
}

func (s *Service) serveMeta(w http.ResponseWriter, r *http.Request, actionPath string) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}

	a, _ := s.findAction(actionPath)
	if a == nil {
		http.NotFound(w, r)
		return
	}

	maxAge := s.metaMaxAge()
	w.Header().Set("Expire", time.Now().Add(maxAge).UTC().Format(http.TimeFormat))
	w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(int(maxAge.Seconds())))
	writeJSON(w, http.StatusOK, a.meta())
}

func (s *Service) serveTemplate(w http.ResponseWriter, r *http.Request, actionPath string) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}

	a, _ := s.findAction(actionPath)
	if a == nil || a.Template == "" {
		http.NotFound(w, r)
		return
	}

	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(s.templateText[a.Template])
}

// serveMedia serves a file of the media file system. fs.FS paths can't
// escape their root, and invalid paths ("..", absolute) are rejected.
func (s *Service) serveMedia(w http.ResponseWriter, r *http.Request, name string) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}

	if s.media == nil || !fs.ValidPath(name) || name == "." {
		http.NotFound(w, r)
		return
	}

	data, err := fs.ReadFile(s.media, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}

	contentType := mime.TypeByExtension(path.Ext(name))
	if contentType == "" {
		contentType = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}
