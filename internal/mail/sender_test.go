package mail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-message"

	"github.com/plugit-go/plugit/internal/mail/internal/mailtest"
)

const testFrom = "PlugIt <no-reply@example.org>"

// newTestSender returns a sender to server, with TLS verified against the
// server's certificate.
func newTestSender(t *testing.T, server *mailtest.SMTPServer, cfg Config) *Sender {
	t.Helper()

	host, port, err := net.SplitHostPort(server.Addr)
	if err != nil {
		t.Fatalf("splitting %q: %v", server.Addr, err)
	}
	cfg.Host = host
	cfg.Port, _ = strconv.Atoi(port)
	if cfg.From == "" {
		cfg.From = testFrom
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSNone
	}
	if server.Cert != nil {
		cfg.TLSConfig = server.Cert.Client
	}
	if cfg.TokenKey == nil {
		cfg.TokenKey = testKey(1)
	}

	sender, err := NewSender(cfg)
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	return sender
}

// onlyReceived returns the one mail server received.
func onlyReceived(t *testing.T, server *mailtest.SMTPServer) mailtest.Received {
	t.Helper()
	received := server.Received()
	if len(received) != 1 {
		t.Fatalf("server received %d mails; want 1", len(received))
	}
	return received[0]
}

// bodyParts returns the content type and decoded body of every leaf part.
func bodyParts(t *testing.T, data []byte) (message.Header, map[string]string) {
	t.Helper()
	entity, err := message.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parsing sent mail: %v", err)
	}
	header := entity.Header

	parts := make(map[string]string)
	err = entity.Walk(func(_ []int, part *message.Entity, err error) error {
		if err != nil {
			return err
		}
		mediaType, _, _ := part.Header.ContentType()
		if strings.HasPrefix(mediaType, "multipart/") {
			return nil
		}
		body, err := io.ReadAll(part.Body)
		// The encoder ends the body with a line break.
		parts[mediaType] = strings.TrimSuffix(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n")
		return err
	})
	if err != nil {
		t.Fatalf("reading parts of the sent mail: %v", err)
	}
	return header, parts
}

func TestSendPlainText(t *testing.T) {
	server := mailtest.StartSMTP(t, mailtest.SMTPOptions{})
	sender := newTestSender(t, server, Config{})

	msg := Message{To: []string{"ann@example.org", "Bob <bob@example.org>"}, Subject: "Vote open", Text: "Vote now.\nBye"}
	if err := sender.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}

	got := onlyReceived(t, server)
	if got.From != "no-reply@example.org" {
		t.Errorf("envelope sender = %q; want no-reply@example.org", got.From)
	}
	if strings.Join(got.To, ",") != "ann@example.org,bob@example.org" {
		t.Errorf("envelope recipients = %q", got.To)
	}

	header, parts := bodyParts(t, got.Data)
	if subject, _ := header.Text("Subject"); subject != "Vote open" {
		t.Errorf("Subject = %q", subject)
	}
	if from := header.Get("From"); !strings.Contains(from, "no-reply@example.org") {
		t.Errorf("From = %q; want the configured sender", from)
	}
	if header.Has("Reply-To") {
		t.Errorf("Reply-To = %q; want none without response_id", header.Get("Reply-To"))
	}
	if got := header.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted = %q; want auto-generated", got)
	}
	if header.Get("Message-Id") == "" || header.Get("Date") == "" {
		t.Errorf("Message-Id, Date = %q, %q; want both set", header.Get("Message-Id"), header.Get("Date"))
	}
	if len(parts) != 1 || parts["text/plain"] != "Vote now.\nBye" {
		t.Errorf("parts = %q; want one text/plain part", parts)
	}
}

func TestSendBodies(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		html      string
		wantTypes []string
	}{
		{"HTML only", "", "<p>Hi</p>", []string{"text/html"}},
		{"HTML and text", "Hi", "<p>Hi</p>", []string{"text/html", "text/plain"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server := mailtest.StartSMTP(t, mailtest.SMTPOptions{})
			sender := newTestSender(t, server, Config{})

			msg := Message{To: []string{"ann@example.org"}, Subject: "S", Text: tt.text, HTML: tt.html}
			if err := sender.Send(context.Background(), msg); err != nil {
				t.Fatalf("Send: %v", err)
			}

			header, parts := bodyParts(t, onlyReceived(t, server).Data)
			if len(parts) != len(tt.wantTypes) {
				t.Fatalf("parts = %q; want %q", parts, tt.wantTypes)
			}
			for _, mediaType := range tt.wantTypes {
				if _, ok := parts[mediaType]; !ok {
					t.Errorf("no %s part in %q", mediaType, parts)
				}
			}
			if parts["text/html"] != tt.html {
				t.Errorf("HTML part = %q; want %q", parts["text/html"], tt.html)
			}
			if mediaType, _, _ := header.ContentType(); len(tt.wantTypes) == 2 && mediaType != "multipart/alternative" {
				t.Errorf("Content-Type = %q; want multipart/alternative", mediaType)
			}
		})
	}
}

