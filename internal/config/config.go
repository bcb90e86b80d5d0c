// Package config reads the hosted proxy's configuration file, plugit.yaml.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ErrInvalid is the prefix of every configuration error.
var ErrInvalid = errors.New("config: invalid configuration")

// File is the content of plugit.yaml. Every field has a default, so an
// empty file is valid: a proxy with no service.
type File struct {
	// Listen is the address the proxy listens on. Default: 127.0.0.1:4000.
	Listen string `yaml:"listen"`
	// PlatformName is shown in the layout's top bar. Default: PlugIt.
	PlatformName string `yaml:"platform_name"`
	// PublicURL is the proxy's address as users reach it, used in the
	// links of e-mails. Default: http://<listen>/.
	PublicURL string `yaml:"public_url"`
	// SecretKey signs session cookies; at least 32 bytes. Secret: the
	// environment variable PLUGIT_SECRET_KEY overrides it. Default: a
	// random key, so sessions end when the proxy stops.
	SecretKey string `yaml:"secret_key"`
	// SecureCookies marks cookies Secure, for sites served over HTTPS.
	// Default: false.
	SecureCookies bool `yaml:"secure_cookies"`
	// TrustForwardedFor takes the browser's address from the first entry
	// of X-Forwarded-For. Default: false.
	TrustForwardedFor bool `yaml:"trust_forwarded_for"`
	// Debug shows template errors on error pages. Default: false.
	Debug bool `yaml:"debug"`
	// Store is the account database: a SQLite file path or a postgres://
	// URL. The environment variable PLUGIT_STORE overrides it. Default:
	// plugit.db.
	Store string `yaml:"store"`
	// Signup lets visitors create accounts. Default: true.
	Signup *bool `yaml:"signup"`
	// RedisURL, when set, keeps sessions and cached pages, meta and
	// templates in Redis, so that several proxies share them. The
	// environment variable PLUGIT_REDIS_URL overrides it. Default: none
	// (process memory).
	RedisURL string `yaml:"redis_url"`
	// CacheBytes is the memory budget of the in-process cache when no
	// Redis is set. Default: 67108864 (64 MiB).
	CacheBytes int64 `yaml:"cache_bytes"`
	// Timeout bounds each call to a service unless the service sets its
	// own. Default: 10s.
	Timeout Duration `yaml:"timeout"`
	// Mail sends the mails of the API and password resets, and reads the
	// replies. Default: no mail.
	Mail Mail `yaml:"mail"`
	// Services are the services the proxy hosts. Default: none.
	Services []Service `yaml:"services"`
}

// Mail configures sending mail and reading the replies.
type Mail struct {
	// SMTPHost is the SMTP server. Default: none, so mail is off and the
	// API's mail call returns an error.
	SMTPHost string `yaml:"smtp_host"`
	// SMTPPort is the SMTP port. Default: 587 with starttls, 465 with tls,
	// 25 with none.
	SMTPPort int `yaml:"smtp_port"`
	// SMTPTLS is the encryption of the SMTP connection: none, starttls or
	// tls. Default: starttls.
	SMTPTLS string `yaml:"smtp_tls"`
	// SMTPUser is the SMTP login. Default: none (no authentication).
	SMTPUser string `yaml:"smtp_user"`
	// SMTPPassword is the SMTP password. Secret: PLUGIT_SMTP_PASSWORD
	// overrides it. Default: none.
	SMTPPassword string `yaml:"smtp_password"`
	// From is the proxy's sender address, which carries the reply tag.
	// Required with smtp_host.
	From string `yaml:"from"`
	// TokenKey is 64 hex digits (32 bytes) encrypting reply tags. Secret:
	// PLUGIT_MAIL_TOKEN_KEY overrides it. Default: none, so mails with a
	// response_id are rejected.
	TokenKey string `yaml:"token_key"`
	// Inbox is the mailbox the replies arrive in. Default: none, so
	// replies are not read.
	Inbox Inbox `yaml:"inbox"`
}

// Inbox is the mailbox of the replies to the proxy's sender address.
type Inbox struct {
	// Protocol is imap or pop3. Default: none (no inbox).
	Protocol string `yaml:"protocol"`
	// Addr is the server's host:port. Required with protocol.
	Addr string `yaml:"addr"`
	// TLS is the encryption of the mailbox connection: none, starttls or
	// tls. Default: tls.
	TLS string `yaml:"tls"`
	// User is the mailbox login. Required with protocol.
	User string `yaml:"user"`
	// Password is the mailbox password. Secret: PLUGIT_INBOX_PASSWORD
	// overrides it. Default: none.
	Password string `yaml:"password"`
	// Folder is the IMAP folder. Default: INBOX.
	Folder string `yaml:"folder"`
	// Interval is the time between two reads of the inbox. Default: 1m.
	Interval Duration `yaml:"interval"`
}

