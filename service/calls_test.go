package service

import (
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
)

func TestPing(t *testing.T) {
	svc := newTestService(t, nil)

	tests := []struct {
		name   string
		target string
		data   string
	}{
		{name: "token", target: "/ping?data=0123456789abcdef0123456789abcdef", data: "0123456789abcdef0123456789abcdef"},
		{name: "escaped value", target: "/ping?data=a%20b%26c", data: "a b&c"},
		{name: "empty value", target: "/ping?data=", data: ""},
		{name: "absent", target: "/ping", data: ""},
		{name: "other parameter only", target: "/ping?x=1", data: ""},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(svc, tt.target)
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d, expected 200", w.Code)
			}

			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, expected application/json", ct)
			}

			got := decodeObject(t, w.Body.String())
			if len(got) != 1 {
				t.Errorf("reply %v has %d keys, expected only data", got, len(got))
			}
			if data, ok := got["data"].(string); !ok || data != tt.data {
				t.Errorf("data = %#v, expected %q", got["data"], tt.data)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	tests := []struct {
		name     string
		opts     []Option
		protocol string
	}{
		{name: "default", protocol: "EBUio-PlugIt"},
		{name: "protocol name override", opts: []Option{WithProtocolName("PlugIt-Test")}, protocol: "PlugIt-Test"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newTestService(t, nil, tt.opts...)

			w := get(svc, "/version")
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d, expected 200", w.Code)
			}

			got := decodeObject(t, w.Body.String())
			want := map[string]string{"result": "Ok", "version": "1", "protocol": tt.protocol}
			for key, value := range want {
				if got[key] != value {
					t.Errorf("%s = %#v, expected %q", key, got[key], value)
				}
			}
			if len(got) != len(want) {
				t.Errorf("reply %v has %d keys, expected %d", got, len(got), len(want))
			}
		})
	}
}

func TestMail(t *testing.T) {
	type mailCall struct{ responseID, message string }

	tests := []struct {
		name       string
		method     string
		form       string // URL-encoded body, sent only with POST
		handlerErr error
		status     int
		result     string    // expected "result" of the JSON reply, or "" for a reply that is not JSON
		call       *mailCall // expected handler call, nil when the handler must not run
	}{
		{name: "GET not allowed", method: http.MethodGet, status: http.StatusMethodNotAllowed},
		{name: "PUT not allowed", method: http.MethodPut, status: http.StatusMethodNotAllowed},
		{name: "missing response_id", method: http.MethodPost, form: "message=hi", status: http.StatusBadRequest},
		{name: "empty response_id", method: http.MethodPost, form: "response_id=&message=hi",
			status: http.StatusOK, result: "Error"},
		{
			name:   "response_id and message",
			method: http.MethodPost,
			form:   "response_id=poll-42&message=" + "Thanks%2C+see+you",
			status: http.StatusOK,
			result: "Ok",
			call:   &mailCall{responseID: "poll-42", message: "Thanks, see you"},
		},
		{
			name:   "response_id without message",
			method: http.MethodPost,
			form:   "response_id=7",
			status: http.StatusOK,
			result: "Ok",
			call:   &mailCall{responseID: "7", message: ""},
		},
		{
			name:       "handler error",
			method:     http.MethodPost,
			form:       "response_id=7&message=x",
			handlerErr: errors.New("mailbox full"),
			status:     http.StatusOK,
			result:     "Error",
			call:       &mailCall{responseID: "7", message: "x"},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls []mailCall
			handler := func(_ *http.Request, responseID, message string) error {
				calls = append(calls, mailCall{responseID, message})
				return tt.handlerErr
			}
			svc := newTestService(t, nil, WithMailHandler(handler), WithLogger(discardLogger()))

			var w *httptest.ResponseRecorder
			if tt.method == http.MethodPost {
				w = postForm(svc, "/mail", tt.form)
			} else {
				w = serve(svc, httptest.NewRequest(tt.method, "/mail", nil))
			}

			if w.Code != tt.status {
				t.Fatalf("status = %d, expected %d; body %q", w.Code, tt.status, w.Body.String())
			}

			if tt.status == http.StatusMethodNotAllowed {
				if allow := w.Header().Get("Allow"); !strings.Contains(allow, "POST") {
					t.Errorf("Allow = %q, expected it to list POST", allow)
				}
			}

			if tt.result != "" {
				got := decodeObject(t, w.Body.String())
				if got["result"] != tt.result {
					t.Errorf("result = %#v, expected %q", got["result"], tt.result)
				}
			}

			if tt.call == nil {
				if len(calls) != 0 {
					t.Errorf("mail handler ran with %+v, expected no call", calls)
				}
				return
			}
			if len(calls) != 1 {
				t.Fatalf("mail handler ran %d times, expected once", len(calls))
			}
			if calls[0] != *tt.call {
				t.Errorf("mail handler got %+v, expected %+v", calls[0], *tt.call)
			}
		})
	}
}

