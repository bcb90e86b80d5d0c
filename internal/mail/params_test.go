package mail

import (
	"maps"
	"strings"
	"testing"
)

func TestParseServices(t *testing.T) {
	got, err := ParseServices(" polls=http://127.0.0.1:5000/ , wiki=https://wiki.example.org/base,")
	if err != nil {
		t.Fatalf("ParseServices: %v", err)
	}
	want := map[string]string{"polls": "http://127.0.0.1:5000/", "wiki": "https://wiki.example.org/base"}
	if !maps.Equal(got, want) {
		t.Errorf("ParseServices = %v; want %v", got, want)
	}

	tests := map[string]string{
		"":                                  "no service",
		"polls":                             "use key=URL",
		"=http://a/":                        "use key=URL",
		"polls=":                            "use key=URL",
		"a:b=http://a/":                     "must not contain",
		"polls=http://a/,polls=http://b/":   "given twice",
		"polls=127.0.0.1:5000":              "invalid base URL",
		"polls=http://a/,wiki=ftp://x.org/": "invalid base URL",
	}
	for input, want := range tests {
		t.Run(input, func(t *testing.T) {
			_, err := ParseServices(input)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("ParseServices(%q): error %v; want one saying %q", input, err, want)
			}
		})
	}
}

func TestParseTokenKey(t *testing.T) {
	digits := strings.Repeat("0a", TokenKeySize)
	key, err := ParseTokenKey([]byte(digits + "\n"))
	if err != nil {
		t.Fatalf("ParseTokenKey: %v", err)
	}
	if len(key) != TokenKeySize || key[0] != 0x0a {
		t.Errorf("ParseTokenKey = %x", key)
	}

	for _, bad := range []string{"", digits[:62], digits + "00", strings.Repeat("zz", TokenKeySize)} {
		if _, err := ParseTokenKey([]byte(bad)); err == nil {
			t.Errorf("ParseTokenKey(%q): no error", bad)
		}
	}
}

// FuzzParseServices checks that every parsed service has a key without
// ":" and a base URL the HTTP deliverer accepts.
func FuzzParseServices(f *testing.F) {
	f.Add("polls=http://127.0.0.1:5000/,wiki=https://x.org/base")
	f.Add("a=b=c")
	f.Add(",,=,")
	f.Fuzz(func(t *testing.T, s string) {
		services, err := ParseServices(s)
		if err != nil {
			return
		}
		for key := range services {
			if key == "" || strings.Contains(key, ":") {
				t.Fatalf("ParseServices(%q) returned key %q", s, key)
			}
		}
		if _, err := NewHTTPDeliverer(services, 0); err != nil {
			t.Fatalf("ParseServices(%q) returned services the deliverer rejects: %v", s, err)
		}
	})
}

// FuzzParseTokenKey checks that a parsed key always has TokenKeySize bytes.
func FuzzParseTokenKey(f *testing.F) {
	f.Add([]byte(strings.Repeat("ab", TokenKeySize)))
	f.Add([]byte(" 00 "))
	f.Fuzz(func(t *testing.T, text []byte) {
		key, err := ParseTokenKey(text)
		if err == nil && len(key) != TokenKeySize {
			t.Fatalf("ParseTokenKey(%q) returned %d bytes", text, len(key))
		}
	})
}
