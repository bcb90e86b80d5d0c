package service

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// assertBody compares a reply body with the expected one, as JSON values
// when the expected body is JSON and byte for byte otherwise.
func assertBody(t *testing.T, got, want string) {
	t.Helper()

	if want == "" || !json.Valid([]byte(want)) {
		if got != want {
			t.Errorf("body = %q, expected %q", got, want)
		}
		return
	}

	var gotValue, wantValue any
	if err := json.Unmarshal([]byte(got), &gotValue); err != nil {
		t.Errorf("body %q is not JSON, expected %s: %v", got, want, err)
		return
	}
	_ = json.Unmarshal([]byte(want), &wantValue)
	if !reflect.DeepEqual(gotValue, wantValue) {
		t.Errorf("body = %s, expected %s", got, want)
	}
}

func TestActionReplies(t *testing.T) {
	tests := []struct {
		name   string
		reply  func() (*Response, error)
		status int
		body   string
		header map[string]string // expected header values
		absent []string          // headers the reply must not carry
	}{
		{
			name:   "data",
			reply:  func() (*Response, error) { return Data(map[string]any{"a": 1, "b": "x"}), nil },
			status: http.StatusOK,
			body:   `{"a": 1, "b": "x"}`,
			header: map[string]string{"Content-Type": "application/json"},
		},
		{
			name: "struct data",
			reply: func() (*Response, error) {
				return Data(struct {
					Title string `json:"title"`
				}{"Poll"}), nil
			},
			status: http.StatusOK,
			body:   `{"title": "Poll"}`,
		},
		{
			name:   "nil data",
			reply:  func() (*Response, error) { return Data(nil), nil },
			status: http.StatusOK,
			body:   `{}`,
		},
		{
			name:   "nil reply",
			reply:  func() (*Response, error) { return nil, nil },
			status: http.StatusOK,
			body:   `{}`,
		},
		{
			name:   "not found",
			reply:  func() (*Response, error) { return NotFound(), nil },
			status: http.StatusOK,
			body:   "null",
			header: map[string]string{"Content-Type": "application/json"},
		},
		{
			name:   "status 403",
			reply:  func() (*Response, error) { return Status(http.StatusForbidden), nil },
			status: http.StatusForbidden,
			body:   "",
		},
		{
			name:   "status 401",
			reply:  func() (*Response, error) { return Status(http.StatusUnauthorized), nil },
			status: http.StatusUnauthorized,
			body:   "",
		},
		{
			name:   "status 429",
			reply:  func() (*Response, error) { return Status(http.StatusTooManyRequests), nil },
			status: http.StatusTooManyRequests,
			body:   "",
		},
		{
			// An empty body is empty data for the proxy, where null would
			// show its 404 page.
			name:   "status 200",
			reply:  func() (*Response, error) { return Status(http.StatusOK), nil },
			status: http.StatusOK,
			body:   "",
		},
		{
			name:   "status with header",
			reply:  func() (*Response, error) { return Status(http.StatusNotModified).SetHeader("ETag", `"v1"`), nil },
			status: http.StatusNotModified,
			body:   "",
			header: map[string]string{"ETag": `"v1"`},
		},
		{
			name:   "session ignored on status",
			reply:  func() (*Response, error) { return Status(http.StatusForbidden).SetSession("a", "1"), nil },
			status: http.StatusForbidden,
			absent: []string{"EbuIo-PlugIt-SetSession-a"},
		},
		{
			name:   "redirect",
			reply:  func() (*Response, error) { return Redirect("/redire_ect"), nil },
			status: http.StatusOK,
			body:   `{}`,
			header: map[string]string{"EbuIo-PlugIt-Redirect": "/redire_ect"},
			absent: []string{"EbuIo-PlugIt-Redirect-NoPrefix"},
		},
		{
			name:   "redirect without prefix",
			reply:  func() (*Response, error) { return RedirectNoPrefix("https://example.org/a?b=c"), nil },
			status: http.StatusOK,
			body:   `{}`,
			header: map[string]string{
				"EbuIo-PlugIt-Redirect":          "https://example.org/a?b=c",
				"EbuIo-PlugIt-Redirect-NoPrefix": "True",
			},
		},
		{
			name:   "session with data",
			reply:  func() (*Response, error) { return Data(map[string]any{"b": "2"}).SetSession("a", "1"), nil },
			status: http.StatusOK,
			body:   `{"b": "2"}`,
			header: map[string]string{"EbuIo-PlugIt-SetSession-a": "1"},
		},
		{
			name: "session with redirect",
			reply: func() (*Response, error) {
				return Redirect("/next").SetSession("step", "2").SetSession("t", "1700000000.5"), nil
			},
			status: http.StatusOK,
			header: map[string]string{
				"EbuIo-PlugIt-Redirect":        "/next",
				"EbuIo-PlugIt-SetSession-step": "2",
				"EbuIo-PlugIt-SetSession-t":    "1700000000.5",
			},
			body: `{}`,
		},
		{
			name:   "custom header",
			reply:  func() (*Response, error) { return Data(nil).SetHeader("X-Poll-Count", "3"), nil },
			status: http.StatusOK,
			body:   `{}`,
			header: map[string]string{"X-Poll-Count": "3"},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newTestService(t, []Action{{Route: "/", Handler: func(*Request) (*Response, error) {
				return tt.reply()
			}}})

			w := get(svc, "/action/")
			if w.Code != tt.status {
				t.Fatalf("status = %d, expected %d; body %q", w.Code, tt.status, w.Body.String())
			}

			assertBody(t, w.Body.String(), tt.body)
			for name, want := range tt.header {
				if got := w.Header().Get(name); got != want {
					t.Errorf("header %s = %q, expected %q", name, got, want)
				}
			}
			for _, name := range tt.absent {
				if got, ok := w.Header()[http.CanonicalHeaderKey(name)]; ok {
					t.Errorf("header %s = %q, expected it absent", name, got)
				}
			}
		})
	}
}

