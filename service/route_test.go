package service

import (
	"maps"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParseRouteValid(t *testing.T) {
	tests := []struct {
		pattern       string
		segments      []segment
		trailingSlash bool
	}{
		{pattern: "/"},
		{pattern: "/about", segments: []segment{{segmentLiteral, "about"}}},
		{pattern: "/list/", segments: []segment{{segmentLiteral, "list"}}, trailingSlash: true},
		{pattern: "/show/{id:int}", segments: []segment{{segmentLiteral, "show"}, {segmentInt, "id"}}},
		{pattern: "/hello/{name}", segments: []segment{{segmentLiteral, "hello"}, {segmentString, "name"}}},
		{pattern: "/hello/{name:string}", segments: []segment{{segmentLiteral, "hello"}, {segmentString, "name"}}},
		{pattern: "/files/{rest:path}", segments: []segment{{segmentLiteral, "files"}, {segmentPath, "rest"}}},
		{pattern: "/files/{rest...}", segments: []segment{{segmentLiteral, "files"}, {segmentPath, "rest"}}},
		{
			pattern:  "/a/{x}/b/{y_2:int}",
			segments: []segment{{segmentLiteral, "a"}, {segmentString, "x"}, {segmentLiteral, "b"}, {segmentInt, "y_2"}},
		},
	}

	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			r, err := parseRoute(tt.pattern)
			if err != nil {
				t.Fatalf("parseRoute(%q) failed: %v", tt.pattern, err)
			}

			if !reflect.DeepEqual(r.segments, tt.segments) {
				t.Errorf("segments = %+v, expected %+v", r.segments, tt.segments)
			}
			if r.trailingSlash != tt.trailingSlash {
				t.Errorf("trailingSlash = %v, expected %v", r.trailingSlash, tt.trailingSlash)
			}
		})
	}
}

func TestParseRouteInvalid(t *testing.T) {
	tests := []struct {
		pattern string
		problem string // text the error must contain
	}{
		{pattern: "", problem: "must start with /"},
		{pattern: "show", problem: "must start with /"},
		{pattern: "//", problem: "empty segment"},
		{pattern: "/a//b", problem: "empty segment"},
		{pattern: "/id{id}", problem: "mixes text and a parameter"},
		{pattern: "/a}", problem: "mixes text and a parameter"},
		{pattern: "/{id", problem: "no closing brace"},
		{pattern: "/{id:float}", problem: `unknown type "float"`},
		{pattern: "/{}", problem: "not an identifier"},
		{pattern: "/{...}", problem: "not an identifier"},
		{pattern: "/{1id}", problem: "not an identifier"},
		{pattern: "/{my-id}", problem: "not an identifier"},
		{pattern: "/{rest:path}/more", problem: `path parameter "rest" must be last`},
		{pattern: "/{rest...}/more", problem: `path parameter "rest" must be last`},
		{pattern: "/{id}/{id:int}", problem: `parameter "id" repeated`},
	}

	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			_, err := parseRoute(tt.pattern)
			if err == nil {
				t.Fatalf("parseRoute(%q) succeeded, expected an error about %q", tt.pattern, tt.problem)
			}

			if !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("error %q does not name the problem %q", err, tt.problem)
			}
			if !strings.Contains(err.Error(), strconv.Quote(tt.pattern)) {
				t.Errorf("error %q does not quote the route %q", err, tt.pattern)
			}
		})
	}
}

func TestNewRejectsInvalidRoute(t *testing.T) {
	_, err := New([]Action{{Route: "/show/{id:number}", Handler: okHandler}})
	if err == nil {
		t.Fatal("New succeeded with an invalid route, expected an error")
	}
	if !strings.Contains(err.Error(), `unknown type "number"`) {
		t.Errorf("error %q does not name the unknown parameter type", err)
	}
}

