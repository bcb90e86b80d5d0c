package main

import (
	"net/http"
	"strconv"
	"sync/atomic"
)

// pageHeaders are the response headers the plain handler copies from the
// proxy's page.
var pageHeaders = []string{"Content-Type", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"}

// plainPage serves fixed page bytes with fixed headers. It is the
// baseline for the proxy's cached page: what net/http alone costs to send
// the same bytes.
type plainPage struct {
	page atomic.Pointer[pageBytes]
}

type pageBytes struct {
	header http.Header
	body   []byte
}

func (p *plainPage) set(from http.Header, body []byte) {
	h := http.Header{}
	for _, name := range pageHeaders {
		if v := from.Get(name); v != "" {
			h.Set(name, v)
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	p.page.Store(&pageBytes{header: h, body: body})
}

func (p *plainPage) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	page := p.page.Load()
	if page == nil {
		http.Error(w, "page not captured yet", http.StatusServiceUnavailable)
		return
	}

	h := w.Header()
	for k, v := range page.header {
		h[k] = v
	}
	_, _ = w.Write(page.body)
}