func TestReplyHeaderInjection(t *testing.T) {
	tests := []struct {
		name  string
		reply *Response
		unset string // header the reply must not carry
	}{
		{name: "redirect CRLF", reply: Redirect("/ok\r\nSet-Cookie: stolen=1"), unset: "EbuIo-PlugIt-Redirect"},
		{name: "redirect LF", reply: Redirect("/ok\nSet-Cookie: stolen=1"), unset: "EbuIo-PlugIt-Redirect"},
		{name: "redirect CR", reply: Redirect("/ok\rSet-Cookie: stolen=1"), unset: "EbuIo-PlugIt-Redirect"},
		{name: "redirect NUL", reply: Redirect("/ok\x00"), unset: "EbuIo-PlugIt-Redirect"},
		{
			name:  "redirect without prefix CRLF",
			reply: RedirectNoPrefix("https://example.org/\r\nSet-Cookie: stolen=1"),
			unset: "EbuIo-PlugIt-Redirect",
		},
		{
			name:  "session value CRLF",
			reply: Data(nil).SetSession("a", "1\r\nSet-Cookie: stolen=1"),
			unset: "EbuIo-PlugIt-SetSession-a",
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs, logger := newLogBuffer()
			svc := newTestService(t, []Action{{Route: "/", Handler: func(*Request) (*Response, error) {
				return tt.reply, nil
			}}}, WithLogger(logger))
			server := httptest.NewServer(svc)
			defer server.Close()

			resp, err := http.Get(server.URL + "/action/")
			if err != nil {
				t.Fatalf("GET /action/: %v", err)
			}
			body := readAll(t, resp)

			if resp.StatusCode != http.StatusInternalServerError {
				t.Errorf("status = %d, expected 500", resp.StatusCode)
			}
			if got := resp.Header.Values(tt.unset); len(got) != 0 {
				t.Errorf("header %s = %q, expected it absent", tt.unset, got)
			}
			if got := resp.Header.Values("Set-Cookie"); len(got) != 0 {
				t.Errorf("Set-Cookie = %q: the value injected a header", got)
			}
			if strings.Contains(body, "stolen") {
				t.Errorf("body %q repeats the rejected value", body)
			}
			if !strings.Contains(logs.String(), "invalid control character") {
				t.Errorf("log %q does not explain the rejected value", logs.String())
			}
		})
	}
}