func TestRouteMatch(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		path    string
		params  map[string]string // nil when the path must not match
	}{
		{name: "home", pattern: "/", path: "", params: map[string]string{}},
		{name: "home rejects a name", pattern: "/", path: "x"},
		{name: "literal", pattern: "/about", path: "about", params: map[string]string{}},
		{name: "literal is case-sensitive", pattern: "/about", path: "About"},
		{name: "literal rejects a prefix", pattern: "/about", path: "ab"},
		{name: "literal rejects a longer name", pattern: "/about", path: "aboutus"},
		{name: "literal rejects a trailing slash", pattern: "/about", path: "about/"},
		{name: "trailing slash route with slash", pattern: "/list/", path: "list/", params: map[string]string{}},
		{name: "trailing slash route without slash", pattern: "/list/", path: "list", params: map[string]string{}},
		{name: "trailing slash route rejects two slashes", pattern: "/list/", path: "list//"},

		{name: "int", pattern: "/show/{id:int}", path: "show/42", params: map[string]string{"id": "42"}},
		{name: "int zero", pattern: "/show/{id:int}", path: "show/0", params: map[string]string{"id": "0"}},
		{name: "int leading zeros", pattern: "/show/{id:int}", path: "show/007", params: map[string]string{"id": "007"}},
		{
			name:    "int max int64",
			pattern: "/show/{id:int}",
			path:    "show/9223372036854775807",
			params:  map[string]string{"id": "9223372036854775807"},
		},
		{name: "int rejects beyond int64", pattern: "/show/{id:int}", path: "show/9223372036854775808"},
		{name: "int rejects letters", pattern: "/show/{id:int}", path: "show/abc"},
		{name: "int rejects minus sign", pattern: "/show/{id:int}", path: "show/-1"},
		{name: "int rejects plus sign", pattern: "/show/{id:int}", path: "show/+1"},
		{name: "int rejects spaces", pattern: "/show/{id:int}", path: "show/ 1"},
		{name: "int rejects a decimal point", pattern: "/show/{id:int}", path: "show/1.5"},
		{name: "int rejects hexadecimal", pattern: "/show/{id:int}", path: "show/0x1f"},
		{name: "int rejects non-ASCII digits", pattern: "/show/{id:int}", path: "show/\u0661\u0662"},
		{name: "int rejects empty", pattern: "/show/{id:int}", path: "show/"},
		{name: "int rejects missing segment", pattern: "/show/{id:int}", path: "show"},
		{name: "int rejects extra segment", pattern: "/show/{id:int}", path: "show/1/2"},

		{name: "string", pattern: "/hello/{name}", path: "hello/world", params: map[string]string{"name": "world"}},
		{name: "string with dots", pattern: "/hello/{name}", path: "hello/a.b", params: map[string]string{"name": "a.b"}},
		{name: "string rejects empty", pattern: "/hello/{name}", path: "hello/"},
		{name: "string rejects a slash", pattern: "/hello/{name}", path: "hello/a/b"},
		{
			name:    "typed string",
			pattern: "/hello/{name:string}",
			path:    "hello/x",
			params:  map[string]string{"name": "x"},
		},

		{name: "path", pattern: "/files/{p:path}", path: "files/a/b/c.txt", params: map[string]string{"p": "a/b/c.txt"}},
		{name: "path one segment", pattern: "/files/{p:path}", path: "files/a", params: map[string]string{"p": "a"}},
		{name: "path rejects empty", pattern: "/files/{p:path}", path: "files/"},
		{name: "path rejects missing", pattern: "/files/{p:path}", path: "files"},
		{name: "ellipsis path", pattern: "/files/{p...}", path: "files/x/y", params: map[string]string{"p": "x/y"}},
		{name: "ellipsis path rejects empty", pattern: "/files/{p...}", path: "files/"},

		{
			name:    "several parameters",
			pattern: "/a/{x}/b/{y:int}",
			path:    "a/one/b/2",
			params:  map[string]string{"x": "one", "y": "2"},
		},
		{name: "several parameters wrong literal", pattern: "/a/{x}/b/{y:int}", path: "a/one/c/2"},
		{name: "empty middle segment", pattern: "/a/{x}/b", path: "a//b"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parseRoute(tt.pattern)
			if err != nil {
				t.Fatalf("parseRoute(%q) failed: %v", tt.pattern, err)
			}

			params, ok := r.match(tt.path)
			if tt.params == nil {
				if ok {
					t.Errorf("route %q matched path %q with %v, expected no match", tt.pattern, tt.path, params)
				}
				return
			}

			if !ok {
				t.Fatalf("route %q did not match path %q", tt.pattern, tt.path)
			}
			if !maps.Equal(params, tt.params) {
				t.Errorf("route %q, path %q: params = %v, expected %v", tt.pattern, tt.path, params, tt.params)
			}
		})
	}
}

// FuzzRouteMatch checks that any route and path can be matched without a
// panic, and that a match yields parameters of the declared kinds that
// rebuild the matched path.
func FuzzRouteMatch(f *testing.F) {
	seeds := []struct{ pattern, path string }{
		{"/", ""},
		{"/", "/"},
		{"/show/{id:int}", "show/42"},
		{"/show/{id:int}", "show/-1"},
		{"/show/{id:int}", "show/+1"},
		{"/show/{id:int}", "show/9223372036854775808"},
		{"/hello/{name}", "hello/world"},
		{"/files/{p:path}", "files/a/b"},
		{"/files/{p...}", "files/../x"},
		{"/list/", "list"},
		{"/a/{x}/b/{y:int}/", "a/1/b/2/"},
		{"/{a:int}/{b:int}", "1/2"},
		{"/{", "{"},
	}
	for _, s := range seeds {
		f.Add(s.pattern, s.path)
	}

	f.Fuzz(func(t *testing.T, pattern, path string) {
		r, err := parseRoute(pattern)
		if err != nil {
			return
		}

		params, ok := r.match(path)
		if !ok {
			return
		}

		parts := make([]string, 0, len(r.segments))
		for _, seg := range r.segments {
			if seg.kind == segmentLiteral {
				parts = append(parts, seg.value)
				continue
			}
			parts = append(parts, params[seg.value])

			value, found := params[seg.value]
			if !found {
				t.Fatalf("route %q matched %q without parameter %q: %v", pattern, path, seg.value, params)
			}
			if value == "" {
				t.Errorf("route %q matched %q with empty parameter %q", pattern, path, seg.value)
			}

			switch seg.kind {
			case segmentInt:
				if strings.Trim(value, "0123456789") != "" {
					t.Errorf("route %q matched %q with int parameter %q = %q, expected only digits",
						pattern, path, seg.value, value)
				}
				if _, err := strconv.ParseInt(value, 10, 64); err != nil {
					t.Errorf("route %q matched %q with int parameter %q = %q that does not parse: %v",
						pattern, path, seg.value, value, err)
				}
			case segmentString:
				if strings.Contains(value, "/") {
					t.Errorf("route %q matched %q with string parameter %q = %q containing a slash",
						pattern, path, seg.value, value)
				}
			}
		}

		// Putting the parameters back into the route must give the matched
		// path, without the leading slash and a trailing slash the route
		// allows.
		matched := strings.TrimPrefix(path, "/")
		if r.trailingSlash {
			matched = strings.TrimSuffix(matched, "/")
		}
		if rebuilt := strings.Join(parts, "/"); rebuilt != matched {
			t.Errorf("route %q matched %q with %v, which rebuilds the path %q", pattern, path, params, rebuilt)
		}
	})
}
