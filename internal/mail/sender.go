package mail

import (
	"context"
	"errors"
	"fmt"

	gomail "github.com/wneessen/go-mail"
)

// ErrNotConfigured is returned by [Sender.Send] when no SMTP server is
// configured, so that the API can report it instead of dropping the mail.
var ErrNotConfigured = errors.New("mail: sending mail is not configured")

// ErrNoTokenKey is returned by [Sender.Send] for a message with a
// ResponseID when Config.TokenKey is not set.
var ErrNoTokenKey = errors.New("mail: no token key configured for reply tags")

// Sender sends messages through one SMTP server. It is safe for
// concurrent use and opens one connection per message.
type Sender struct {
	cfg    Config
	from   replyAddress
	tokens *TokenCodec
}

// NewSender returns a sender for cfg. A cfg without Host gives a sender
// whose Send returns ErrNotConfigured.
func NewSender(cfg Config) (*Sender, error) {
	if cfg.Host == "" {
		return &Sender{}, nil
	}

	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}

	from, err := parseReplyAddress(cfg.From)
	if err != nil {
		return nil, err
	}

	s := &Sender{cfg: cfg, from: from}
	if cfg.TokenKey != nil {
		s.tokens, err = NewTokenCodec(cfg.TokenKey)
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Configured reports whether the sender has an SMTP server to send to.
func (s *Sender) Configured() bool {
	return s != nil && s.cfg.Host != ""
}

// Send validates msg and sends it. A nil or unconfigured sender returns
// ErrNotConfigured.
func (s *Sender) Send(ctx context.Context, msg Message) error {
	if !s.Configured() {
		return ErrNotConfigured
	}

	if err := msg.Validate(); err != nil {
		return err
	}

	m, err := s.build(msg)
	if err != nil {
		return err
	}

	client, err := gomail.NewClient(s.cfg.Host, s.clientOptions()...)
	if err != nil {
		return fmt.Errorf("mail: creating SMTP client: %w", err)
	}

	if err := client.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("mail: sending through %s:%d: %w", s.cfg.Host, s.cfg.Port, err)
	}

	return nil
}

// build returns the mail for msg.
func (s *Sender) build(msg Message) (*gomail.Msg, error) {
	m := gomail.NewMsg()

	from := msg.Sender
	if from == "" {
		from = s.cfg.From
	}
	if err := m.From(from); err != nil {
		return nil, fmt.Errorf("%w: sender %q: %v", ErrInvalidMessage, from, err)
	}
	if err := m.To(msg.To...); err != nil {
		return nil, fmt.Errorf("%w: recipients: %v", ErrInvalidMessage, err)
	}

	if msg.ResponseID != "" {
		replyTo, err := s.taggedReplyTo(msg)
		if err != nil {
			return nil, err
		}
		if err := m.ReplyTo(replyTo); err != nil {
			return nil, fmt.Errorf("mail: setting Reply-To %q: %w", replyTo, err)
		}
	}

	m.Subject(msg.Subject)
	m.SetDate()
	m.SetMessageID()
	// The mail is sent by a program: RFC 3834 asks auto-responders not to
	// answer it, which keeps vacation notices out of the reply inbox.
	m.SetGenHeader("Auto-Submitted", "auto-generated")

	setBody(m, msg)
	return m, nil
}

// taggedReplyTo returns the proxy's address tagged with the token of
// msg's service and response_id.
func (s *Sender) taggedReplyTo(msg Message) (string, error) {
	if s.tokens == nil {
		return "", ErrNoTokenKey
	}
	if msg.ServiceKey == "" {
		return "", fmt.Errorf("%w: missing service key for response_id %q", ErrInvalidMessage, msg.ResponseID)
	}

	token, err := s.tokens.Encode(msg.ServiceKey, msg.ResponseID)
	if err != nil {
		return "", err
	}

	return s.from.withTag(token), nil
}

func setBody(m *gomail.Msg, msg Message) {
	switch {
	case msg.Text != "" && msg.HTML != "":
		m.SetBodyString(gomail.TypeTextPlain, msg.Text)
		m.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	case msg.HTML != "":
		m.SetBodyString(gomail.TypeTextHTML, msg.HTML)
	default:
		m.SetBodyString(gomail.TypeTextPlain, msg.Text)
	}
}

// clientOptions returns the go-mail options for the configured server.
// With TLSNone, go-mail authenticates only with mechanisms that do not
// send the password (SCRAM, CRAM-MD5), so PLAIN and LOGIN need TLS.
func (s *Sender) clientOptions() []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(s.cfg.Timeout),
	}

	if s.cfg.TLSConfig != nil {
		tlsConfig := s.cfg.TLSConfig.Clone()
		if tlsConfig.ServerName == "" {
			tlsConfig.ServerName = s.cfg.Host
		}
		opts = append(opts, gomail.WithTLSConfig(tlsConfig))
	}

	switch s.cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}

	if s.cfg.User != "" {
		opts = append(opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.User),
			gomail.WithPassword(s.cfg.Password),
		)
	}
	return opts
}