// closeRecorder is a file body that records whether it was closed.
type closeRecorder struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeRecorder) Close() error {
	c.closed.Store(true)
	return nil
}

func TestFileReply(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		attachment  string // file name given to Attachment, "" for none
		filename    string // expected file name in Content-Disposition, "" for no header
	}{
		{name: "inline", contentType: "text/x-fixture"},
		{name: "attachment", contentType: "application/pdf", attachment: "41-file-name", filename: "41-file-name"},
		{name: "attachment with space", contentType: "text/csv", attachment: "poll results.csv",
			filename: "poll results.csv"},
		{name: "non-ASCII attachment", contentType: "text/plain", attachment: "résumé-été.txt",
			filename: "résumé-été.txt"},
		{name: "non-ASCII attachment with space", contentType: "text/plain", attachment: "Zürich 2024.txt",
			filename: "Zürich 2024.txt"},
		{name: "quote and line break in name", contentType: "text/plain", attachment: "a\"b\r\nc\\d.txt",
			filename: "a_b__c_d.txt"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &closeRecorder{Reader: strings.NewReader("This is test file 2 !")}
			svc := newTestService(t, []Action{{Route: "/", Handler: func(*Request) (*Response, error) {
				reply := File(body, tt.contentType)
				if tt.attachment != "" {
					reply = reply.Attachment(tt.attachment)
				}
				return reply, nil
			}}})
			server := httptest.NewServer(svc)
			defer server.Close()

			resp, err := http.Get(server.URL + "/action/")
			if err != nil {
				t.Fatalf("GET /action/: %v", err)
			}
			got := readAll(t, resp)

			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, expected 200", resp.StatusCode)
			}
			if got != "This is test file 2 !" {
				t.Errorf("body = %q, expected the file content", got)
			}
			if v := resp.Header.Get("EbuIo-PlugIt-ItAFile"); v != "True" {
				t.Errorf("EbuIo-PlugIt-ItAFile = %q, expected True", v)
			}
			if v := resp.Header.Get("Content-Type"); v != tt.contentType {
				t.Errorf("Content-Type = %q, expected %q", v, tt.contentType)
			}
			if !body.closed.Load() {
				t.Error("file body was not closed after sending")
			}

			disposition := resp.Header.Get("Content-Disposition")
			if tt.filename == "" {
				if disposition != "" {
					t.Errorf("Content-Disposition = %q, expected none for an inline file", disposition)
				}
				return
			}

			kind, params, err := mime.ParseMediaType(disposition)
			if err != nil {
				t.Fatalf("Content-Disposition %q does not parse: %v", disposition, err)
			}
			if kind != "attachment" {
				t.Errorf("Content-Disposition type = %q, expected attachment", kind)
			}
			if params["filename"] != tt.filename {
				t.Errorf("Content-Disposition %q: filename = %q, expected %q", disposition, params["filename"], tt.filename)
			}
		})
	}
}

func TestAttachmentIgnoredOnData(t *testing.T) {
	svc := newTestService(t, []Action{{Route: "/", Handler: func(*Request) (*Response, error) {
		return Data(map[string]any{"a": 1}).Attachment("x.txt"), nil
	}}})

	w := get(svc, "/action/")
	if got := w.Header().Get("Content-Disposition"); got != "" {
		t.Errorf("Content-Disposition = %q, expected none on a data reply", got)
	}
	if got := w.Header().Get("EbuIo-PlugIt-ItAFile"); got != "" {
		t.Errorf("EbuIo-PlugIt-ItAFile = %q, expected none on a data reply", got)
	}
	assertBody(t, w.Body.String(), `{"a": 1}`)
}

