package config

import (
	"errors"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func noEnv(string) (string, bool) { return "", false }

func TestParseDefaults(t *testing.T) {
	f, err := Parse("plugit.yaml", []byte("services:\n  - key: polls\n    url: http://127.0.0.1:5000/\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if f.Listen != "127.0.0.1:4000" {
		t.Errorf("listen = %q, want 127.0.0.1:4000", f.Listen)
	}
	if f.Store != "plugit.db" {
		t.Errorf("store = %q, want plugit.db", f.Store)
	}
	if f.Signup == nil || !*f.Signup {
		t.Error("signup is not on by default")
	}
	s := f.Services[0]
	if s.Name != "polls" || s.Mode != "template" || s.Timeout.Duration != 10*time.Second {
		t.Errorf("service defaults = %+v", s)
	}
}

func TestParseEmptyFile(t *testing.T) {
	f, err := Parse("plugit.yaml", nil, noEnv)
	if err != nil {
		t.Fatalf("empty file: %v", err)
	}
	if len(f.Services) != 0 {
		t.Errorf("services = %v, want none", f.Services)
	}
}

func TestParseErrorsNameFileLineField(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"unknown field", "listen: x\nlisten_addr: y\n", []string{"plugit.yaml", "line 2", "listen_addr"}},
		{"wrong type", "debug: [1]\n", []string{"plugit.yaml", "line 1"}},
		{"invalid URL", "services:\n  - key: a\n    url: ftp://x/\n", []string{"plugit.yaml:3", "services[0].url", "ftp://x/"}},
		{"missing URL", "services:\n  - key: a\n", []string{"services[0].url"}},
		{"invalid key", "services:\n  - key: Polls!\n    url: http://x/\n", []string{"plugit.yaml:2", "services[0].key", "Polls!"}},
		{"reserved key", "services:\n  - key: static\n    url: http://x/\n", []string{"services[0].key", "reserved"}},
		{"duplicate key", "services:\n  - key: a\n    url: http://x/\n  - key: a\n    url: http://y/\n",
			[]string{"plugit.yaml:4", "services[1].key", "another service"}},
		{"invalid mode", "services:\n  - key: a\n    url: http://x/\n    mode: magic\n", []string{"plugit.yaml:4", "services[0].mode"}},
		{"short secret", "secret_key: abc\n", []string{"plugit.yaml:1", "secret_key", "at least 32"}},
		{"invalid duration", "timeout: soon\n", []string{"line 1", "soon"}},
		{"member without user", "services:\n  - key: a\n    url: http://x/\n    members:\n      - admin: true\n",
			[]string{"services[0].members[0].user"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("plugit.yaml", []byte(tt.yaml), noEnv)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func TestEnvironmentOverridesSecrets(t *testing.T) {
	env := map[string]string{
		"PLUGIT_SECRET_KEY":       strings.Repeat("k", 32),
		"PLUGIT_STORE":            "postgres://db/plugit",
		"PLUGIT_API_KEY_MY_POLLS": "env-api-key-0123456789abcdef012345",
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	f, err := Parse("plugit.yaml", []byte("secret_key: short\nservices:\n  - key: my-polls\n    url: http://x/\n    api_key: file-api-key-0123456789abcdef012345\n"), lookup)
	if err != nil {
		t.Fatal(err)
	}
	if f.SecretKey != env["PLUGIT_SECRET_KEY"] {
		t.Errorf("secret key not taken from the environment")
	}
	if f.Store != "postgres://db/plugit" {
		t.Errorf("store = %q", f.Store)
	}
	if f.Services[0].APIKey != "env-api-key-0123456789abcdef012345" {
		t.Errorf("api key = %q", f.Services[0].APIKey)
	}
}

// TestEveryFieldDocumented checks that docs/configuration.md documents
// every key of plugit.yaml, so the reference can't fall behind the code.
func TestEveryFieldDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_.\\[\\]]+)` \\|").FindAllStringSubmatch(string(doc), -1) {
		documented[m[1]] = true
	}

	for _, key := range yamlKeys(reflect.TypeOf(File{}), "") {
		if !documented[key] {
			t.Errorf("docs/configuration.md does not document %s", key)
		}
		delete(documented, key)
	}
	for key := range documented {
		t.Errorf("docs/configuration.md documents %s, which the code does not have", key)
	}
}

// yamlKeys lists the yaml keys of a struct type, nested keys written
// services[].key.
func yamlKeys(t reflect.Type, prefix string) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		field := t.Field(i)
		tag := field.Tag.Get("yaml")
		if tag == "" {
			continue
		}
		key := prefix + tag
		keys = append(keys, key)
		ft := field.Type
		switch {
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			keys = append(keys, yamlKeys(ft.Elem(), key+"[].")...)
		case ft.Kind() == reflect.Struct && ft != reflect.TypeOf(Duration{}):
			keys = append(keys, yamlKeys(ft, key+".")...)
		}
	}
	return keys
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("services:\n  - key: a\n    url: http://x/\n"))
	f.Add([]byte("listen: :1\ntimeout: 3s\nsecret_key: " + strings.Repeat("x", 40) + "\n"))
	f.Add([]byte("services: [{key: b, url: 'https://h/', members: [{user: u, admin: true}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.yaml", data, noEnv)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !strings.HasPrefix(err.Error(), "config:") {
				t.Fatalf("error without the config prefix: %v", err)
			}
			return
		}
		for _, s := range cfg.Services {
			if !validKey(s.Key) || s.URL == "" {
				t.Fatalf("accepted an invalid service %+v", s)
			}
		}
	})
}

func TestYAMLErrorsInFileWords(t *testing.T) {
	tests := []struct {
		yaml string
		want string
	}{
		{"services:\n  - key: a\n    url: http://x/\n    timout: 5s\n", "line 4: unknown key timout"},
		{"services:\n  key: a\n", "a mapping is here where a list is expected"},
		{"secure_cookies: yes please\n", "invalid value yes please: want true or false"},
		{"listen: a\n\tdebug: true\n", "tab"},
	}
	for _, tt := range tests {
		_, err := Parse("plugit.yaml", []byte(tt.yaml), noEnv)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want it to contain %q", tt.yaml, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "config.") {
			t.Errorf("%q: error %v names a Go type", tt.yaml, err)
		}
	}
}
