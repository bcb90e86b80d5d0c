package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/mail/internal/mailtest"
)

// newTestChecker returns a checker of d's inbox over protocol that
// delivers to the services in services and logs into logs.
func newTestChecker(t *testing.T, d *mailtest.Dovecot, protocol MailboxProtocol, services map[string]string,
	logs *bytes.Buffer) *Checker {
	t.Helper()

	addr := d.IMAPAddr
	if protocol == ProtocolPOP3 {
		addr = d.POP3Addr
	}
	deliverer, err := NewHTTPDeliverer(services, 0)
	if err != nil {
		t.Fatalf("NewHTTPDeliverer: %v", err)
	}

	checker, err := NewChecker(CheckerConfig{
		Mailbox:         MailboxConfig{Protocol: protocol, Addr: addr, TLS: TLSNone, User: d.User, Password: d.Password},
		Address:         "no-reply@example.org",
		TokenKey:        testKey(1),
		Deliverer:       deliverer,
		MaxMessageBytes: 64 << 10,
		Logger:          slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatalf("NewChecker: %v", err)
	}
	return checker
}

// replyTo returns a reply to the mail in data, as a mail program writes
// it: addressed to the mail's Reply-To, with text.
func replyTo(t *testing.T, data []byte, text string) []byte {
	t.Helper()
	header, _ := bodyParts(t, data)
	replyAddress := header.Get("Reply-To")
	if replyAddress == "" {
		t.Fatal("sent mail has no Reply-To")
	}
	return fmt.Appendf(nil, "From: Ann <ann@example.org>\r\nTo: %s\r\nSubject: Re: Vote open\r\n"+
		"In-Reply-To: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
		replyAddress, header.Get("Message-Id"), text)
}

func TestCheckerRoundTrip(t *testing.T) {
	for _, protocol := range []MailboxProtocol{ProtocolIMAP, ProtocolPOP3} {
		t.Run(string(protocol), func(t *testing.T) {
			smtpServer := mailtest.StartSMTP(t, mailtest.SMTPOptions{})
			dovecot := mailtest.StartDovecot(t)
			service := startTestService(t)

			sender := newTestSender(t, smtpServer, Config{From: "PlugIt <no-reply@example.org>"})
			msg := Message{To: []string{"ann@example.org"}, Subject: "Vote open", Text: "Reply to vote.",
				ResponseID: "vote-7", ServiceKey: "polls"}
			if err := sender.Send(context.Background(), msg); err != nil {
				t.Fatalf("Send: %v", err)
			}
			dovecot.Append(t, replyTo(t, onlyReceived(t, smtpServer).Data, "I vote for café.\r\n\r\n> Reply to vote."))

			var logs bytes.Buffer
			checker := newTestChecker(t, dovecot, protocol, map[string]string{"polls": service.URL + "/"}, &logs)

			service.reply(http.StatusServiceUnavailable, "down for maintenance")
			for _, wantLevel := range []string{"WARN", "DEBUG"} {
				logs.Reset()
				summary, err := checker.Check(context.Background())
				if err != nil {
					t.Fatalf("Check with the service failing: %v", err)
				}
				if summary != (Summary{Messages: 1, Failed: 1}) {
					t.Errorf("Check with the service failing = %+v; want 1 failed", summary)
				}
				if n := len(dovecot.Messages(t)); n != 1 {
					t.Fatalf("after a failed delivery the inbox has %d messages; want the reply kept", n)
				}
				if want := "level=" + wantLevel + ` msg="mail: reply not delivered`; !strings.Contains(logs.String(), want) {
					t.Errorf("log lacks %q:\n%s", want, &logs)
				}
			}

			service.reply(http.StatusOK, `{"result": "Ok"}`)
			summary, err := checker.Check(context.Background())
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if summary != (Summary{Messages: 1, Delivered: 1}) {
				t.Errorf("Check = %+v; want 1 delivered", summary)
			}
			if n := len(dovecot.Messages(t)); n != 0 {
				t.Errorf("after delivery the inbox has %d messages; want 0", n)
			}

			got := service.replies()
			if len(got) != 3 {
				t.Fatalf("service received %d calls; want 3 (failed twice, then accepted)", len(got))
			}
			if got[2].responseID != "vote-7" || got[2].message != "I vote for café.\n\n> Reply to vote.\n" {
				t.Errorf("service received response_id %q, message %q", got[2].responseID, got[2].message)
			}
		})
	}
}

// inboxCase is a mail put in the inbox and what the checker must do.
type inboxCase struct {
	name    string
	raw     string
	deleted bool
}

func inboxCases(t *testing.T) []inboxCase {
	codec := newTestCodec(t, 1)
	valid, _ := codec.Encode("polls", "1")
	unknown, _ := codec.Encode("other", "2")
	foreign, _ := newTestCodec(t, 9).Encode("polls", "3")
	altered := valid[:10] + string("ab"[(strings.IndexByte("ab", valid[10])+1)%2]) + valid[11:]
	mail := func(to, headers, contentType, body string) string {
		return "From: ann@example.org\r\nTo: " + to + "\r\nSubject: Re\r\n" + headers +
			"Content-Type: " + contentType + "\r\n\r\n" + body + "\r\n"
	}
	tagged := func(token string) string { return "no-reply+" + token + "@example.org" }

	return []inboxCase{
		{"valid", mail(tagged(valid), "", "text/plain", "Yes"), true},
		{"vacation notice", mail(tagged(valid), "Auto-Submitted: auto-replied\r\n", "text/plain", "Away"), true},
		{"untagged bounce", mail("no-reply@example.org", "Return-Path: <>\r\n", "text/plain", "Undeliverable"), true},
		{"altered tag", mail(tagged(altered), "", "text/plain", "Forged"), false},
		{"other key", mail(tagged(foreign), "", "text/plain", "Forged"), false},
		{"no tag", mail("no-reply@example.org", "", "text/plain", "Hello"), false},
		{"unknown service", mail(tagged(unknown), "", "text/plain", "Hi"), false},
		{"no text part", mail(tagged(valid), "", "text/html", "<p>Hi</p>"), false},
		{"empty text", mail(tagged(valid), "", "text/plain", "  "), false},
		{"too large", mail(tagged(valid), "", "text/plain", strings.Repeat("x", 70<<10)), false},
	}
}

func TestCheckerInbox(t *testing.T) {
	for _, protocol := range []MailboxProtocol{ProtocolIMAP, ProtocolPOP3} {
		t.Run(string(protocol), func(t *testing.T) {
			dovecot := mailtest.StartDovecot(t)
			service := startTestService(t)
			cases := inboxCases(t)
			for _, c := range cases {
				dovecot.Append(t, []byte(c.raw))
			}

			var logs bytes.Buffer
			checker := newTestChecker(t, dovecot, protocol, map[string]string{"polls": service.URL}, &logs)
			summary, err := checker.Check(context.Background())
			if err != nil {
				t.Fatalf("Check: %v", err)
			}

			want := Summary{Messages: len(cases), Delivered: 1, AutoReplies: 2, Rejected: len(cases) - 3}
			if summary != want {
				t.Errorf("Check = %+v; want %+v", summary, want)
			}
			if got := service.replies(); len(got) != 1 || got[0].message != "Yes\n" || got[0].responseID != "1" {
				t.Errorf("service received %+v; want only the valid reply", got)
			}
			assertInbox(t, dovecot, cases)

			warnings := strings.Count(logs.String(), "level=WARN")
			if warnings != want.Rejected {
				t.Errorf("first check logged %d warnings; want one per rejected message (%d):\n%s", warnings, want.Rejected, &logs)
			}

			logs.Reset()
			if _, err := checker.Check(context.Background()); err != nil {
				t.Fatalf("second Check: %v", err)
			}
			if strings.Contains(logs.String(), "level=WARN") {
				t.Errorf("second check warned again about the same messages:\n%s", &logs)
			}
			if debug := strings.Count(logs.String(), "message left in the inbox"); debug != want.Rejected {
				t.Errorf("second check logged %d rejected messages; want %d at debug level:\n%s", debug, want.Rejected, &logs)
			}
		})
	}
}

// assertInbox checks that exactly the cases not deleted remain.
func assertInbox(t *testing.T, dovecot *mailtest.Dovecot, cases []inboxCase) {
	t.Helper()
	remaining := dovecot.Messages(t)
	for _, c := range cases {
		found := false
		for _, raw := range remaining {
			found = found || bytes.Equal(raw, []byte(c.raw))
		}
		if found == c.deleted {
			t.Errorf("%s: in the inbox after the check: %v; want %v", c.name, found, !c.deleted)
		}
	}
}

func TestDialMailboxTLS(t *testing.T) {
	dovecot := mailtest.StartDovecot(t)
	dovecot.Append(t, []byte("Subject: x\r\n\r\nbody\r\n"))

	tests := []struct {
		protocol MailboxProtocol
		mode     TLSMode
		addr     string
	}{
		{ProtocolIMAP, TLSStartTLS, dovecot.IMAPAddr},
		{ProtocolIMAP, TLSImplicit, dovecot.IMAPSAddr},
		{ProtocolPOP3, TLSStartTLS, dovecot.POP3Addr},
		{ProtocolPOP3, TLSImplicit, dovecot.POP3SAddr},
	}
	for _, tt := range tests {
		t.Run(string(tt.protocol)+" "+string(tt.mode), func(t *testing.T) {
			cfg := MailboxConfig{Protocol: tt.protocol, Addr: tt.addr, TLS: tt.mode, TLSConfig: dovecot.Cert.Client,
				User: dovecot.User, Password: dovecot.Password}
			mailbox, err := DialMailbox(context.Background(), cfg)
			if err != nil {
				t.Fatalf("DialMailbox: %v", err)
			}
			defer mailbox.Close()

			entries, err := mailbox.List(context.Background())
			if err != nil || len(entries) != 1 || entries[0].ID == "" {
				t.Fatalf("List = %+v, %v; want one message with an id", entries, err)
			}

			cfg.TLSConfig = nil
			if _, err := DialMailbox(context.Background(), cfg); err == nil {
				t.Error("DialMailbox trusting only the system's roots accepted the test certificate")
			}
		})
	}
}

func TestDialMailboxWrongPassword(t *testing.T) {
	for _, protocol := range []MailboxProtocol{ProtocolIMAP, ProtocolPOP3} {
		t.Run(string(protocol), func(t *testing.T) {
			// A server of its own: Dovecot delays a second failed login
			// from the same address.
			dovecot := mailtest.StartDovecot(t)
			addr := dovecot.IMAPAddr
			if protocol == ProtocolPOP3 {
				addr = dovecot.POP3Addr
			}

			cfg := MailboxConfig{Protocol: protocol, Addr: addr, TLS: TLSNone, User: dovecot.User, Password: "wrong"}
			_, err := DialMailbox(context.Background(), cfg)
			if err == nil {
				t.Fatal("DialMailbox with a wrong password: no error")
			}
			if strings.Contains(err.Error(), "wrong") {
				t.Errorf("error %q contains the password", err)
			}
		})
	}
}

func TestCheckerRun(t *testing.T) {
	dovecot := mailtest.StartDovecot(t)
	service := startTestService(t)
	token, _ := newTestCodec(t, 1).Encode("polls", "5")
	dovecot.Append(t, []byte("To: no-reply+"+token+"@example.org\r\nSubject: Re\r\n\r\nYes\r\n"))

	var logs bytes.Buffer
	checker := newTestChecker(t, dovecot, ProtocolIMAP, map[string]string{"polls": service.URL}, &logs)
	if err := checker.Run(context.Background(), 0); err == nil {
		t.Fatal("Run with a zero interval: no error")
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- checker.Run(ctx, time.Hour) }()

	// Run checks at once; wait up to 10s for the delivery.
	for i := 0; i < 200 && len(service.replies()) == 0; i++ {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run after cancel: error %v; want context.Canceled", err)
	}

	if got := service.replies(); len(got) != 1 || got[0].responseID != "5" {
		t.Fatalf("service received %+v; want the reply delivered by the first check", got)
	}
	if !strings.Contains(logs.String(), `msg="mail: replies checked"`) {
		t.Errorf("Run did not log the summary:\n%s", &logs)
	}
}