func TestSendETag(t *testing.T) {
	data := func() map[string]any {
		return map[string]any{"_plugit_etag": "this-is-an-etag", "echo": "42"}
	}

	tests := []struct {
		name     string
		sendETag bool
		data     map[string]any
		etag     string
		body     string
	}{
		{name: "moved to header", sendETag: true, data: data(), etag: "this-is-an-etag", body: `{"echo": "42"}`},
		{name: "option off", sendETag: false, data: data(), etag: "",
			body: `{"_plugit_etag": "this-is-an-etag", "echo": "42"}`},
		{name: "no tag in data", sendETag: true, data: map[string]any{"echo": "42"}, etag: "", body: `{"echo": "42"}`},
		{name: "number tag", sendETag: true, data: map[string]any{"_plugit_etag": 7}, etag: "7", body: `{}`},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newTestService(t, []Action{{Route: "/etag", SendETag: tt.sendETag, Handler: dataHandler(tt.data)}})

			w := get(svc, "/action/etag")
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d, expected 200", w.Code)
			}
			if got := w.Header().Get("ETag"); got != tt.etag {
				t.Errorf("ETag = %q, expected %q", got, tt.etag)
			}
			assertBody(t, w.Body.String(), tt.body)
		})
	}
}

func TestSendETagKeepsHandlerData(t *testing.T) {
	shared := map[string]any{"_plugit_etag": "v1", "echo": "42"}
	svc := newTestService(t, []Action{{Route: "/", SendETag: true, Handler: dataHandler(shared)}})

	for i := range 2 {
		w := get(svc, "/action/")
		if got := w.Header().Get("ETag"); got != "v1" {
			t.Errorf("call %d: ETag = %q, expected v1 on every call", i+1, got)
		}
	}
	if _, ok := shared["_plugit_etag"]; !ok {
		t.Error("SendETag deleted _plugit_etag from the handler's own map")
	}
}

func TestCrossDomain(t *testing.T) {
	tests := []struct {
		name        string
		methods     []string
		cross       CrossDomain
		wantMethods string
		wantMaxAge  string
		wantHeaders string // "" when Access-Control-Allow-Headers must be absent
	}{
		{
			name:        "defaults",
			methods:     []string{"GET", "POST"},
			cross:       CrossDomain{Origin: "test"},
			wantMethods: "GET, POST",
			wantMaxAge:  "21600",
		},
		{
			name:        "default methods upper-cased",
			methods:     []string{"get", "put"},
			cross:       CrossDomain{Origin: "*"},
			wantMethods: "GET, PUT",
			wantMaxAge:  "21600",
		},
		{
			name:    "all set",
			methods: []string{"GET"},
			cross: CrossDomain{
				Origin:  "https://app.example.org",
				Methods: []string{"GET", "DELETE"},
				Headers: []string{"Content-Type", "X-Requested-With"},
				MaxAge:  90 * time.Second,
			},
			wantMethods: "GET, DELETE",
			wantMaxAge:  "90",
			wantHeaders: "Content-Type, X-Requested-With",
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var runs atomic.Int32
			outcome := "ok"
			cross := tt.cross
			svc := newTestService(t, []Action{{
				Route:       "/crossdomain",
				Methods:     tt.methods,
				CrossDomain: &cross,
				Handler: func(*Request) (*Response, error) {
					runs.Add(1)
					switch outcome {
					case "error":
						return nil, errors.New("database down")
					case "forbidden":
						return Status(http.StatusForbidden), nil
					}
					return Data(map[string]any{"echo": "x"}), nil
				},
			}}, WithLogger(discardLogger()))

			accepted := strings.ToUpper(tt.methods[0])
			requests := []struct {
				name    string
				method  string
				outcome string
				status  int
				runs    int32
			}{
				{name: "accepted method", method: accepted, outcome: "ok", status: http.StatusOK, runs: 1},
				{name: "preflight", method: http.MethodOptions, outcome: "ok", status: http.StatusOK, runs: 0},
				{name: "method not accepted", method: http.MethodPatch, outcome: "ok",
					status: http.StatusMethodNotAllowed, runs: 0},
				{name: "handler error", method: accepted, outcome: "error",
					status: http.StatusInternalServerError, runs: 1},
				{name: "status reply", method: accepted, outcome: "forbidden",
					status: http.StatusForbidden, runs: 1},
			}
			for _, req := range requests {
				runs.Store(0)
				outcome = req.outcome
				w := serve(svc, httptest.NewRequest(req.method, "/action/crossdomain", nil))

				if w.Code != req.status {
					t.Errorf("%s: status = %d, expected %d", req.name, w.Code, req.status)
				}
				if got := runs.Load(); got != req.runs {
					t.Errorf("%s: handler ran %d times, expected %d", req.name, got, req.runs)
				}

				h := w.Header()
				if got := h.Get("Access-Control-Allow-Origin"); got != tt.cross.Origin {
					t.Errorf("%s: Access-Control-Allow-Origin = %q, expected %q", req.name, got, tt.cross.Origin)
				}
				if got := h.Get("Access-Control-Allow-Methods"); got != tt.wantMethods {
					t.Errorf("%s: Access-Control-Allow-Methods = %q, expected %q", req.name, got, tt.wantMethods)
				}
				if got := h.Get("Access-Control-Max-Age"); got != tt.wantMaxAge {
					t.Errorf("%s: Access-Control-Max-Age = %q, expected %q", req.name, got, tt.wantMaxAge)
				}
				if got := h.Get("Access-Control-Allow-Headers"); got != tt.wantHeaders {
					t.Errorf("%s: Access-Control-Allow-Headers = %q, expected %q", req.name, got, tt.wantHeaders)
				}
			}
		})
	}
}

