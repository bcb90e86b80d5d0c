package mail

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/plugit-go/plugit/internal/mail/pop3"
)

// pop3Mailbox is a Mailbox read over POP3.
type pop3Mailbox struct {
	client  *pop3.Client
	timeout time.Duration
}

var _ Mailbox = (*pop3Mailbox)(nil)

func dialPOP3(ctx context.Context, cfg MailboxConfig) (*pop3Mailbox, error) {
	var client *pop3.Client
	var err error
	if cfg.TLS == TLSImplicit {
		client, err = pop3.DialTLS(ctx, cfg.Addr, cfg.tlsConfig(), cfg.Timeout)
	} else {
		client, err = pop3.Dial(ctx, cfg.Addr, cfg.Timeout)
	}
	if err != nil {
		return nil, err
	}

	m := &pop3Mailbox{client: client, timeout: cfg.Timeout}
	err = whileContext(ctx, cfg.Timeout, client.Close, func() error {
		if cfg.TLS == TLSStartTLS {
			if err := client.StartTLS(ctx, cfg.tlsConfig()); err != nil {
				return err
			}
		}
		return client.Login(cfg.User, cfg.Password)
	})
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("mail: logging in to %s as %q: %w", cfg.Addr, cfg.User, err)
	}

	return m, nil
}

// List returns the messages with their UIDL ids, or no ids when the
// server has no UIDL.
func (m *pop3Mailbox) List(ctx context.Context) ([]MailboxEntry, error) {
	var infos []pop3.MessageInfo
	var uids map[int]string
	err := whileContext(ctx, m.timeout, m.client.Close, func() error {
		var err error
		infos, err = m.client.List()
		if err != nil {
			return err
		}

		uids, err = m.client.UIDL()
		var serverErr *pop3.Error
		if errors.As(err, &serverErr) {
			uids, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mail: listing messages: %w", err)
	}

	entries := make([]MailboxEntry, 0, len(infos))
	for _, info := range infos {
		entries = append(entries, MailboxEntry{ID: uids[info.Number], Number: uint32(info.Number), Size: info.Size})
	}
	return entries, nil
}

func (m *pop3Mailbox) Fetch(ctx context.Context, entry MailboxEntry, maxBytes int64) ([]byte, error) {
	if entry.Size > maxBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrMessageTooLarge, entry.Size, maxBytes)
	}

	var raw []byte
	err := whileContext(ctx, m.timeout, m.client.Close, func() error {
		var err error
		raw, err = m.client.Retr(int(entry.Number), maxBytes)
		return err
	})
	if errors.Is(err, pop3.ErrTooLarge) {
		return nil, fmt.Errorf("%w: %v", ErrMessageTooLarge, err)
	}
	if err != nil {
		return nil, fmt.Errorf("mail: fetching message %d: %w", entry.Number, err)
	}
	return raw, nil
}

// Delete marks the message deleted; the server removes it at Close.
func (m *pop3Mailbox) Delete(ctx context.Context, entry MailboxEntry) error {
	err := whileContext(ctx, m.timeout, m.client.Close, func() error {
		return m.client.Dele(int(entry.Number))
	})
	if err != nil {
		return fmt.Errorf("mail: deleting message %d: %w", entry.Number, err)
	}
	return nil
}

// Close sends QUIT, which removes the messages marked deleted.
func (m *pop3Mailbox) Close() error {
	if err := m.client.Quit(); err != nil {
		return fmt.Errorf("mail: ending POP3 session: %w", err)
	}
	return nil
}
