package redisclient

import (
	"errors"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		url      string
		wantAddr string
		wantDB   int
		wantPass string
	}{
		{"redis://127.0.0.1:6379/0", "127.0.0.1:6379", 0, ""},
		{"redis://127.0.0.1:6380/3", "127.0.0.1:6380", 3, ""},
		{"redis://:p%40ss@127.0.0.1:6379/1", "127.0.0.1:6379", 1, "p@ss"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			opts, err := ParseURL(tt.url)
			if err != nil {
				t.Fatalf("ParseURL: %v", err)
			}
			if opts.Addr != tt.wantAddr {
				t.Errorf("Addr = %q, want %q", opts.Addr, tt.wantAddr)
			}
			if opts.DB != tt.wantDB {
				t.Errorf("DB = %d, want %d", opts.DB, tt.wantDB)
			}
			if opts.Password != tt.wantPass {
				t.Errorf("Password = %q, want %q", opts.Password, tt.wantPass)
			}
		})
	}
}

func TestParseURLInvalid(t *testing.T) {
	tests := []struct {
		name        string
		url         string
		wantMessage string
	}{
		{"empty", "", "missing"},
		{"scheme", "http://127.0.0.1:6379/0", "invalid URL scheme"},
		{"database", "redis://127.0.0.1:6379/x", "invalid database number"},
		{"credentials", "redis://u:12/34@127.0.0.1:6379/0", "percent-encoded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseURL(tt.url)
			if !errors.Is(err, ErrInvalidURL) {
				t.Fatalf("ParseURL(%q): error %v, want ErrInvalidURL", tt.url, err)
			}
			if !strings.Contains(err.Error(), tt.wantMessage) {
				t.Errorf("ParseURL(%q): error %q does not mention %q", tt.url, err, tt.wantMessage)
			}
		})
	}
}

func TestParseURLHidesPassword(t *testing.T) {
	_, err := ParseURL("redis://user:hunter2/secret@127.0.0.1:6379/0")
	if err == nil {
		t.Fatal("ParseURL accepted a URL with an unescaped / in the password")
	}
	for _, part := range []string{"hunter2", "secret"} {
		if strings.Contains(err.Error(), part) {
			t.Errorf("error %q contains part %q of the password", err, part)
		}
	}
}

// FuzzParseURL checks that no error ever contains a password.
func FuzzParseURL(f *testing.F) {
	f.Add("", "@127.0.0.1:6379/0")
	f.Add("pa/ss", "@127.0.0.1:6379/0")
	f.Add("12", "/34@127.0.0.1:6379/x")
	f.Add(":99999", "@host/0?dial_timeout=x")

	const marker = "Zq8marker"
	f.Fuzz(func(t *testing.T, password, rest string) {
		opts, err := ParseURL("redis://user:" + marker + password + rest)
		if err != nil && strings.Contains(err.Error(), marker) {
			t.Fatalf("error %q contains the password", err)
		}
		if err == nil && opts == nil {
			t.Fatal("ParseURL returned neither options nor an error")
		}
	})
}
