package proxy

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func FuzzParseMeta(f *testing.F) {
	f.Add([]byte(`{"template_tag": "abc", "only_logged_user": true, "cache_time": 5, "cache_by_user": null}`))
	f.Add([]byte(`{"template_tag": "", "address_in_networks": ["127.0.0.1/24", "::1/128"], "user_info": ["pk"]}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"cache_time": -1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := ParseMeta(body)
		if err != nil {
			return
		}
		if m.CacheTime < 0 {
			t.Fatalf("accepted a negative cache_time %v", m.CacheTime)
		}
		if len(m.networks) != len(m.AddressInNetworks) {
			t.Fatalf("parsed %d of %d networks", len(m.networks), len(m.AddressInNetworks))
		}
	})
}

func FuzzMetaTTL(f *testing.F) {
	f.Add("Mon, 02 Jan 2006 15:04:05 GMT")
	f.Add("")
	f.Add("yesterday")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, expire string) {
		ttl := metaTTL(expire, now)
		if _, err := http.ParseTime(expire); err != nil && ttl != defaultMetaTTL {
			t.Fatalf("invalid Expire %q gave %v, want the default", expire, ttl)
		}
	})
}

func FuzzValidMediaPath(f *testing.F) {
	for _, seed := range []string{"style.css", "img/a.png", "../etc/passwd", "a/../../b", "a//b", "./a", `a\b`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, path string) {
		if !validMediaPath(path) {
			return
		}
		for _, seg := range strings.Split(path, "/") {
			if seg == ".." || seg == "." || seg == "" {
				t.Fatalf("accepted %q with segment %q", path, seg)
			}
		}
	})
}

func FuzzSessionKey(f *testing.F) {
	for _, seed := range []string{"a", "user-id", "A", "x y", "ä", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if validSessionKey(key) && strings.ContainsAny(key, " \r\n:;=\x00") {
			t.Fatalf("accepted session key %q", key)
		}
	})
}

// FuzzRedirect checks that a service's redirect never becomes a header
// injection, and that without the no-prefix flag it stays on the proxy.
func FuzzRedirect(f *testing.F) {
	for _, seed := range []string{"/target", "//evil.example", "http://evil.example/", "a\r\nSet-Cookie: x=1", `/\evil`} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	p := &Proxy{}
	svc := &serviceState{basePath: "/plugIt/"}
	f.Fuzz(func(t *testing.T, target string, noPrefix bool) {
		r := httptest.NewRequest(http.MethodGet, "/plugIt/x", nil)
		r = r.WithContext(withTestState(r, &requestState{service: svc}))
		w := httptest.NewRecorder()
		err := p.redirect(w, r, target, noPrefix)
		if strings.ContainsAny(target, "\r\n") {
			if err == nil {
				t.Fatalf("redirect to %q with CR or LF accepted", target)
			}
			return
		}
		loc := w.Header().Get("Location")
		if !noPrefix && (!strings.HasPrefix(loc, "/plugIt/") || strings.HasPrefix(loc, "//")) {
			t.Fatalf("redirect %q left the proxy: Location %q", target, loc)
		}
	})
}

// FuzzMultipartForward feeds arbitrary multipart bodies to the streaming
// copy: it must not panic, must drop reserved fields and must keep the
// others.
func FuzzMultipartForward(f *testing.F) {
	f.Add("note", "hello", "f", "data", false)
	f.Add("ebuio_u_pk", "-3", "csrfmiddlewaretoken", "x", true)
	f.Fuzz(func(t *testing.T, name, value, fileField, fileBody string, truncate bool) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField(name, value)
		fw, err := mw.CreateFormFile(fileField, "upload.bin")
		if err != nil {
			return
		}
		_, _ = io.WriteString(fw, fileBody)
		_ = mw.Close()
		data := body.Bytes()
		if truncate && len(data) > 10 {
			data = data[:len(data)/2]
		}

		pending := &pendingMultipart{reader: multipart.NewReader(bytes.NewReader(data), mw.Boundary())}
		var out bytes.Buffer
		outWriter := multipart.NewWriter(&out)
		err = copyMultipart(outWriter, pending, url.Values{"ebuio_u_pk": {"1"}})
		if err != nil {
			return
		}
		_ = outWriter.Close()

		form, err := multipart.NewReader(&out, outWriter.Boundary()).ReadForm(1 << 20)
		if err != nil {
			t.Fatalf("forwarded body does not parse: %v", err)
		}
		if got := form.Value["ebuio_u_pk"]; len(got) != 1 || got[0] != "1" {
			t.Fatalf("ebuio_u_pk = %v, want only the proxy's value", got)
		}
		if !reservedName(name) && !strings.ContainsAny(name, "\"\\\r\n") && name != "" && name != fileField {
			if got := form.Value[name]; len(got) != 1 || got[0] != value {
				t.Fatalf("field %q = %v, want [%q]", name, got, value)
			}
		}
	})
}
