package service

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// ProtocolName is the protocol name a service reports in its version call
// by default.
const ProtocolName = "EBUio-PlugIt"

// ProtocolVersion is the only protocol version there is.
const ProtocolVersion = "1"

// defaultMaxMemory is how much of a multipart form is kept in memory; the
// rest of the uploaded files goes to temporary files.
const defaultMaxMemory = 32 << 20

// ErrNoTemplates is returned by New when an action names a template but
// the service has no template file system.
var ErrNoTemplates = errors.New("service: action has a template but no template file system is set")

// MailHandler handles a user's e-mail reply that the proxy forwards, with
// the response id the service gave when it sent the mail.
type MailHandler func(r *http.Request, responseID, message string) error

// Service is a PlugIt service: an http.Handler that answers the protocol
// calls (ping, version, mail, meta, template, action, media) of its
// actions.
type Service struct {
	baseURL      string
	templates    fs.FS
	media        fs.FS
	networks     []netip.Prefix
	trustXFF     bool
	debug        bool
	protocolName string
	mail         MailHandler
	logger       *slog.Logger
	actions      []*action
	templateText map[string][]byte
}

// Option configures a Service.
type Option func(*Service) error

// WithBaseURL sets the path prefix under which the service answers, such
// as "/polls/". Default: "/".
func WithBaseURL(prefix string) Option {
	return func(s *Service) error {
		if !strings.HasPrefix(prefix, "/") {
			return fmt.Errorf("service: invalid base URL %q: must start with /", prefix)
		}
		if !strings.HasSuffix(prefix, "/") {
			prefix += "/"
		}
		s.baseURL = prefix
		return nil
	}
}

// WithTemplates sets the file system that holds the actions' templates.
func WithTemplates(fsys fs.FS) Option {
	return func(s *Service) error { s.templates = fsys; return nil }
}

// WithMedia sets the file system served under media/.
func WithMedia(fsys fs.FS) Option {
	return func(s *Service) error { s.media = fsys; return nil }
}

// WithAllowedNetworks limits the callers of every call except version and
// media to these CIDR networks; a call from elsewhere gets 404. Default:
// every caller is allowed.
func WithAllowedNetworks(cidrs ...string) Option {
	return func(s *Service) error {
		for _, cidr := range cidrs {
			prefix, err := netip.ParsePrefix(strings.TrimSpace(cidr))
			if err != nil {
				return fmt.Errorf("service: invalid allowed network %q: %w", cidr, err)
			}
			s.networks = append(s.networks, prefix.Masked())
		}
		return nil
	}
}

// WithTrustForwardedFor makes the allow-list check the last hop of
// X-Forwarded-For instead of the connection's address, for a service
// behind a reverse proxy. Default: false.
func WithTrustForwardedFor(trust bool) Option {
	return func(s *Service) error { s.trustXFF = trust; return nil }
}

// WithDebug sends meta with a cache time of 0 so that the proxy sees every
// change at once. Default: false (meta cached 300 seconds).
func WithDebug(debug bool) Option {
	return func(s *Service) error { s.debug = debug; return nil }
}

// WithProtocolName overrides the protocol name of the version call.
// Default: ProtocolName.
func WithProtocolName(name string) Option {
	return func(s *Service) error { s.protocolName = name; return nil }
}

// WithMailHandler sets the handler of users' e-mail replies. Default: the
// reply is accepted and dropped.
func WithMailHandler(h MailHandler) Option {
	return func(s *Service) error { s.mail = h; return nil }
}

// WithLogger sets the logger for failed actions. Default: slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(s *Service) error { s.logger = l; return nil }
}

// New returns a service with the given actions and options. It fails when
// an action's route, network or template is invalid.
func New(actions []Action, opts ...Option) (*Service, error) {
	s := &Service{
		baseURL:      "/",
		protocolName: ProtocolName,
		logger:       slog.Default(),
		templateText: map[string][]byte{},
	}
	for _, opt := range opts {
		if err := opt(s); err != nil {
			return nil, err
		}
	}

	for _, a := range actions {
		if err := s.add(a); err != nil {
			return nil, err
		}
	}

	return s, nil
}

func (s *Service) add(a Action) error {
	tag := ""
	if a.Template != "" {
		text, err := s.readTemplate(a.Template)
		if err != nil {
			return fmt.Errorf("service: action %q: %w", a.Route, err)
		}
		sum := md5.Sum(text)
		tag = hex.EncodeToString(sum[:])
	}

	act, err := newAction(a, tag)
	if err != nil {
		return err
	}

	s.actions = append(s.actions, act)
	return nil
}

func (s *Service) readTemplate(name string) ([]byte, error) {
	if text, ok := s.templateText[name]; ok {
		return text, nil
	}

	if s.templates == nil {
		return nil, ErrNoTemplates
	}

	text, err := fs.ReadFile(s.templates, name)
	if err != nil {
		return nil, fmt.Errorf("reading template %q: %w", name, err)
	}

	s.templateText[name] = text
	return text, nil
}

// metaMaxAge is the cache time the service announces for its meta.
func (s *Service) metaMaxAge() time.Duration {
	if s.debug {
		return 0
	}
	return 300 * time.Second
}

// findAction returns the action whose route matches path, with its
// parameters.
func (s *Service) findAction(path string) (*action, map[string]string) {
	for _, a := range s.actions {
		if params, ok := a.route.match(path); ok {
			return a, params
		}
	}
	return nil, nil
}

// ServeHTTP answers the protocol calls under the base URL.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, s.baseURL)
	if !ok {
		http.NotFound(w, r)
		return
	}

	call, path, _ := strings.Cut(rest, "/")
	switch call {
	case "version":
		s.serveVersion(w, r)
		return
	case "media":
		s.serveMedia(w, r, path)
		return
	}

	if !s.callerAllowed(r) {
		s.logger.Warn("service: caller not in allowed networks", "client_ip", r.RemoteAddr, "path", r.URL.Path)
		http.NotFound(w, r)
		return
	}

	switch call {
	case "ping":
		s.servePing(w, r)
	case "mail":
		s.serveMail(w, r)
	case "meta":
		s.serveMeta(w, r, path)
	case "template":
		s.serveTemplate(w, r, path)
	case "action":
		s.serveAction(w, r, path)
	default:
		http.NotFound(w, r)
	}
}