func TestNoCORSWithoutCrossDomain(t *testing.T) {
	svc := newTestService(t, []Action{{Route: "/", Handler: okHandler}})

	for _, method := range []string{http.MethodGet, http.MethodOptions} {
		w := serve(svc, httptest.NewRequest(method, "/action/", nil))
		if got := w.Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s: Access-Control-Allow-Origin = %q, expected none", method, got)
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	tests := []struct {
		name    string
		methods []string
		method  string
		allow   string
	}{
		{name: "GET on POST action", methods: []string{"POST"}, method: http.MethodGet, allow: "POST, OPTIONS"},
		{name: "HEAD on POST action", methods: []string{"POST"}, method: http.MethodHead, allow: "POST, OPTIONS"},
		{name: "POST on default action", methods: nil, method: http.MethodPost, allow: "GET, HEAD, OPTIONS"},
		{name: "DELETE on GET and PUT action", methods: []string{"GET", "PUT"}, method: http.MethodDelete,
			allow: "GET, PUT, HEAD, OPTIONS"},
		{name: "lower-case methods", methods: []string{"post"}, method: http.MethodPut, allow: "POST, OPTIONS"},
		{name: "action that handles OPTIONS", methods: []string{"GET", "OPTIONS"}, method: http.MethodDelete,
			allow: "GET, OPTIONS, HEAD"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var runs atomic.Int32
			svc := newTestService(t, []Action{{Route: "/x", Methods: tt.methods, Handler: func(*Request) (*Response, error) {
				runs.Add(1)
				return Data(nil), nil
			}}})

			w := serve(svc, httptest.NewRequest(tt.method, "/action/x", nil))
			if w.Code != http.StatusMethodNotAllowed {
				t.Errorf("status = %d, expected 405", w.Code)
			}
			if got := w.Header().Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, expected %q", got, tt.allow)
			}
			if got := runs.Load(); got != 0 {
				t.Errorf("handler ran %d times, expected none for a method not accepted", got)
			}
		})
	}
}

func TestAcceptedMethods(t *testing.T) {
	methods := []string{"post", "Put", "DELETE"}
	var got []string
	svc := newTestService(t, []Action{{Route: "/x", Methods: methods, Handler: func(r *Request) (*Response, error) {
		got = append(got, r.Method)
		return Data(nil), nil
	}}})

	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		if w := serve(svc, httptest.NewRequest(method, "/action/x", nil)); w.Code != http.StatusOK {
			t.Errorf("%s: status = %d, expected 200", method, w.Code)
		}
	}
	if want := []string{"POST", "PUT", "DELETE"}; !reflect.DeepEqual(got, want) {
		t.Errorf("handler ran for %v, expected %v", got, want)
	}
	if want := []string{"post", "Put", "DELETE"}; !reflect.DeepEqual(methods, want) {
		t.Errorf("New changed the caller's Methods slice to %v, expected %v", methods, want)
	}
}

