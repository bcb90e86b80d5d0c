package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"
)

// ErrMessageTooLarge is returned by [Mailbox.Fetch] for a message over
// the size limit it was given.
var ErrMessageTooLarge = errors.New("mail: message too large")

// MailboxEntry is one message of a mailbox.
type MailboxEntry struct {
	// ID identifies the message across sessions: the POP3 unique id
	// (UIDL), or the IMAP UIDVALIDITY and UID. It is empty on a POP3
	// server without UIDL.
	ID string

	// Number is the POP3 message number or the IMAP UID, valid for this
	// session only.
	Number uint32

	// Size is the message's size in bytes as the server reports it.
	Size int64
}

// Mailbox is one session with an inbox. Deletions are final only once
// Close returns nil: a POP3 server removes messages at QUIT, so a session
// that ends otherwise keeps them.
type Mailbox interface {
	// List returns the messages of the inbox.
	List(ctx context.Context) ([]MailboxEntry, error)
	// Fetch returns a message as the server stores it, or an error
	// wrapping ErrMessageTooLarge when it is over maxBytes.
	Fetch(ctx context.Context, entry MailboxEntry, maxBytes int64) ([]byte, error)
	// Delete removes a message from the inbox.
	Delete(ctx context.Context, entry MailboxEntry) error
	// Close ends the session.
	Close() error
}

// MailboxProtocol is the protocol a [Checker] reads the inbox with.
type MailboxProtocol string

// The protocols of a mailbox.
const (
	ProtocolIMAP MailboxProtocol = "imap"
	ProtocolPOP3 MailboxProtocol = "pop3"
)

// MailboxConfig is the address of the inbox of reply mail and its login.
type MailboxConfig struct {
	// Protocol is ProtocolIMAP or ProtocolPOP3. Required.
	Protocol MailboxProtocol

	// Addr is the server's host and port, such as "mail.example.org:993".
	// Required.
	Addr string

	// TLS is the encryption of the connection. Default: TLSImplicit.
	TLS TLSMode

	// TLSConfig verifies the server's certificate. Default: nil, which
	// verifies it against the system's roots for the host in Addr.
	TLSConfig *tls.Config

	// User is the login name. Required.
	User string

	// Password is the login password. Default: "".
	Password string

	// Folder is the IMAP folder to read. Default: "INBOX". POP3 has only
	// the inbox.
	Folder string

	// Timeout bounds connecting and each command. Default: 30s.
	Timeout time.Duration
}

func (c MailboxConfig) withDefaults() MailboxConfig {
	if c.TLS == "" {
		c.TLS = TLSImplicit
	}
	if c.Folder == "" {
		c.Folder = "INBOX"
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	return c
}

func (c MailboxConfig) validate() error {
	if c.Protocol != ProtocolIMAP && c.Protocol != ProtocolPOP3 {
		return fmt.Errorf("mail: invalid mailbox protocol %q: use imap or pop3", c.Protocol)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("mail: invalid mailbox address %q: use host:port: %w", c.Addr, err)
	}
	if _, err := ParseTLSMode(string(c.TLS)); err != nil {
		return err
	}
	if c.User == "" {
		return errors.New("mail: missing mailbox user")
	}
	return nil
}

// tlsConfig returns the TLS configuration for the server, naming the host
// of Addr when the configured one names none.
func (c MailboxConfig) tlsConfig() *tls.Config {
	config := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.TLSConfig != nil {
		config = c.TLSConfig.Clone()
	}
	if config.ServerName == "" {
		config.ServerName, _, _ = net.SplitHostPort(c.Addr)
	}
	return config
}

// DialMailbox connects to the inbox that cfg describes and logs in.
func DialMailbox(ctx context.Context, cfg MailboxConfig) (Mailbox, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}

	if cfg.Protocol == ProtocolPOP3 {
		return dialPOP3(ctx, cfg)
	}
	return dialIMAP(ctx, cfg)
}

// whileContext runs op, calling closer when ctx ends or timeout passes
// first. Closing the connection makes a blocked read or write fail, and
// ends the session.
func whileContext(ctx context.Context, timeout time.Duration, closer func() error, op func() error) error {
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, fmt.Errorf("timed out after %s", timeout))
	defer cancel()

	stop := context.AfterFunc(ctx, func() { _ = closer() })
	err := op()
	if !stop() && ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}
