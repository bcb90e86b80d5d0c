package mail

import (
	"crypto/tls"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"
)

// TLSMode is the encryption of a connection to a mail server.
type TLSMode string

// The TLS modes a connection to a mail server can use.
const (
	// TLSNone does not encrypt. IMAP and POP3 then send the password in
	// clear text, so use it on a trusted network only.
	TLSNone TLSMode = "none"
	// TLSStartTLS connects in clear text and upgrades with STARTTLS (SMTP,
	// IMAP) or STLS (POP3). A server without the upgrade is an error.
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit starts TLS right after connecting (SMTPS on port 465,
	// IMAPS on 993, POP3S on 995).
	TLSImplicit TLSMode = "tls"
)

// ErrInvalidTLSMode is returned for a TLS mode other than none, starttls and tls.
var ErrInvalidTLSMode = errors.New("mail: invalid TLS mode")

// ParseTLSMode returns the TLS mode named s: "none", "starttls" or "tls",
// in any case.
func ParseTLSMode(s string) (TLSMode, error) {
	mode := TLSMode(strings.ToLower(strings.TrimSpace(s)))
	switch mode {
	case TLSNone, TLSStartTLS, TLSImplicit:
		return mode, nil
	}

	return "", fmt.Errorf("%w %q: use none, starttls or tls", ErrInvalidTLSMode, s)
}

// Default values of [Config].
const (
	DefaultSMTPPort     = 587
	DefaultSMTPSPort    = 465
	DefaultSMTPNonePort = 25
	DefaultTimeout      = 30 * time.Second
)

// Config is the SMTP configuration of a [Sender].
type Config struct {
	// Host is the SMTP server's host name or IP address. Default: "", which
	// means mail is not configured: [Sender.Send] returns ErrNotConfigured.
	Host string

	// Port is the SMTP server's TCP port. Default: 587 with TLSStartTLS,
	// 465 with TLSImplicit and 25 with TLSNone.
	Port int

	// TLS is the encryption of the connection. Default: TLSStartTLS.
	TLS TLSMode

	// TLSConfig verifies the server's certificate. Default: nil, which
	// verifies it against the system's roots for the name in Host.
	TLSConfig *tls.Config

	// User is the SMTP AUTH user name. Default: "", which sends mail
	// without authenticating.
	User string

	// Password is the SMTP AUTH password, used when User is set.
	// Default: "".
	Password string

	// From is the proxy's sender address, such as
	// "PlugIt <no-reply@example.org>". It is the From of every mail whose
	// [Message] has no Sender, and the address that carries the reply tag
	// in Reply-To. Required when Host is set.
	From string

	// TokenKey is the 32-byte key that encrypts reply tags; the [Checker]
	// needs the same key. Default: nil, which makes Send reject a message
	// that has a ResponseID.
	TokenKey []byte

	// Timeout bounds connecting to the server and each command.
	// Default: 30s.
	Timeout time.Duration
}

// withDefaults returns c with every unset field at its default.
func (c Config) withDefaults() Config {
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Port == 0 {
		c.Port = defaultSMTPPort(c.TLS)
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	return c
}

func defaultSMTPPort(mode TLSMode) int {
	switch mode {
	case TLSImplicit:
		return DefaultSMTPSPort
	case TLSNone:
		return DefaultSMTPNonePort
	}
	return DefaultSMTPPort
}

// validate checks a configuration that has a Host and its defaults set.
func (c Config) validate() error {
	if _, err := ParseTLSMode(string(c.TLS)); err != nil {
		return err
	}
	if c.Port < 1 || c.Port > 65535 {
		return fmt.Errorf("mail: invalid SMTP port %d: use 1 to 65535", c.Port)
	}
	if c.From == "" {
		return errors.New("mail: missing From address: set the proxy's sender address")
	}
	if _, err := netmail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("mail: invalid From address %q: %w", c.From, err)
	}
	if c.Timeout < 0 {
		return fmt.Errorf("mail: invalid timeout %s: use a positive duration", c.Timeout)
	}
	return nil
}