func TestMailWithoutHandler(t *testing.T) {
	svc := newTestService(t, nil)

	w := postForm(svc, "/mail", "response_id=1&message=hello")
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d, expected 200", w.Code)
	}
	if got := decodeObject(t, w.Body.String())["result"]; got != "Ok" {
		t.Errorf("result = %#v, expected \"Ok\" when no mail handler is set", got)
	}
}

func TestHeadLikeGet(t *testing.T) {
	var runs atomic.Int32
	svc := newTestService(t, []Action{
		{Route: "/", Template: "home.html", Handler: func(*Request) (*Response, error) {
			runs.Add(1)
			return Data(map[string]any{"home": "123"}), nil
		}},
	}, WithTemplates(fstest.MapFS{"home.html": {Data: []byte("home_template")}}),
		WithMedia(fstest.MapFS{"style.css": {Data: []byte("body { margin: 0 }")}}))

	server := httptest.NewServer(svc)
	defer server.Close()

	for _, path := range []string{"/ping?data=x", "/version", "/meta/", "/template/", "/action/", "/media/style.css"} {
		t.Run(path, func(t *testing.T) {
			getResp, err := http.Get(server.URL + path)
			if err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
			getBody := readAll(t, getResp)

			headResp, err := http.Head(server.URL + path)
			if err != nil {
				t.Fatalf("HEAD %s: %v", path, err)
			}
			headBody := readAll(t, headResp)

			if headResp.StatusCode != getResp.StatusCode {
				t.Errorf("HEAD status = %d, expected %d as for GET", headResp.StatusCode, getResp.StatusCode)
			}
			if got, want := headResp.Header.Get("Content-Type"), getResp.Header.Get("Content-Type"); got != want {
				t.Errorf("HEAD Content-Type = %q, expected %q as for GET", got, want)
			}
			if getBody == "" {
				t.Errorf("GET %s returned an empty body, so the HEAD comparison proves nothing", path)
			}
			if headBody != "" {
				t.Errorf("HEAD body = %q, expected none", headBody)
			}
		})
	}

	if got := runs.Load(); got != 2 {
		t.Errorf("action ran %d times, expected 2 (once for GET, once for HEAD)", got)
	}
}

func TestOptionsCalls(t *testing.T) {
	var runs atomic.Int32
	countingHandler := func(*Request) (*Response, error) {
		runs.Add(1)
		return Data(nil), nil
	}
	svc := newTestService(t, []Action{
		{Route: "/", Template: "home.html", Handler: countingHandler},
		{Route: "/save", Methods: []string{http.MethodPost}, Handler: countingHandler},
		{Route: "/edit", Methods: []string{http.MethodGet, http.MethodPut}, Handler: countingHandler},
	}, WithTemplates(fstest.MapFS{"home.html": {Data: []byte("home")}}))

	tests := []struct {
		target string
		allow  string
	}{
		{target: "/ping", allow: "GET, HEAD, OPTIONS"},
		{target: "/version", allow: "GET, HEAD, OPTIONS"},
		{target: "/mail", allow: "POST, OPTIONS"},
		{target: "/meta/", allow: "GET, HEAD, OPTIONS"},
		{target: "/template/", allow: "GET, HEAD, OPTIONS"},
		{target: "/action/", allow: "GET, HEAD, OPTIONS"},
		{target: "/action/save", allow: "POST, OPTIONS"},
		{target: "/action/edit", allow: "GET, PUT, HEAD, OPTIONS"},
	}

	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			w := serve(svc, httptest.NewRequest(http.MethodOptions, tt.target, nil))
			if w.Code != http.StatusOK {
				t.Errorf("status = %d, expected 200", w.Code)
			}
			if got := w.Header().Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, expected %q", got, tt.allow)
			}
		})
	}

	if got := runs.Load(); got != 0 {
		t.Errorf("actions ran %d times, expected OPTIONS to answer without running them", got)
	}
}