func TestHandlerError(t *testing.T) {
	logs, logger := newLogBuffer()
	svc := newTestService(t, []Action{{Route: "/fail/{id:int}", Handler: func(*Request) (*Response, error) {
		return nil, errors.New("database is down")
	}}}, WithLogger(logger))

	w := get(svc, "/action/fail/3")
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, expected 500", w.Code)
	}
	if strings.Contains(w.Body.String(), "database is down") {
		t.Errorf("body %q shows the internal error to the caller", w.Body.String())
	}

	log := logs.String()
	if !strings.Contains(log, "level=ERROR") {
		t.Errorf("log %q has no ERROR record", log)
	}
	if !strings.Contains(log, "database is down") {
		t.Errorf("log %q does not contain the handler's error", log)
	}
	if !strings.Contains(log, "/fail/{id:int}") {
		t.Errorf("log %q does not name the action", log)
	}
}

func TestHandlerPanic(t *testing.T) {
	logs, logger := newLogBuffer()
	svc := newTestService(t, []Action{
		{Route: "/boom", Handler: func(*Request) (*Response, error) { panic("index out of range") }},
		{Route: "/", Handler: okHandler},
	}, WithLogger(logger))
	server := httptest.NewServer(svc)
	defer server.Close()

	steps := []struct {
		path   string
		status int
	}{
		{path: "/action/boom", status: http.StatusInternalServerError},
		{path: "/action/", status: http.StatusOK},
		{path: "/action/boom", status: http.StatusInternalServerError},
		{path: "/ping?data=alive", status: http.StatusOK},
	}
	for _, step := range steps {
		resp, err := http.Get(server.URL + step.path)
		if err != nil {
			t.Fatalf("GET %s: %v; the service stopped serving", step.path, err)
		}
		readAll(t, resp)

		if resp.StatusCode != step.status {
			t.Errorf("GET %s: status = %d, expected %d", step.path, resp.StatusCode, step.status)
		}
	}

	if log := logs.String(); !strings.Contains(log, "panicked: index out of range") {
		t.Errorf("log %q does not record the panic", log)
	}
}

// found is the result of an accessor that also reports presence.
type found[T any] struct {
	Value T
	OK    bool
}

