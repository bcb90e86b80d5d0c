package service

import (
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"os"
	"reflect"
	"testing"
	"testing/fstest"
	"time"
)

// templateDir holds the template files of the meta tests.
const templateDir = "testdata/templates"

// fileMD5 returns the md5 hex digest of a file, as the proxy expects in
// template_tag.
func fileMD5(t *testing.T, name string) string {
	t.Helper()

	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	sum := md5.Sum(data)
	return hex.EncodeToString(sum[:])
}

func TestMetaOptions(t *testing.T) {
	homeTag := fileMD5(t, templateDir+"/home.html")

	tests := []struct {
		name   string
		action Action
		want   map[string]any
	}{
		{
			name:   "no options",
			action: Action{},
			want:   map[string]any{"template_tag": ""},
		},
		{
			name:   "template",
			action: Action{Template: "home.html"},
			want:   map[string]any{"template_tag": homeTag},
		},
		{
			name:   "only logged user",
			action: Action{OnlyLoggedUser: true},
			want:   map[string]any{"template_tag": "", "only_logged_user": true},
		},
		{
			name:   "only member user",
			action: Action{OnlyMemberUser: true},
			want:   map[string]any{"template_tag": "", "only_member_user": true},
		},
		{
			name:   "only admin user",
			action: Action{OnlyAdminUser: true},
			want:   map[string]any{"template_tag": "", "only_admin_user": true},
		},
		{
			name:   "only orga member user",
			action: Action{OnlyOrgaMemberUser: true},
			want:   map[string]any{"template_tag": "", "only_orga_member_user": true},
		},
		{
			name:   "only orga admin user",
			action: Action{OnlyOrgaAdminUser: true},
			want:   map[string]any{"template_tag": "", "only_orga_admin_user": true},
		},
		{
			name:   "cache time without by-user",
			action: Action{CacheTime: 42 * time.Second},
			want:   map[string]any{"template_tag": "", "cache_time": 42.0, "cache_by_user": nil},
		},
		{
			name:   "cache time by user",
			action: Action{CacheTime: 48 * time.Second, CacheByUser: ByUser()},
			want:   map[string]any{"template_tag": "", "cache_time": 48.0, "cache_by_user": true},
		},
		{
			name:   "cache time shared between users",
			action: Action{CacheTime: time.Hour, CacheByUser: SharedBetweenUsers()},
			want:   map[string]any{"template_tag": "", "cache_time": 3600.0, "cache_by_user": false},
		},
		{
			name:   "cache time rounded down to seconds",
			action: Action{CacheTime: 2500 * time.Millisecond},
			want:   map[string]any{"template_tag": "", "cache_time": 2.0, "cache_by_user": nil},
		},
		{
			name:   "user info",
			action: Action{UserInfo: []string{"pk", "username", "subscription_labels"}},
			want: map[string]any{
				"template_tag": "",
				"user_info":    []any{"pk", "username", "subscription_labels"},
			},
		},
		{
			name:   "public",
			action: Action{Public: true},
			want:   map[string]any{"template_tag": "", "public": true},
		},
		{
			name:   "json only",
			action: Action{JSONOnly: true},
			want:   map[string]any{"template_tag": "", "json_only": true},
		},
		{
			name:   "xml only",
			action: Action{XMLOnly: true},
			want:   map[string]any{"template_tag": "", "xml_only": true},
		},
		{
			name:   "no template",
			action: Action{Template: "home.html", NoTemplate: true},
			want:   map[string]any{"template_tag": homeTag, "no_template": true},
		},
		{
			name:   "address in networks",
			action: Action{AddressInNetworks: []string{"127.0.0.1/24", "2001:db8::/32"}},
			want: map[string]any{
				"template_tag":        "",
				"address_in_networks": []any{"127.0.0.1/24", "2001:db8::/32"},
			},
		},
		{
			name:   "options that only change the action call",
			action: Action{SendETag: true, CrossDomain: &CrossDomain{Origin: "*"}, Methods: []string{"POST"}},
			want:   map[string]any{"template_tag": ""},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.action
			a.Route = "/x"
			a.Handler = okHandler
			svc := newTestService(t, []Action{a}, WithTemplates(os.DirFS(templateDir)))

			w := get(svc, "/meta/x")
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d, expected 200; body %q", w.Code, w.Body.String())
			}

			if ct := w.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, expected application/json", ct)
			}

			got := decodeObject(t, w.Body.String())
			for key, want := range tt.want {
				value, ok := got[key]
				if !ok {
					t.Errorf("key %q is missing from meta %s", key, w.Body.String())
					continue
				}
				if !reflect.DeepEqual(value, want) {
					t.Errorf("meta[%q] = %#v, expected %#v", key, value, want)
				}
			}
			for key, value := range got {
				if _, ok := tt.want[key]; !ok {
					t.Errorf("meta has unexpected key %q = %#v; unset options must be absent", key, value)
				}
			}
		})
	}
}