func TestMedia(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	root := fstest.MapFS{
		"secret.txt":         {Data: []byte("top secret")},
		"media/style.css":    {Data: []byte("body { margin: 0 }")},
		"media/img/logo.png": {Data: png},
		"media/testfile1":    {Data: []byte("This is the text file 1")},
		"media/data.bin":     {Data: []byte{0, 1, 2, 3}},
	}
	svc := newTestService(t, nil, WithMedia(mustSub(t, root, "media")))

	tests := []struct {
		name        string
		target      string
		status      int
		contentType string
		body        string
	}{
		{name: "css", target: "/media/style.css", status: 200, contentType: "text/css; charset=utf-8",
			body: "body { margin: 0 }"},
		{name: "png in a folder", target: "/media/img/logo.png", status: 200, contentType: "image/png",
			body: string(png)},
		{name: "text without extension", target: "/media/testfile1", status: 200,
			contentType: "text/plain; charset=utf-8", body: "This is the text file 1"},
		{name: "binary", target: "/media/data.bin", status: 200, contentType: "application/octet-stream",
			body: "\x00\x01\x02\x03"},
		{name: "query string ignored", target: "/media/style.css?v=2", status: 200,
			contentType: "text/css; charset=utf-8", body: "body { margin: 0 }"},
		{name: "missing file", target: "/media/nothing.css", status: 404},
		{name: "folder", target: "/media/img", status: 404},
		{name: "empty name", target: "/media/", status: 404},
		{name: "no slash", target: "/media", status: 404},
		{name: "dot", target: "/media/.", status: 404},
		{name: "parent", target: "/media/../secret.txt", status: 404},
		{name: "parent inside", target: "/media/img/../../secret.txt", status: 404},
		{name: "absolute", target: "/media//secret.txt", status: 404},
		{name: "encoded parent", target: "/media/%2e%2e/secret.txt", status: 404},
		{name: "encoded slash", target: "/media/img%2F..%2F..%2Fsecret.txt", status: 404},
		{name: "encoded absolute", target: "/media/%2Fsecret.txt", status: 404},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(svc, tt.target)
			if w.Code != tt.status {
				t.Fatalf("GET %s: status = %d, expected %d; body %q", tt.target, w.Code, tt.status, w.Body.String())
			}

			if strings.Contains(w.Body.String(), "secret") {
				t.Errorf("GET %s: body %q leaks a file outside the media folder", tt.target, w.Body.String())
			}
			if tt.status != http.StatusOK {
				return
			}

			if got := w.Header().Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type = %q, expected %q", got, tt.contentType)
			}
			if got := w.Body.String(); got != tt.body {
				t.Errorf("body = %q, expected %q", got, tt.body)
			}
		})
	}
}

func TestMediaNotConfigured(t *testing.T) {
	svc := newTestService(t, nil)

	if w := get(svc, "/media/style.css"); w.Code != http.StatusNotFound {
		t.Errorf("status = %d, expected 404 when the service has no media", w.Code)
	}
}

