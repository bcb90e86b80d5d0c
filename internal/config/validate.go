package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// reservedKeys are first path segments the proxy uses itself.
var reservedKeys = map[string]bool{
	"static": true, "accounts": true, "admin": true, "api": true,
	"healthz": true, "readyz": true, "metrics": true, "status": true,
}

// fieldError is an invalid value at a path such as services[1].url.
type fieldError struct {
	path string
	msg  string
}

func (e *fieldError) Error() string { return e.path + ": " + e.msg }

func (f *File) validate() error {
	if f.SecretKey != "" && len(f.SecretKey) < 32 {
		return &fieldError{"secret_key", fmt.Sprintf("has %d bytes, at least 32 are needed", len(f.SecretKey))}
	}
	if f.CacheBytes < 0 {
		return &fieldError{"cache_bytes", "must be positive"}
	}
	if f.RedisURL != "" && !strings.HasPrefix(f.RedisURL, "redis://") && !strings.HasPrefix(f.RedisURL, "rediss://") {
		return &fieldError{"redis_url", fmt.Sprintf("%q must start with redis:// or rediss://", f.RedisURL)}
	}
	if err := f.Mail.validate(); err != nil {
		return err
	}
	if !strings.HasSuffix(f.PublicURL, "/") {
		return &fieldError{"public_url", "must end with /"}
	}

	seen := map[string]bool{}
	for i, s := range f.Services {
		prefix := "services[" + strconv.Itoa(i) + "]"
		if err := s.validate(prefix); err != nil {
			return err
		}
		if seen[s.Key] {
			return &fieldError{prefix + ".key", fmt.Sprintf("%q is used by another service", s.Key)}
		}
		seen[s.Key] = true
	}
	return nil
}

func (s *Service) validate(prefix string) error {
	if !validKey(s.Key) {
		return &fieldError{prefix + ".key", fmt.Sprintf("%q must be 1 to 40 lowercase letters, digits or -", s.Key)}
	}
	if reservedKeys[s.Key] {
		return &fieldError{prefix + ".key", fmt.Sprintf("%q is reserved for the proxy's own pages", s.Key)}
	}

	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &fieldError{prefix + ".url", fmt.Sprintf("%q must be an absolute http or https URL", s.URL)}
	}
	if s.Mode != "template" && s.Mode != "proxy" {
		return &fieldError{prefix + ".mode", fmt.Sprintf("%q must be template or proxy", s.Mode)}
	}
	if s.APIKey != "" && len(s.APIKey) < 32 {
		return &fieldError{prefix + ".api_key", "must have at least 32 characters, such as the output of openssl rand -hex 16"}
	}
	for j, sh := range s.Shadows {
		path := prefix + ".shadows[" + strconv.Itoa(j) + "]"
		if sh.Name == "" || sh.Name == "primary" {
			return &fieldError{path + ".name", "is required and may not be primary"}
		}
		if u, err := url.Parse(sh.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &fieldError{path + ".url", fmt.Sprintf("%q must be an absolute http or https URL", sh.URL)}
		}
		if sh.Percent < 0 || sh.Percent > 100 {
			return &fieldError{path + ".percent", fmt.Sprintf("%d must be from 0 to 100", sh.Percent)}
		}
	}
	for j, m := range s.Members {
		if m.User == "" {
			return &fieldError{prefix + ".members[" + strconv.Itoa(j) + "].user", "is required"}
		}
	}
	return nil
}

func (m *Mail) validate() error {
	if m.SMTPHost != "" && m.From == "" {
		return &fieldError{"mail.from", "is required with mail.smtp_host"}
	}
	for path, mode := range map[string]string{"mail.smtp_tls": m.SMTPTLS, "mail.inbox.tls": m.Inbox.TLS} {
		if mode != "" && mode != "none" && mode != "starttls" && mode != "tls" {
			return &fieldError{path, fmt.Sprintf("%q must be none, starttls or tls", mode)}
		}
	}
	if m.TokenKey != "" && len(m.TokenKey) != 64 {
		return &fieldError{"mail.token_key", "must be 64 hex digits (32 bytes), such as the output of openssl rand -hex 32"}
	}
	in := m.Inbox
	if in.Protocol != "" && in.Protocol != "imap" && in.Protocol != "pop3" {
		return &fieldError{"mail.inbox.protocol", fmt.Sprintf("%q must be imap or pop3", in.Protocol)}
	}
	if in.Protocol != "" && (in.Addr == "" || in.User == "" || m.TokenKey == "" || m.From == "") {
		return &fieldError{"mail.inbox", "needs addr and user, and mail.from and mail.token_key to read the replies"}
	}
	return nil
}

func validKey(key string) bool {
	if key == "" || len(key) > 40 {
		return false
	}
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// lineOf returns the line of the value at path (such as services[1].url)
// in a decoded document, or the nearest enclosing node's line, 0 when none.
func lineOf(root *yaml.Node, path string) int {
	node := root
	if node.Kind == yaml.DocumentNode && len(node.Content) > 0 {
		node = node.Content[0]
	}
	line := node.Line
	for _, part := range strings.Split(path, ".") {
		name, index, hasIndex := strings.Cut(strings.TrimSuffix(part, "]"), "[")
		node = mappingValue(node, name)
		if node == nil {
			return line
		}
		line = node.Line
		if hasIndex {
			i, _ := strconv.Atoi(index)
			if node.Kind != yaml.SequenceNode || i >= len(node.Content) {
				return line
			}
			node = node.Content[i]
			line = node.Line
		}
	}
	return line
}

func mappingValue(node *yaml.Node, key string) *yaml.Node {
	if node == nil || node.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(node.Content); i += 2 {
		if node.Content[i].Value == key {
			return node.Content[i+1]
		}
	}
	return nil
}