func TestSendReplyToTag(t *testing.T) {
	server := mailtest.StartSMTP(t, mailtest.SMTPOptions{})
	sender := newTestSender(t, server, Config{})

	msg := Message{Sender: "Polls <polls@example.org>", To: []string{"ann@example.org"}, Subject: "S",
		Text: "reply to this", ResponseID: "vote-7", ServiceKey: "polls"}
	if err := sender.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}

	header, _ := bodyParts(t, onlyReceived(t, server).Data)
	if from := header.Get("From"); !strings.Contains(from, "polls@example.org") {
		t.Errorf("From = %q; want the message's sender", from)
	}

	address := replyAddress{local: "no-reply", domain: "example.org"}
	tags := address.findTags(header.Get("Reply-To"))
	if len(tags) != 1 {
		t.Fatalf("Reply-To = %q; want one no-reply+TOKEN@example.org", header.Get("Reply-To"))
	}
	service, responseID, err := newTestCodec(t, 1).Decode(tags[0])
	if err != nil || service != "polls" || responseID != "vote-7" {
		t.Errorf("tag decodes to %q, %q, %v; want polls, vote-7", service, responseID, err)
	}
}

func TestSendTLSAndAuth(t *testing.T) {
	for _, mode := range []TLSMode{TLSStartTLS, TLSImplicit} {
		t.Run(string(mode), func(t *testing.T) {
			server := mailtest.StartSMTP(t, mailtest.SMTPOptions{TLS: string(mode), User: "plugit", Password: "s3cret"})
			msg := Message{To: []string{"ann@example.org"}, Subject: "S", Text: "T"}

			sender := newTestSender(t, server, Config{TLS: mode, User: "plugit", Password: "s3cret"})
			if err := sender.Send(context.Background(), msg); err != nil {
				t.Fatalf("Send with the right password: %v", err)
			}
			onlyReceived(t, server)

			wrong := newTestSender(t, server, Config{TLS: mode, User: "plugit", Password: "wrong"})
			if err := wrong.Send(context.Background(), msg); err == nil {
				t.Error("Send with a wrong password: no error")
			}
			if len(server.Received()) != 1 {
				t.Errorf("server received %d mails; want only the authenticated one", len(server.Received()))
			}
		})
	}
}

func TestSendStartTLSMissing(t *testing.T) {
	server := mailtest.StartSMTP(t, mailtest.SMTPOptions{})
	sender := newTestSender(t, server, Config{TLS: TLSStartTLS})

	err := sender.Send(context.Background(), Message{To: []string{"ann@example.org"}, Subject: "S", Text: "T"})
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("Send in starttls mode to a server without STARTTLS: error %v; want a STARTTLS error", err)
	}
	if n := len(server.Received()); n != 0 {
		t.Errorf("server received %d mails in clear text; want 0", n)
	}
}

func TestSendNotConfigured(t *testing.T) {
	msg := Message{To: []string{"ann@example.org"}, Subject: "S", Text: "T"}

	sender, err := NewSender(Config{})
	if err != nil {
		t.Fatalf("NewSender without Host: %v", err)
	}
	if err := sender.Send(context.Background(), msg); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("Send without Host: error %v; want ErrNotConfigured", err)
	}

	var none *Sender
	if err := none.Send(context.Background(), msg); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("Send on a nil sender: error %v; want ErrNotConfigured", err)
	}
}

func TestSendResponseIDNeedsKeyAndService(t *testing.T) {
	server := mailtest.StartSMTP(t, mailtest.SMTPOptions{})
	msg := Message{To: []string{"ann@example.org"}, Subject: "S", Text: "T", ResponseID: "7", ServiceKey: "polls"}

	sender := newTestSender(t, server, Config{})
	sender.tokens = nil
	if err := sender.Send(context.Background(), msg); !errors.Is(err, ErrNoTokenKey) {
		t.Errorf("Send with response_id and no token key: error %v; want ErrNoTokenKey", err)
	}

	msg.ServiceKey = ""
	sender = newTestSender(t, server, Config{})
	if err := sender.Send(context.Background(), msg); !errors.Is(err, ErrInvalidMessage) {
		t.Errorf("Send with response_id and no service key: error %v; want ErrInvalidMessage", err)
	}
	if n := len(server.Received()); n != 0 {
		t.Errorf("server received %d mails; want 0", n)
	}
}

func TestNewSenderRejectsConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no From", Config{Host: "127.0.0.1"}, "missing From"},
		{"invalid From", Config{Host: "127.0.0.1", From: "nobody"}, "invalid From"},
		{"invalid port", Config{Host: "127.0.0.1", From: testFrom, Port: 70000}, "invalid SMTP port"},
		{"invalid TLS", Config{Host: "127.0.0.1", From: testFrom, TLS: "ssl"}, "invalid TLS mode"},
		{"short key", Config{Host: "127.0.0.1", From: testFrom, TokenKey: []byte("short")}, "token key is 5 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSender(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewSender: error %v; want one saying %q", err, tt.want)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	tests := []struct {
		mode     TLSMode
		wantPort int
	}{
		{"", DefaultSMTPPort},
		{TLSStartTLS, DefaultSMTPPort},
		{TLSImplicit, DefaultSMTPSPort},
		{TLSNone, DefaultSMTPNonePort},
	}
	for _, tt := range tests {
		cfg := Config{TLS: tt.mode}.withDefaults()
		if cfg.Port != tt.wantPort || cfg.Timeout != DefaultTimeout {
			t.Errorf("TLS %q: port %d, timeout %s; want %d, %s", tt.mode, cfg.Port, cfg.Timeout, tt.wantPort, DefaultTimeout)
		}
	}
}