func TestRequestAccessors(t *testing.T) {
	accessors := map[string]func(*Request) any{
		`Param("id")`:      func(r *Request) any { return r.Param("id") },
		`Param("name")`:    func(r *Request) any { return r.Param("name") },
		`Param("missing")`: func(r *Request) any { return r.Param("missing") },
		`IntParam("id")`:   func(r *Request) any { return r.IntParam("id") },
		`IntParam("name")`: func(r *Request) any { return r.IntParam("name") },
		`UserInfo("username")`: func(r *Request) any {
			v, ok := r.UserInfo("username")
			return found[string]{v, ok}
		},
		`UserInfo("email")`: func(r *Request) any {
			v, ok := r.UserInfo("email")
			return found[string]{v, ok}
		},
		`UserInfoList("subscription_labels")`: func(r *Request) any {
			return append([]string{}, r.UserInfoList("subscription_labels")...)
		},
		`UserPK()`: func(r *Request) any {
			v, ok := r.UserPK()
			return found[int64]{v, ok}
		},
		`UserFlag("ebuio_member")`: func(r *Request) any { return r.UserFlag("ebuio_member") },
		`UserFlag("ebuio_admin")`:  func(r *Request) any { return r.UserFlag("ebuio_admin") },
		`OrgaPK()`: func(r *Request) any {
			v, ok := r.OrgaPK()
			return found[int64]{v, ok}
		},
		`Session("a")`: func(r *Request) any {
			v, ok := r.Session("a")
			return found[string]{v, ok}
		},
		`Session("my-key")`: func(r *Request) any {
			v, ok := r.Session("my-key")
			return found[string]{v, ok}
		},
		`FormValue("title")`: func(r *Request) any { return r.FormValue("title") },
	}

	const userQuery = "ebuio_u_username=alice&ebuio_u_pk=-3&ebuio_u_ebuio_member=True&ebuio_u_ebuio_admin=False" +
		"&ebuio_orgapk=-1&ebuio_u_subscription_labels=gold&ebuio_u_subscription_labels=silver"

	tests := []struct {
		name    string
		request func() *http.Request
		want    map[string]any // accessor name to expected result
	}{
		{
			name:    "route parameters",
			request: func() *http.Request { return httptest.NewRequest(http.MethodGet, "/action/item/42/bob", nil) },
			want: map[string]any{
				`Param("id")`:      "42",
				`Param("name")`:    "bob",
				`Param("missing")`: "",
				`IntParam("id")`:   int64(42),
				`IntParam("name")`: int64(0),
			},
		},
		{
			name: "user values in the query for GET",
			request: func() *http.Request {
				return httptest.NewRequest(http.MethodGet, "/action/item/1/x?"+userQuery, nil)
			},
			want: map[string]any{
				`UserInfo("username")`:                found[string]{"alice", true},
				`UserInfo("email")`:                   found[string]{"", false},
				`UserInfoList("subscription_labels")`: []string{"gold", "silver"},
				`UserPK()`:                            found[int64]{-3, true},
				`UserFlag("ebuio_member")`:            true,
				`UserFlag("ebuio_admin")`:             false,
				`OrgaPK()`:                            found[int64]{-1, true},
			},
		},
		{
			name: "anonymous user",
			request: func() *http.Request {
				return httptest.NewRequest(http.MethodGet, "/action/item/1/x?ebuio_u_username=", nil)
			},
			want: map[string]any{
				`UserInfo("username")`:                found[string]{"", true},
				`UserInfoList("subscription_labels")`: []string{},
				`UserPK()`:                            found[int64]{0, false},
				`UserFlag("ebuio_member")`:            false,
				`OrgaPK()`:                            found[int64]{0, false},
			},
		},
		{
			name: "invalid numbers",
			request: func() *http.Request {
				return httptest.NewRequest(http.MethodGet, "/action/item/1/x?ebuio_u_pk=None&ebuio_orgapk=abc", nil)
			},
			want: map[string]any{
				`UserPK()`: found[int64]{0, false},
				`OrgaPK()`: found[int64]{0, false},
			},
		},
		{
			name: "user values in the form for POST",
			request: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/action/item/1/x",
					strings.NewReader(userQuery+"&title=Lunch"))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				return r
			},
			want: map[string]any{
				`UserInfo("username")`:                found[string]{"alice", true},
				`UserInfoList("subscription_labels")`: []string{"gold", "silver"},
				`UserPK()`:                            found[int64]{-3, true},
				`UserFlag("ebuio_member")`:            true,
				`OrgaPK()`:                            found[int64]{-1, true},
				`FormValue("title")`:                  "Lunch",
			},
		},
		{
			name: "user values in a multipart form for POST",
			request: func() *http.Request {
				return multipartRequest(t, http.MethodPost, "/action/item/1/x", map[string][]string{
					"ebuio_u_username":            {"alice"},
					"ebuio_u_pk":                  {"-3"},
					"ebuio_u_subscription_labels": {"gold", "silver"},
					"title":                       {"Lunch"},
				})
			},
			want: map[string]any{
				`UserInfo("username")`:                found[string]{"alice", true},
				`UserInfoList("subscription_labels")`: []string{"gold", "silver"},
				`UserPK()`:                            found[int64]{-3, true},
				`FormValue("title")`:                  "Lunch",
			},
		},
		{
			name: "user values in the query for a POST with a JSON body",
			request: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/action/item/1/x?ebuio_u_pk=5", strings.NewReader(`{}`))
				r.Header.Set("Content-Type", "application/json")
				return r
			},
			want: map[string]any{`UserPK()`: found[int64]{5, true}},
		},
		{
			// The proxy adds its values to the query for methods other
			// than POST and may forward the browser's body unchanged, so
			// a user value in that body could be forged.
			name: "form body of PUT ignored",
			request: func() *http.Request {
				r := httptest.NewRequest(http.MethodPut, "/action/item/1/x?ebuio_u_pk=5",
					strings.NewReader("ebuio_u_pk=1&ebuio_u_username=mallory&title=Lunch"))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				return r
			},
			want: map[string]any{
				`UserPK()`:             found[int64]{5, true},
				`UserInfo("username")`: found[string]{"", false},
				`FormValue("title")`:   "Lunch",
			},
		},
		{
			name: "multipart body of PUT ignored",
			request: func() *http.Request {
				return multipartRequest(t, http.MethodPut, "/action/item/1/x?ebuio_u_pk=5", map[string][]string{
					"ebuio_u_pk":       {"1"},
					"ebuio_u_username": {"mallory"},
				})
			},
			want: map[string]any{
				`UserPK()`:             found[int64]{5, true},
				`UserInfo("username")`: found[string]{"", false},
			},
		},
		{
			name: "session header",
			request: func() *http.Request {
				r := httptest.NewRequest(http.MethodGet, "/action/item/1/x", nil)
				r.Header.Set("X-Plugitsession-a", "1")
				r.Header.Set("X-Plugitsession-my-key", "blue")
				return r
			},
			want: map[string]any{
				`Session("a")`:      found[string]{"1", true},
				`Session("my-key")`: found[string]{"blue", true},
			},
		},
		{
			name: "session header with underscores",
			request: func() *http.Request {
				r := httptest.NewRequest(http.MethodGet, "/action/item/1/x", nil)
				r.Header.Set("X-Plugitsession_a", "1")
				r.Header.Set("X-Plugitsession_my_key", "blue")
				return r
			},
			want: map[string]any{
				`Session("a")`:      found[string]{"1", true},
				`Session("my-key")`: found[string]{"blue", true},
			},
		},
		{
			name:    "no session",
			request: func() *http.Request { return httptest.NewRequest(http.MethodGet, "/action/item/1/x", nil) },
			want: map[string]any{
				`Session("a")`:      found[string]{"", false},
				`Session("my-key")`: found[string]{"", false},
			},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name := range tt.want {
				if _, ok := accessors[name]; !ok {
					t.Fatalf("test case names unknown accessor %s", name)
				}
			}

			got := map[string]any{}
			svc := newTestService(t, []Action{{
				Route:   "/item/{id:int}/{name}",
				Methods: []string{http.MethodGet, http.MethodPost, http.MethodPut},
				Handler: func(r *Request) (*Response, error) {
					for name := range tt.want {
						got[name] = accessors[name](r)
					}
					return Data(nil), nil
				},
			}})

			w := serve(svc, tt.request())
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d, expected 200; body %q", w.Code, w.Body.String())
			}

			for name, want := range tt.want {
				if !reflect.DeepEqual(got[name], want) {
					t.Errorf("%s = %#v, expected %#v", name, got[name], want)
				}
			}
		})
	}
}

