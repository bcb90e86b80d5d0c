package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// imapMailbox is a Mailbox read from one IMAP folder.
type imapMailbox struct {
	client      *imapclient.Client
	timeout     time.Duration
	uidValidity uint32
	// expungeAtClose is set when a message was flagged \Deleted on a
	// server without UIDPLUS, which can only expunge the whole folder.
	expungeAtClose bool
}

var _ Mailbox = (*imapMailbox)(nil)

func dialIMAP(ctx context.Context, cfg MailboxConfig) (*imapMailbox, error) {
	client, err := connectIMAP(ctx, cfg)
	if err != nil {
		return nil, err
	}

	m := &imapMailbox{client: client, timeout: cfg.Timeout}
	err = whileContext(ctx, cfg.Timeout, client.Close, func() error {
		if err := client.Login(cfg.User, cfg.Password).Wait(); err != nil {
			return fmt.Errorf("logging in as %q: %w", cfg.User, err)
		}

		data, err := client.Select(cfg.Folder, nil).Wait()
		if err != nil {
			return fmt.Errorf("selecting folder %q: %w", cfg.Folder, err)
		}
		m.uidValidity = data.UIDValidity
		return nil
	})
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("mail: IMAP server %s: %w", cfg.Addr, err)
	}

	return m, nil
}

// connectIMAP dials the server in the configured TLS mode.
func connectIMAP(ctx context.Context, cfg MailboxConfig) (*imapclient.Client, error) {
	dialer := &net.Dialer{Timeout: cfg.Timeout}
	if cfg.TLS == TLSImplicit {
		tlsDialer := &tls.Dialer{NetDialer: dialer, Config: cfg.tlsConfig()}
		conn, err := tlsDialer.DialContext(ctx, "tcp", cfg.Addr)
		if err != nil {
			return nil, fmt.Errorf("mail: connecting with TLS to %s: %w", cfg.Addr, err)
		}
		return imapclient.New(conn, nil), nil
	}

	conn, err := dialer.DialContext(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("mail: connecting to %s: %w", cfg.Addr, err)
	}
	if cfg.TLS == TLSNone {
		return imapclient.New(conn, nil), nil
	}

	var client *imapclient.Client
	err = whileContext(ctx, cfg.Timeout, conn.Close, func() error {
		client, err = imapclient.NewStartTLS(conn, &imapclient.Options{TLSConfig: cfg.tlsConfig()})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mail: STARTTLS with %s: %w", cfg.Addr, err)
	}
	return client, nil
}

// List returns every message of the folder, with its UID and size.
func (m *imapMailbox) List(ctx context.Context) ([]MailboxEntry, error) {
	var messages []*imapclient.FetchMessageBuffer
	err := whileContext(ctx, m.timeout, m.client.Close, func() error {
		// UID SEARCH ALL, unlike FETCH 1:*, is valid on an empty folder.
		found, err := m.client.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
		if err != nil {
			return err
		}
		uids := found.AllUIDs()
		if len(uids) == 0 {
			return nil
		}

		options := &imap.FetchOptions{UID: true, RFC822Size: true}
		messages, err = m.client.Fetch(imap.UIDSetNum(uids...), options).Collect()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mail: listing messages: %w", err)
	}

	entries := make([]MailboxEntry, 0, len(messages))
	for _, msg := range messages {
		entries = append(entries, MailboxEntry{
			ID:     fmt.Sprintf("%d.%d", m.uidValidity, msg.UID),
			Number: uint32(msg.UID),
			Size:   msg.RFC822Size,
		})
	}
	return entries, nil
}

// Fetch returns the whole message without setting its \Seen flag.
func (m *imapMailbox) Fetch(ctx context.Context, entry MailboxEntry, maxBytes int64) ([]byte, error) {
	if entry.Size > maxBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrMessageTooLarge, entry.Size, maxBytes)
	}

	section := &imap.FetchItemBodySection{Peek: true}
	var raw []byte
	err := whileContext(ctx, m.timeout, m.client.Close, func() error {
		uids := imap.UIDSetNum(imap.UID(entry.Number))
		options := &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{section}}
		messages, err := m.client.Fetch(uids, options).Collect()
		if err != nil {
			return err
		}
		if len(messages) != 1 {
			return fmt.Errorf("server returned %d messages for UID %d", len(messages), entry.Number)
		}
		raw = messages[0].FindBodySection(section)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mail: fetching message UID %d: %w", entry.Number, err)
	}
	if int64(len(raw)) > maxBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrMessageTooLarge, len(raw), maxBytes)
	}
	return raw, nil
}

// Delete flags the message \Deleted and expunges it right away when the
// server has UIDPLUS (RFC 4315), or at Close otherwise.
func (m *imapMailbox) Delete(ctx context.Context, entry MailboxEntry) error {
	uids := imap.UIDSetNum(imap.UID(entry.Number))
	err := whileContext(ctx, m.timeout, m.client.Close, func() error {
		flags := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
		if err := m.client.Store(uids, flags, nil).Close(); err != nil {
			return err
		}

		if !m.client.Caps().Has(imap.CapUIDPlus) {
			m.expungeAtClose = true
			return nil
		}
		return m.client.UIDExpunge(uids).Close()
	})
	if err != nil {
		return fmt.Errorf("mail: deleting message UID %d: %w", entry.Number, err)
	}
	return nil
}

// Close expunges the folder when a deletion is pending, logs out and
// closes the connection.
// NOTE: without UIDPLUS, EXPUNGE also removes messages that another
// client flagged \Deleted in the same folder.
func (m *imapMailbox) Close() error {
	defer m.client.Close()

	return whileContext(context.Background(), m.timeout, m.client.Close, func() error {
		if m.expungeAtClose {
			if err := m.client.Expunge().Close(); err != nil {
				return fmt.Errorf("mail: expunging deleted messages: %w", err)
			}
		}
		if err := m.client.Logout().Wait(); err != nil {
			return fmt.Errorf("mail: logging out: %w", err)
		}
		return nil
	})
}
