package mailtest

import (
	"crypto/subtle"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPOptions configures an SMTP test server.
type SMTPOptions struct {
	// TLS is "" or "none" for clear text, "starttls" or "tls" (implicit).
	TLS string
	// User and Password, when User is set, are the only credentials that
	// AUTH PLAIN accepts, and mail is refused without them.
	User, Password string
}

// Received is one mail the SMTP test server accepted.
type Received struct {
	From string
	To   []string
	Data []byte
}

// SMTPServer is a go-smtp server on 127.0.0.1 that stores what it receives.
type SMTPServer struct {
	// Addr is the host and port the server listens on.
	Addr string
	// Cert is the server's certificate, nil without TLS.
	Cert *Certificate

	opts     SMTPOptions
	mu       sync.Mutex
	received []Received
}

// StartSMTP starts an SMTP server that stops when the test ends.
func StartSMTP(t testing.TB, opts SMTPOptions) *SMTPServer {
	t.Helper()

	s := &SMTPServer{opts: opts}
	server := smtp.NewServer(s)
	server.Domain = "localhost"
	server.AllowInsecureAuth = false

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening for SMTP: %v", err)
	}
	if opts.TLS == "starttls" || opts.TLS == "tls" {
		s.Cert = NewCertificate(t)
		server.TLSConfig = s.Cert.Server
	}
	if opts.TLS == "tls" {
		listener = tls.NewListener(listener, s.Cert.Server)
	}
	s.Addr = listener.Addr().String()

	go func() { _ = server.Serve(listener) }()
	t.Cleanup(func() { server.Close() })
	return s
}

// Received returns the mail received so far.
func (s *SMTPServer) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// NewSession implements smtp.Backend.
func (s *SMTPServer) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &smtpSession{server: s}, nil
}

func (s *SMTPServer) store(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.received = append(s.received, r)
}

// smtpSession is one SMTP connection to the test server.
type smtpSession struct {
	server *SMTPServer
	authed bool
	mail   Received
}

var errAuthRequired = &smtp.SMTPError{
	Code:         530,
	EnhancedCode: smtp.EnhancedCode{5, 7, 0},
	Message:      "authentication required",
}

func (s *smtpSession) AuthMechanisms() []string {
	return []string{sasl.Plain}
}

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		okUser := subtle.ConstantTimeCompare([]byte(user), []byte(s.server.opts.User)) == 1
		okPassword := subtle.ConstantTimeCompare([]byte(password), []byte(s.server.opts.Password)) == 1
		if s.server.opts.User == "" || !okUser || !okPassword {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.server.opts.User != "" && !s.authed {
		return errAuthRequired
	}
	s.mail = Received{From: from}
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.mail.To = append(s.mail.To, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mail.Data = data
	s.server.store(s.mail)
	return nil
}

func (s *smtpSession) Reset() {
	s.mail = Received{}
}

func (s *smtpSession) Logout() error {
	return nil
}