// Service is one hosted service.
type Service struct {
	// Key names the service in URLs: /<key>/. Lowercase letters, digits
	// and "-". Required.
	Key string `yaml:"key"`
	// Name is the service's name in menus and pages. Default: the key.
	Name string `yaml:"name"`
	// URL is the service's base URL. Required.
	URL string `yaml:"url"`
	// Mode is "template" (meta, template and action calls) or "proxy"
	// (requests forwarded as they are). Default: template.
	Mode string `yaml:"mode"`
	// OrgaMode sends the current organisation with every call and requires
	// one unless an action is public. Default: false.
	OrgaMode bool `yaml:"orga_mode"`
	// MenuBlock names the template block shown as the side menu. Default:
	// none.
	MenuBlock string `yaml:"menu_block"`
	// HTTPSRequired redirects (301) to the https URL for plain HTTP requests.
	// Default: false.
	HTTPSRequired bool `yaml:"https_required"`
	// APIKey authenticates the service's calls to the proxy's API. Secret:
	// the environment variable PLUGIT_API_KEY_<KEY> (key in capitals, "-"
	// written "_") overrides it. Default: none, so the API is closed.
	APIKey string `yaml:"api_key"`
	// Orgas limits the service to members of these organisations, by
	// codops. Default: every organisation.
	Orgas []string `yaml:"orgas"`
	// Members are the service's members by username; admins have write
	// access. Default: none.
	Members []Member `yaml:"members"`
	// Timeout bounds each call to the service. Default: the top-level
	// timeout.
	Timeout Duration `yaml:"timeout"`
	// Shadows are other deployments of the service, such as a new version,
	// that selected users are routed to. Default: none.
	Shadows []Shadow `yaml:"shadows"`
}

// Shadow is a deployment of a service that selected users see instead of
// the main one; the choice is sticky per user.
type Shadow struct {
	// Name identifies the deployment in logs and metrics. Required.
	Name string `yaml:"name"`
	// URL is the deployment's base URL. Required.
	URL string `yaml:"url"`
	// Users are usernames always routed here. Default: none.
	Users []string `yaml:"users"`
	// Orgas are codops whose current members are routed here. Default:
	// none.
	Orgas []string `yaml:"orgas"`
	// Percent routes this share of the other users here, 0 to 100.
	// Default: 0.
	Percent int `yaml:"percent"`
}

// Member is a user's membership of a service.
type Member struct {
	// User is the member's username. Required.
	User string `yaml:"user"`
	// Admin gives write access. Default: false.
	Admin bool `yaml:"admin"`
}

// Duration is a time.Duration written as "10s" or "1m30s".
type Duration struct{ time.Duration }

// UnmarshalYAML parses a duration such as "10s".
func (d *Duration) UnmarshalYAML(node *yaml.Node) error {
	v, err := time.ParseDuration(node.Value)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: invalid duration %q: use a positive value such as 10s or 1m30s", node.Line, node.Value)
	}
	d.Duration = v
	return nil
}

// Load reads and validates the configuration file at path, then applies
// the environment's overrides of secrets and defaults.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: reading %s: %w", path, err)
	}
	return Parse(path, data, os.LookupEnv)
}

// Parse decodes and validates a configuration. name is used in error
// messages; lookupEnv reads overrides.
func Parse(name string, data []byte, lookupEnv func(string) (string, bool)) (*File, error) {
	f := &File{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %s: %s", ErrInvalid, name, describeYAMLError(err))
	}

	var root yaml.Node
	_ = yaml.Unmarshal(data, &root)
	f.applyEnv(lookupEnv)
	f.applyDefaults()
	if err := f.validate(); err != nil {
		var fe *fieldError
		if errors.As(err, &fe) {
			return nil, fmt.Errorf("%w: %s:%d: %s: %s", ErrInvalid, name, lineOf(&root, fe.path), fe.path, fe.msg)
		}
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, name, err)
	}
	return f, nil
}

func (f *File) applyEnv(lookupEnv func(string) (string, bool)) {
	if v, ok := lookupEnv("PLUGIT_SECRET_KEY"); ok {
		f.SecretKey = v
	}
	if v, ok := lookupEnv("PLUGIT_STORE"); ok {
		f.Store = v
	}
	if v, ok := lookupEnv("PLUGIT_REDIS_URL"); ok {
		f.RedisURL = v
	}
	if v, ok := lookupEnv("PLUGIT_SMTP_PASSWORD"); ok {
		f.Mail.SMTPPassword = v
	}
	if v, ok := lookupEnv("PLUGIT_MAIL_TOKEN_KEY"); ok {
		f.Mail.TokenKey = v
	}
	if v, ok := lookupEnv("PLUGIT_INBOX_PASSWORD"); ok {
		f.Mail.Inbox.Password = v
	}
	for i := range f.Services {
		s := &f.Services[i]
		if v, ok := lookupEnv(APIKeyEnv(s.Key)); ok {
			s.APIKey = v
		}
	}
}

// APIKeyEnv returns the environment variable that overrides a service's
// API key.
func APIKeyEnv(key string) string {
	return "PLUGIT_API_KEY_" + strings.ToUpper(strings.ReplaceAll(key, "-", "_"))
}

func (f *File) applyDefaults() {
	if f.Listen == "" {
		f.Listen = "127.0.0.1:4000"
	}
	if f.PlatformName == "" {
		f.PlatformName = "PlugIt"
	}
	if f.PublicURL == "" {
		f.PublicURL = "http://" + f.Listen + "/"
	}
	if f.Store == "" {
		f.Store = "plugit.db"
	}
	if f.Mail.Inbox.Interval.Duration == 0 {
		f.Mail.Inbox.Interval.Duration = time.Minute
	}
	if f.CacheBytes == 0 {
		f.CacheBytes = 64 << 20
	}
	if f.Signup == nil {
		signup := true
		f.Signup = &signup
	}
	if f.Timeout.Duration == 0 {
		f.Timeout.Duration = 10 * time.Second
	}
	for i := range f.Services {
		s := &f.Services[i]
		if s.Name == "" {
			s.Name = s.Key
		}
		if s.Mode == "" {
			s.Mode = "template"
		}
		if s.Timeout.Duration == 0 {
			s.Timeout = f.Timeout
		}
	}
}
