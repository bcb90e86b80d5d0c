package mailtest

import (
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Append stores raw in the inbox over IMAP, as a mail server does on
// delivery.
func (d *Dovecot) Append(t testing.TB, raw []byte) {
	t.Helper()

	client := d.login(t)
	defer client.Close()

	cmd := client.Append("INBOX", int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		t.Fatalf("writing message to APPEND: %v", err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatalf("closing APPEND: %v", err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatalf("APPEND failed: %v", err)
	}
}

// Messages returns the messages of the inbox.
func (d *Dovecot) Messages(t testing.TB) [][]byte {
	t.Helper()

	client := d.login(t)
	defer client.Close()

	selected, err := client.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatalf("selecting INBOX: %v", err)
	}
	if selected.NumMessages == 0 {
		return nil
	}

	section := &imap.FetchItemBodySection{Peek: true}
	all := imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}
	fetched, err := client.Fetch(all, &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		t.Fatalf("fetching INBOX: %v", err)
	}

	messages := make([][]byte, 0, len(fetched))
	for _, msg := range fetched {
		messages = append(messages, msg.FindBodySection(section))
	}
	return messages
}

func (d *Dovecot) login(t testing.TB) *imapclient.Client {
	client, err := imapclient.DialInsecure(d.IMAPAddr, nil)
	if err != nil {
		t.Fatalf("connecting to Dovecot IMAP: %v", err)
	}
	if err := client.Login(d.User, d.Password).Wait(); err != nil {
		client.Close()
		t.Fatalf("logging in to Dovecot IMAP: %v", err)
	}
	return client
}
