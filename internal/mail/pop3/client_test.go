package pop3_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/mail/internal/mailtest"
	"github.com/plugit-go/plugit/internal/mail/pop3"
)

const testMessage = "From: ann@example.org\r\nTo: replies@example.org\r\nSubject: hi\r\n\r\n" +
	"first line\r\n.starts with a dot\r\n..two dots\r\n.\r\nlast\r\n"

// dial connects to d in the given way and logs in.
func dial(t *testing.T, d *mailtest.Dovecot, mode string) *pop3.Client {
	t.Helper()
	ctx := context.Background()

	var client *pop3.Client
	var err error
	switch mode {
	case "tls":
		client, err = pop3.DialTLS(ctx, d.POP3SAddr, d.Cert.Client, 5*time.Second)
	default:
		client, err = pop3.Dial(ctx, d.POP3Addr, 5*time.Second)
	}
	if err != nil {
		t.Fatalf("dial (%s): %v", mode, err)
	}
	t.Cleanup(func() { client.Close() })

	if mode == "starttls" {
		config := d.Cert.Client.Clone()
		config.ServerName = "127.0.0.1"
		if err := client.StartTLS(ctx, config); err != nil {
			t.Fatalf("StartTLS: %v", err)
		}
	}
	if err := client.Login(d.User, d.Password); err != nil {
		t.Fatalf("Login (%s): %v", mode, err)
	}
	return client
}

func TestClientAgainstDovecot(t *testing.T) {
	d := mailtest.StartDovecot(t)
	d.Append(t, []byte(testMessage))
	d.Append(t, []byte("Subject: second\r\n\r\nsecond body\r\n"))

	for _, mode := range []string{"none", "starttls", "tls"} {
		t.Run(mode, func(t *testing.T) {
			client := dial(t, d, mode)

			count, size, err := client.Stat()
			if err != nil {
				t.Fatalf("Stat: %v", err)
			}
			if count != 2 || size <= 0 {
				t.Errorf("Stat = %d messages, %d bytes; want 2 messages", count, size)
			}

			infos, err := client.List()
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			if len(infos) != 2 || infos[0].Number != 1 || infos[0].Size != int64(len(testMessage)) {
				t.Errorf("List = %+v; want 2 messages, the first of %d bytes", infos, len(testMessage))
			}

			uids, err := client.UIDL()
			if err != nil {
				t.Fatalf("UIDL: %v", err)
			}
			if len(uids) != 2 || uids[1] == "" || uids[1] == uids[2] {
				t.Errorf("UIDL = %v; want two distinct ids", uids)
			}

			raw, err := client.Retr(1, 1<<20)
			if err != nil {
				t.Fatalf("Retr: %v", err)
			}
			if string(raw) != testMessage {
				t.Errorf("Retr = %q; want %q", raw, testMessage)
			}

			if err := client.Quit(); err != nil {
				t.Errorf("Quit: %v", err)
			}
		})
	}
}

func TestRetrTooLargeKeepsSession(t *testing.T) {
	d := mailtest.StartDovecot(t)
	big := "Subject: big\r\n\r\n" + strings.Repeat("0123456789 .dot line\r\n", 2000)
	d.Append(t, []byte(big))
	d.Append(t, []byte(testMessage))
	client := dial(t, d, "none")

	_, err := client.Retr(1, 1000)
	if !errors.Is(err, pop3.ErrTooLarge) {
		t.Fatalf("Retr of a %d-byte message with a 1000-byte limit: error %v; want ErrTooLarge", len(big), err)
	}

	raw, err := client.Retr(2, 1<<20)
	if err != nil {
		t.Fatalf("Retr after ErrTooLarge: %v", err)
	}
	if string(raw) != testMessage {
		t.Errorf("Retr after ErrTooLarge = %q; want the second message", raw)
	}
}

func TestDeleTakesEffectAtQuitOnly(t *testing.T) {
	d := mailtest.StartDovecot(t)
	d.Append(t, []byte(testMessage))
	d.Append(t, []byte("Subject: second\r\n\r\nsecond body\r\n"))

	client := dial(t, d, "none")
	if err := client.Dele(1); err != nil {
		t.Fatalf("Dele: %v", err)
	}
	if err := client.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := len(d.Messages(t)); got != 2 {
		t.Fatalf("after Dele and Close without QUIT: %d messages; want 2", got)
	}

	client = dial(t, d, "none")
	if err := client.Dele(1); err != nil {
		t.Fatalf("Dele: %v", err)
	}
	if err := client.Quit(); err != nil {
		t.Fatalf("Quit: %v", err)
	}
	messages := d.Messages(t)
	if len(messages) != 1 || !bytes.Contains(messages[0], []byte("second body")) {
		t.Fatalf("after Dele and QUIT: %d messages; want only the second", len(messages))
	}
}

func TestLoginWrongPassword(t *testing.T) {
	d := mailtest.StartDovecot(t)
	client, err := pop3.Dial(context.Background(), d.POP3Addr, 5*time.Second)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	defer client.Close()

	err = client.Login(d.User, "wrong password")
	var serverErr *pop3.Error
	if !errors.As(err, &serverErr) || serverErr.Command != "PASS" {
		t.Fatalf("Login with a wrong password: error %v; want a -ERR reply to PASS", err)
	}
	if strings.Contains(err.Error(), "wrong password") {
		t.Errorf("error %q contains the password", err)
	}
}