func TestMetaTemplateTagFollowsContent(t *testing.T) {
	tagOf := func(content string) string {
		t.Helper()

		templates := fstest.MapFS{"page.html": {Data: []byte(content)}}
		svc := newTestService(t, []Action{{Route: "/", Template: "page.html", Handler: okHandler}},
			WithTemplates(templates))
		tag, _ := decodeObject(t, get(svc, "/meta/").Body.String())["template_tag"].(string)
		return tag
	}

	first := tagOf("version one")
	second := tagOf("version two")

	sum := md5.Sum([]byte("version one"))
	if want := hex.EncodeToString(sum[:]); first != want {
		t.Errorf("template_tag = %q, expected the md5 hex of the template %q", first, want)
	}
	if first == second {
		t.Errorf("template_tag %q is the same for two different templates", first)
	}
}

func TestMetaCacheHeaders(t *testing.T) {
	tests := []struct {
		name         string
		opts         []Option
		maxAge       time.Duration
		cacheControl string
	}{
		{name: "default", maxAge: 300 * time.Second, cacheControl: "public, max-age=300"},
		{
			name:         "debug off",
			opts:         []Option{WithDebug(false)},
			maxAge:       300 * time.Second,
			cacheControl: "public, max-age=300",
		},
		{name: "debug", opts: []Option{WithDebug(true)}, maxAge: 0, cacheControl: "public, max-age=0"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newTestService(t, []Action{{Route: "/", Handler: okHandler}}, tt.opts...)

			before := time.Now().Truncate(time.Second)
			w := get(svc, "/meta/")
			after := time.Now()

			if w.Code != http.StatusOK {
				t.Fatalf("status = %d, expected 200", w.Code)
			}

			if got := w.Header().Get("Cache-Control"); got != tt.cacheControl {
				t.Errorf("Cache-Control = %q, expected %q", got, tt.cacheControl)
			}

			expire, err := http.ParseTime(w.Header().Get("Expire"))
			if err != nil {
				t.Fatalf("Expire header %q is not an HTTP date: %v", w.Header().Get("Expire"), err)
			}
			earliest := before.Add(tt.maxAge)
			latest := after.Add(tt.maxAge)
			if expire.Before(earliest) || expire.After(latest) {
				t.Errorf("Expire = %v, expected between %v and %v (request time + %v)",
					expire, earliest, latest, tt.maxAge)
			}
		})
	}
}

func TestMetaUnknownAction(t *testing.T) {
	svc := newTestService(t, []Action{
		{Route: "/", Handler: okHandler},
		{Route: "/show/{id:int}", Handler: okHandler},
	})

	tests := []struct {
		name   string
		target string
	}{
		{name: "unknown route", target: "/meta/nothing"},
		{name: "parameter of the wrong type", target: "/meta/show/abc"},
		{name: "missing parameter", target: "/meta/show/"},
		{name: "extra segment", target: "/meta/show/1/2"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(svc, tt.target)
			if w.Code != http.StatusNotFound {
				t.Errorf("GET %s: status = %d, expected 404", tt.target, w.Code)
			}
		})
	}

	if w := get(svc, "/meta/show/7"); w.Code != http.StatusOK {
		t.Errorf("GET /meta/show/7: status = %d, expected 200 for a known action", w.Code)
	}
}
