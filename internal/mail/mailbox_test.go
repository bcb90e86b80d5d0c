package mail

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// startSilentServer starts a TCP server on 127.0.0.1 that sends greeting
// and then reads commands without ever replying, as a stuck server does.
func startSilentServer(t *testing.T, greeting string) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening: %v", err)
	}
	t.Cleanup(func() { listener.Close() })

	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				_, _ = conn.Write([]byte(greeting))
				scanner := bufio.NewScanner(conn)
				for scanner.Scan() {
				}
			}()
		}
	}()
	return listener.Addr().String()
}

func TestDialMailboxTimesOut(t *testing.T) {
	tests := []struct {
		protocol MailboxProtocol
		greeting string
	}{
		{ProtocolIMAP, "* OK IMAP4rev1 ready\r\n"},
		{ProtocolPOP3, "+OK POP3 ready\r\n"},
	}
	for _, tt := range tests {
		t.Run(string(tt.protocol), func(t *testing.T) {
			addr := startSilentServer(t, tt.greeting)
			cfg := MailboxConfig{Protocol: tt.protocol, Addr: addr, TLS: TLSNone, User: "u", Password: "p",
				Timeout: 200 * time.Millisecond}

			_, err := DialMailbox(context.Background(), cfg)
			if err == nil || !strings.Contains(err.Error(), "timed out after 200ms") && !isTimeout(err) {
				t.Fatalf("DialMailbox to a server that never replies: error %v; want a time-out", err)
			}
		})
	}
}

func isTimeout(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

func TestDialMailboxCanceled(t *testing.T) {
	addr := startSilentServer(t, "* OK IMAP4rev1 ready\r\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	cfg := MailboxConfig{Protocol: ProtocolIMAP, Addr: addr, TLS: TLSNone, User: "u", Password: "p"}
	if _, err := DialMailbox(ctx, cfg); err == nil {
		t.Fatal("DialMailbox with a canceled context: no error")
	}
}

func TestMailboxConfigRejects(t *testing.T) {
	valid := MailboxConfig{Protocol: ProtocolIMAP, Addr: "127.0.0.1:993", User: "u"}
	tests := []struct {
		name   string
		change func(*MailboxConfig)
		want   string
	}{
		{"protocol", func(c *MailboxConfig) { c.Protocol = "smtp" }, "invalid mailbox protocol"},
		{"address", func(c *MailboxConfig) { c.Addr = "mail.example.org" }, "invalid mailbox address"},
		{"TLS mode", func(c *MailboxConfig) { c.TLS = "ssl" }, "invalid TLS mode"},
		{"user", func(c *MailboxConfig) { c.User = "" }, "missing mailbox user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid
			tt.change(&cfg)
			_, err := DialMailbox(context.Background(), cfg)
			t.Logf("error: %v", err)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("DialMailbox: error %v; want one saying %q", err, tt.want)
			}
		})
	}
}