func TestAllowedNetworks(t *testing.T) {
	var runs atomic.Int32
	actions := []Action{{Route: "/", Template: "home.html", Handler: func(*Request) (*Response, error) {
		runs.Add(1)
		return Data(nil), nil
	}}}
	baseOpts := []Option{
		WithAllowedNetworks("10.0.0.0/8", "2001:db8::/32"),
		WithTemplates(fstest.MapFS{"home.html": {Data: []byte("home")}}),
		WithMedia(fstest.MapFS{"style.css": {Data: []byte("body {}")}}),
		WithLogger(discardLogger()),
	}

	tests := []struct {
		name       string
		trustXFF   bool
		remoteAddr string
		xff        []string // X-Forwarded-For header lines
		allowed    bool
	}{
		{name: "IPv4 inside", remoteAddr: "10.1.2.3:5000", allowed: true},
		{name: "IPv4 outside", remoteAddr: "192.0.2.1:5000"},
		{name: "IPv4 just outside", remoteAddr: "11.0.0.0:5000"},
		{name: "IPv6 inside", remoteAddr: "[2001:db8::1]:5000", allowed: true},
		{name: "IPv6 inside, last address", remoteAddr: "[2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]:5000", allowed: true},
		{name: "IPv6 outside", remoteAddr: "[2001:db9::1]:5000"},
		{name: "IPv4-mapped IPv6 inside", remoteAddr: "[::ffff:10.0.0.1]:5000", allowed: true},
		{name: "untrusted forwarded-for ignored", remoteAddr: "192.0.2.1:5000", xff: []string{"10.0.0.5"}},
		{name: "untrusted forwarded-for cannot deny", remoteAddr: "10.0.0.1:5000", xff: []string{"192.0.2.9"}, allowed: true},
		{name: "trusted last hop inside", trustXFF: true, remoteAddr: "192.0.2.1:5000",
			xff: []string{"192.0.2.9, 10.0.0.5"}, allowed: true},
		{name: "trusted last hop outside", trustXFF: true, remoteAddr: "10.0.0.1:5000",
			xff: []string{"10.0.0.5, 192.0.2.9"}},
		{name: "trusted last hop of the last header line", trustXFF: true, remoteAddr: "10.0.0.1:5000",
			xff: []string{"10.0.0.5", "192.0.2.9"}},
		{name: "trusted IPv6 last hop", trustXFF: true, remoteAddr: "192.0.2.1:5000",
			xff: []string{"192.0.2.9,2001:db8::7"}, allowed: true},
		{name: "trusted hop that is not an address", trustXFF: true, remoteAddr: "10.0.0.1:5000",
			xff: []string{"unknown"}},
		{name: "trusted but absent uses the peer", trustXFF: true, remoteAddr: "10.0.0.1:5000", allowed: true},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs.Store(0)
			opts := append(append([]Option{}, baseOpts...), WithTrustForwardedFor(tt.trustXFF))
			svc := newTestService(t, actions, opts...)

			request := func(method, target string) *httptest.ResponseRecorder {
				r := httptest.NewRequest(method, target, nil)
				r.RemoteAddr = tt.remoteAddr
				for _, v := range tt.xff {
					r.Header.Add("X-Forwarded-For", v)
				}
				return serve(svc, r)
			}

			restricted := []struct{ method, target string }{
				{http.MethodGet, "/ping?data=x"},
				{http.MethodGet, "/meta/"},
				{http.MethodGet, "/template/"},
				{http.MethodGet, "/action/"},
				{http.MethodPost, "/mail"},
			}
			for _, call := range restricted {
				w := request(call.method, call.target)
				if tt.allowed && w.Code == http.StatusNotFound {
					t.Errorf("%s %s: status 404, expected the call to be answered", call.method, call.target)
				}
				if !tt.allowed && w.Code != http.StatusNotFound {
					t.Errorf("%s %s: status = %d, expected 404 for a caller outside the networks",
						call.method, call.target, w.Code)
				}
			}

			if w := request(http.MethodGet, "/version"); w.Code != http.StatusOK {
				t.Errorf("GET /version: status = %d, expected 200 from any caller", w.Code)
			}
			if w := request(http.MethodGet, "/media/style.css"); w.Code != http.StatusOK {
				t.Errorf("GET /media/style.css: status = %d, expected 200 from any caller", w.Code)
			}

			wantRuns := int32(0)
			if tt.allowed {
				wantRuns = 1
			}
			if got := runs.Load(); got != wantRuns {
				t.Errorf("action ran %d times, expected %d", got, wantRuns)
			}
		})
	}
}

