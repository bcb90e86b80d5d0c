package conformance_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/plugit-go/plugit/conformance"
)

// rewrite returns a handler that serves next into a recorder and lets
// change alter the reply of requests whose path has the given prefix.
func rewrite(next http.Handler, prefix string, change func(*httptest.ResponseRecorder)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if strings.HasPrefix(r.URL.Path, prefix) {
			change(rec)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// setBody replaces a recorded body.
func setBody(body string) func(*httptest.ResponseRecorder) {
	return func(rec *httptest.ResponseRecorder) {
		rec.Body.Reset()
		rec.Body.WriteString(body)
		rec.Header().Del("Content-Length")
	}
}

// replaceInBody replaces old with new in a recorded body, and fails the
// test when old is not there, so that each fault stays one change.
func replaceInBody(t *testing.T, old, new string) func(*httptest.ResponseRecorder) {
	return func(rec *httptest.ResponseRecorder) {
		body := rec.Body.String()
		if !strings.Contains(body, old) {
			t.Errorf("fault not injected: %q not in %q", old, body)
		}
		setBody(strings.Replace(body, old, new, 1))(rec)
	}
}

// findCheck returns the check of a suite with the given name.
func findCheck(t *testing.T, checks []conformance.Check, name string) conformance.Check {
	t.Helper()
	for _, c := range checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check named %q", name)
	return conformance.Check{}
}

// expectFailure runs one check and fails the test unless it fails with
// something in Seen.
func expectFailure(t *testing.T, target *conformance.Target, c conformance.Check) {
	t.Helper()
	res := conformance.Run(context.Background(), target, []conformance.Check{c})[0]
	if res.Status != conformance.Fail {
		t.Fatalf("check %q: status %s, want FAIL (expected %s, seen %s)", c.Name, res.Status, res.Expected, res.Seen)
	}
	if res.Expected == "" || res.Seen == "" {
		t.Errorf("check %q failed without expected and seen: %+v", c.Name, res)
	}
}

func TestServiceChecksFailOnFaultyService(t *testing.T) {
	faults := []struct {
		check  string
		prefix string
		change func(*httptest.ResponseRecorder)
	}{
		{"ping round trip", "/ping", setBody(`{"data": "something else"}`)},
		{"meta/only_logged_user keys", "/meta/only_logged_user", replaceInBody(t, "{", `{"public":false,`)},
		{"meta/cache keys", "/meta/cache", replaceInBody(t, `"cache_time":42`, `"cache_time":42.0`)},
		{"meta cache headers", "/meta/", func(rec *httptest.ResponseRecorder) { rec.Header().Del("Expire") }},
		{"postonly wrong form is JSON null", "/action/postonly", setBody(`{}`)},
		{"media path media/../version rejected", "/media/..", func(rec *httptest.ResponseRecorder) {
			rec.Code = http.StatusOK
		}},
		{"file reply as attachment", "/action/plugitsendfile2", func(rec *httptest.ResponseRecorder) {
			rec.Header().Set("Content-Disposition", "inline")
		}},
		{"status 429 passed", "/action/generate_429", func(rec *httptest.ResponseRecorder) {
			rec.Code = http.StatusOK
		}},
	}

	svc := startFixtureService(t)
	for _, f := range faults {
		t.Run(f.check, func(t *testing.T) {
			faulty := httptest.NewServer(rewrite(svc.Config.Handler, f.prefix, f.change))
			defer faulty.Close()
			expectFailure(t, &conformance.Target{URL: faulty.URL + "/"},
				findCheck(t, conformance.ServiceChecks(), f.check))
		})
	}
}

func TestProxyChecksFailOnFaultyProxy(t *testing.T) {
	svc := startFixtureService(t)
	forging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A proxy that lets browser parameters pose as its own.
		q := r.URL.Query()
		q.Set("ebuio_u_pk", "1")
		r.URL.RawQuery = q.Encode()
		svc.Config.Handler.ServeHTTP(w, r)
	}))
	defer forging.Close()

	target := startProxy(t, forging.URL+"/", false)
	expectFailure(t, target, findCheck(t, conformance.ProxyChecks(), "forged ebuio_ query parameters dropped"))

	faults := []struct {
		check  string
		prefix string
		change func(*httptest.ResponseRecorder)
	}{
		{"ETag forwarded", "/plugIt/etag", func(rec *httptest.ResponseRecorder) { rec.Header().Del("ETag") }},
		{"status 429 passed", "/plugIt/generate_429", func(rec *httptest.ResponseRecorder) {
			rec.Code = http.StatusNotFound
		}},
		{"plugitredirect Location", "/plugIt/plugitredirect", func(rec *httptest.ResponseRecorder) {
			rec.Header().Set("Location", "//redire_ect")
		}},
		{"cache per user", "/plugIt/cacheTime2", setBody("<main>1700000000.5</main>")},
	}

	proxyHandler := newProxy(t, svc.URL+"/", false)
	for _, f := range faults {
		t.Run(f.check, func(t *testing.T) {
			faulty := httptest.NewServer(rewrite(proxyHandler, f.prefix, f.change))
			defer faulty.Close()
			expectFailure(t, &conformance.Target{URL: faulty.URL + "/plugIt/"},
				findCheck(t, conformance.ProxyChecks(), f.check))
		})
	}
}