// multipartRequest builds a request with a multipart/form-data body
// holding fields.
func multipartRequest(t *testing.T, method, target string, fields map[string][]string) *http.Request {
	t.Helper()

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, values := range fields {
		for _, v := range values {
			if err := mw.WriteField(name, v); err != nil {
				t.Fatalf("writing multipart field %s: %v", name, err)
			}
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatalf("closing multipart body: %v", err)
	}

	r := httptest.NewRequest(method, target, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return r
}

func TestSessionHeaderOverHTTP(t *testing.T) {
	sessions := make(chan found[string], 1)
	svc := newTestService(t, []Action{{Route: "/", Handler: func(r *Request) (*Response, error) {
		v, ok := r.Session("a")
		sessions <- found[string]{v, ok}
		return Data(nil), nil
	}}})
	server := httptest.NewServer(svc)
	defer server.Close()

	for _, header := range []string{"X-Plugitsession-a", "X-Plugitsession_a", "x-plugitsession-a"} {
		t.Run(header, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, server.URL+"/action/", nil)
			if err != nil {
				t.Fatalf("building request: %v", err)
			}
			req.Header[header] = []string{"1"}

			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("GET /action/: %v", err)
			}
			readAll(t, resp)

			if got := <-sessions; got != (found[string]{"1", true}) {
				t.Errorf("Session(\"a\") with header %s = %+v, expected {1 true}", header, got)
			}
		})
	}
}