func TestAllowedNetworksInvalid(t *testing.T) {
	for _, cidr := range []string{"10.0.0.0", "10.0.0.0/33", "not-a-network", ""} {
		t.Run(cidr, func(t *testing.T) {
			_, err := New(nil, WithAllowedNetworks(cidr))
			if err == nil {
				t.Fatalf("New accepted the allowed network %q, expected an error", cidr)
			}
			if !strings.Contains(err.Error(), "invalid allowed network") {
				t.Errorf("error %q does not say which option is invalid", err)
			}
		})
	}
}

func TestBaseURL(t *testing.T) {
	actions := []Action{{Route: "/", Handler: okHandler}}

	tests := []struct {
		name   string
		prefix string
		target string
		status int
	}{
		{name: "ping under prefix", prefix: "/svc/", target: "/svc/ping", status: http.StatusOK},
		{name: "version under prefix", prefix: "/svc/", target: "/svc/version", status: http.StatusOK},
		{name: "meta under prefix", prefix: "/svc/", target: "/svc/meta/", status: http.StatusOK},
		{name: "action under prefix", prefix: "/svc/", target: "/svc/action/", status: http.StatusOK},
		{name: "ping at root", prefix: "/svc/", target: "/ping", status: http.StatusNotFound},
		{name: "version at root", prefix: "/svc/", target: "/version", status: http.StatusNotFound},
		{name: "action at root", prefix: "/svc/", target: "/action/", status: http.StatusNotFound},
		{name: "prefix without slash", prefix: "/svc/", target: "/svc", status: http.StatusNotFound},
		{name: "longer prefix", prefix: "/svc/", target: "/svcx/ping", status: http.StatusNotFound},
		{name: "nested prefix", prefix: "/a/b/", target: "/a/b/ping", status: http.StatusOK},
		{name: "slash added to prefix", prefix: "/svc", target: "/svc/ping", status: http.StatusOK},
		{name: "unknown call", prefix: "/svc/", target: "/svc/nothing", status: http.StatusNotFound},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newTestService(t, actions, WithBaseURL(tt.prefix))

			if w := get(svc, tt.target); w.Code != tt.status {
				t.Errorf("base URL %q, GET %s: status = %d, expected %d", tt.prefix, tt.target, w.Code, tt.status)
			}
		})
	}
}

func TestBaseURLInvalid(t *testing.T) {
	_, err := New(nil, WithBaseURL("svc/"))
	if err == nil {
		t.Fatal("New accepted a base URL without a leading slash, expected an error")
	}
	if !strings.Contains(err.Error(), "must start with /") {
		t.Errorf("error %q does not say what is wrong with the base URL", err)
	}
}

func TestTemplateCall(t *testing.T) {
	svc := newTestService(t, []Action{
		{Route: "/", Template: "home.html", Handler: okHandler},
		{Route: "/data", Handler: okHandler},
	}, WithTemplates(fstest.MapFS{"home.html": {Data: []byte("{{ home }}")}}))

	w := get(svc, "/template/")
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d, expected 200", w.Code)
	}
	if got := w.Body.String(); got != "{{ home }}" {
		t.Errorf("body = %q, expected the raw template text", got)
	}

	if w := get(svc, "/template/data"); w.Code != http.StatusNotFound {
		t.Errorf("action without template: status = %d, expected 404", w.Code)
	}
	if w := get(svc, "/template/nothing"); w.Code != http.StatusNotFound {
		t.Errorf("unknown action: status = %d, expected 404", w.Code)
	}
}

func TestNewTemplateErrors(t *testing.T) {
	actions := []Action{{Route: "/", Template: "missing.html", Handler: okHandler}}

	if _, err := New(actions); !errors.Is(err, ErrNoTemplates) {
		t.Errorf("New without template file system: error = %v, expected ErrNoTemplates", err)
	}

	_, err := New(actions, WithTemplates(fstest.MapFS{}))
	if err == nil {
		t.Fatal("New accepted a missing template file, expected an error")
	}
	if !strings.Contains(err.Error(), "missing.html") {
		t.Errorf("error %q does not name the missing template", err)
	}
}

// mustSub returns the subtree dir of fsys.
func mustSub(t *testing.T, fsys fs.FS, dir string) fs.FS {
	t.Helper()

	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		t.Fatalf("fs.Sub(%q): %v", dir, err)
	}
	return sub
}
