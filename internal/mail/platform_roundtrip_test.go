package mail_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/mail"
	"strings"
	"testing"

	"github.com/plugit-go/plugit/internal/config"
	"github.com/plugit-go/plugit/internal/fixtures"
	"github.com/plugit-go/plugit/internal/mail/internal/mailtest"
	"github.com/plugit-go/plugit/internal/platform"
	"github.com/plugit-go/plugit/service"
)

// TestPlatformMailRoundTrip follows a mail from a service's API call to
// the reply reaching the service's mail call. The service sends through
// the hosted proxy's API and the SMTP server receives the mail. A user
// replies to its Reply-To address into the Dovecot inbox, and the
// platform's checker delivers the reply with the service's response id.
func TestPlatformMailRoundTrip(t *testing.T) {
	smtpServer := mailtest.StartSMTP(t, mailtest.SMTPOptions{})
	dovecot := mailtest.StartDovecot(t)
	fixture, err := fixtures.NewTemplateService()
	if err != nil {
		t.Fatal(err)
	}
	fixtureServer := httptest.NewServer(fixture)
	t.Cleanup(fixtureServer.Close)

	host, port, _ := strings.Cut(smtpServer.Addr, ":")
	yaml := fmt.Sprintf(`
store: %s/plugit.db
mail:
  smtp_host: %s
  smtp_port: %s
  smtp_tls: none
  from: no-reply@example.org
  token_key: %s
  inbox:
    protocol: imap
    addr: %s
    tls: none
    user: %s
    password: %s
services:
  - key: fixture
    url: %s/
    api_key: fixture-api-key-0123456789abcdef
`, t.TempDir(), host, port, strings.Repeat("ab", 32), dovecot.IMAPAddr, dovecot.User, dovecot.Password,
		fixtureServer.URL)
	f, err := config.Parse("plugit.yaml", []byte(yaml), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	pl, err := platform.New(context.Background(), f, platform.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pl.Close() })
	proxyServer := httptest.NewServer(pl.Proxy)
	t.Cleanup(proxyServer.Close)

	client := service.NewAPIClient(proxyServer.URL + "/api/fixture-api-key-0123456789abcdef/fixture/")
	err = client.SendMail(context.Background(), service.Mail{
		Dests: []string{"ann@example.org"}, Subject: "Vote open", Message: "Reply to vote.", ResponseID: "vote-7",
	})
	if err != nil {
		t.Fatalf("sending through the API: %v", err)
	}

	received := smtpServer.Received()
	if len(received) != 1 {
		t.Fatalf("SMTP server received %d mails, want 1", len(received))
	}
	sent, err := mail.ReadMessage(bytes.NewReader(received[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	replyTo := strings.Trim(sent.Header.Get("Reply-To"), "<>")
	if !strings.HasPrefix(replyTo, "no-reply+") {
		t.Fatalf("Reply-To = %q, want the tagged sender address", replyTo)
	}

	dovecot.Append(t, []byte("From: Ann <ann@example.org>\r\nTo: "+replyTo+"\r\nSubject: Re: Vote open\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nI vote yes.\r\n"))
	summary, err := pl.CheckMail(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if summary.Delivered != 1 {
		t.Fatalf("checker summary %+v, want 1 delivered", summary)
	}
	if got := fixture.LastMailResponseID(); got != "vote-7" {
		t.Errorf("service's mail call got response id %q, want vote-7", got)
	}
	if n := len(dovecot.Messages(t)); n != 0 {
		t.Errorf("inbox still has %d messages after delivery", n)
	}
}
