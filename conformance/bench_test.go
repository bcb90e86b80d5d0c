package conformance_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/plugit-go/plugit/conformance"
)

// BenchmarkServiceChecks runs the whole service suite against the Go
// fixture service over loopback HTTP.
func BenchmarkServiceChecks(b *testing.B) {
	srv := startFixtureService(b)
	target := &conformance.Target{URL: srv.URL + "/"}
	checks := conformance.ServiceChecks()

	for b.Loop() {
		if failed := conformance.Failed(conformance.Run(context.Background(), target, checks)); len(failed) > 0 {
			b.Fatalf("check %s failed: %s", failed[0].Check, failed[0].Seen)
		}
	}
}

// BenchmarkProxyChecks runs the whole proxy suite, less the time-out
// check, against the Go proxy fronting the Go fixture service.
func BenchmarkProxyChecks(b *testing.B) {
	srv := startFixtureService(b)
	front := httptest.NewServer(newProxy(b, srv.URL+"/", false))
	defer front.Close()
	target := &conformance.Target{URL: front.URL + "/plugIt/", MenuBlock: "menubar"}
	checks := conformance.ProxyChecks()

	for b.Loop() {
		if failed := conformance.Failed(conformance.Run(context.Background(), target, checks)); len(failed) > 0 {
			b.Fatalf("check %s failed: %s", failed[0].Check, failed[0].Seen)
		}
	}
}

// BenchmarkValidateMeta validates a meta reply with every known key.
func BenchmarkValidateMeta(b *testing.B) {
	body := []byte(`{"template_tag": "d41d8cd98f00b204e9800998ecf8427e", "only_logged_user": true,
		"cache_time": 42, "cache_by_user": null, "user_info": ["pk", "username", "ebuio_admin"],
		"public": true, "no_template": false, "address_in_networks": ["127.0.0.1/24", "::1/128"]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := conformance.ValidateMeta(body); err != nil {
			b.Fatal(err)
		}
	}
}
