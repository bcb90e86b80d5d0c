package service

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzServeMedia requests arbitrary media paths: only the files of the
// media file system may come back, never anything outside it.
func FuzzServeMedia(f *testing.F) {
	for _, seed := range []string{"style.css", "../secret.txt", "%2e%2e/secret.txt", "a/../style.css", "/etc/passwd", ".", ""} {
		f.Add(seed)
	}
	media := fstest.MapFS{"style.css": {Data: []byte("body{}")}, "img/logo.svg": {Data: []byte("<svg/>")}}
	svc, err := New(nil, WithMedia(media))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path string) {
		if strings.ContainsAny(path, " \t\r\n#?") {
			return
		}
		req, err := http.NewRequest(http.MethodGet, "http://service/media/"+path, nil)
		if err != nil {
			return
		}
		rec := httptest.NewRecorder()
		svc.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return
		}
		body := rec.Body.String()
		if body != "body{}" && body != "<svg/>" {
			t.Fatalf("media/%s served %q, which is not a media file", path, body)
		}
	})
}
