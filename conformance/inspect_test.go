package conformance_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/plugit-go/plugit/conformance"
)

func TestInspectChecksOnFixture(t *testing.T) {
	srv := startFixtureService(t)
	target := &conformance.Target{URL: srv.URL + "/"}
	checks := conformance.InspectChecks([]string{"/", "/show/1", "json_only"}, []string{"testfile1"})
	results := conformance.Run(context.Background(), target, checks)

	want := map[string]conformance.Status{
		"ping round trip":    conformance.Pass,
		"version reply":      conformance.Pass,
		"meta/":              conformance.Pass,
		"template/":          conformance.Pass,
		"meta/show/1":        conformance.Pass,
		"template/show/1":    conformance.Pass,
		"meta/json_only":     conformance.Pass,
		"template/json_only": conformance.Skip, // no template_tag: nothing to fetch
		"media/testfile1":    conformance.Pass,
	}
	if len(results) != len(want) {
		t.Fatalf("got %d results, want %d: %+v", len(results), len(want), results)
	}
	for _, r := range results {
		if r.Status != want[r.Check] {
			t.Errorf("%s: status %s, want %s (expected %s, seen %s)", r.Check, r.Status, want[r.Check], r.Expected, r.Seen)
		}
	}
}

func TestInspectChecksFindProblems(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"data": "` + r.URL.Query().Get("data") + `"}`))
	})
	mux.HandleFunc("/version", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"result": "Ok", "version": "1", "protocol": "Other"}`))
	})
	mux.HandleFunc("/meta/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Expire", "Thu, 01 Jan 2026 00:00:00 GMT")
		_, _ = w.Write([]byte(`{"template_tag": "t1", "colour": "blue"}`))
	})
	mux.HandleFunc("/meta/broken", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"template_tag": "t1", "cache_time": "soon"}`))
	})
	mux.HandleFunc("/template/", func(w http.ResponseWriter, _ *http.Request) {})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	checks := conformance.InspectChecks([]string{"/", "/broken"}, []string{"missing.css"})
	results := conformance.Run(context.Background(), &conformance.Target{URL: srv.URL}, checks)

	want := map[string]conformance.Status{
		"ping round trip":   conformance.Pass,
		"version reply":     conformance.Fail, // protocol "Other"
		"meta/":             conformance.Warn, // unknown key colour
		"template/":         conformance.Fail, // empty template
		"meta/broken":       conformance.Fail, // cache_time is a string
		"template/broken":   conformance.Skip,
		"media/missing.css": conformance.Fail,
	}
	for _, r := range results {
		if r.Status != want[r.Check] {
			t.Errorf("%s: status %s, want %s (expected %s, seen %s)", r.Check, r.Status, want[r.Check], r.Expected, r.Seen)
		}
	}
}
