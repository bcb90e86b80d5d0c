package mail

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

func readTestReply(t *testing.T, name string) *inboundMail {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "replies", name))
	if err != nil {
		t.Fatalf("reading test reply: %v", err)
	}
	mail, err := parseInbound(raw)
	if err != nil {
		t.Fatalf("parseInbound(%s): %v", name, err)
	}
	return mail
}

func TestFirstTextPart(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"quoted-printable.eml", "J\u2019ai voté pour le café, avec une ligne très longue.\n\n> quoted\n"},
		{"latin1-base64.eml", "Très bien, merci.\nÀ bientôt\n"},
		{"windows-1252.eml", "Quote: \u201cyes\u201d\n"},
		{"alternative.eml", "Yes, count me in."},
		{"nested-with-attachment.eml", "The reply."},
		{"no-content-type.eml", "A bare reply.\n"},
		{"unknown-charset.eml", "plain ascii and \uFFFD byte\n"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			text, err := readTestReply(t, tt.file).firstTextPart(1 << 20)
			if err != nil {
				t.Fatalf("firstTextPart: %v", err)
			}
			if text != tt.want {
				t.Errorf("firstTextPart = %q; want %q", text, tt.want)
			}
		})
	}
}

func TestFirstTextPartMissing(t *testing.T) {
	_, err := readTestReply(t, "html-only.eml").firstTextPart(1 << 20)
	if !errors.Is(err, errNoTextPart) {
		t.Fatalf("firstTextPart of an HTML-only mail: error %v; want errNoTextPart", err)
	}
}

func TestInboundHeaders(t *testing.T) {
	mail := readTestReply(t, "latin1-base64.eml")
	if subject := mail.headerText("Subject"); subject != "Réponse" {
		t.Errorf("Subject = %q; want the decoded word Réponse", subject)
	}

	address := replyAddress{local: "no-reply", domain: "example.org"}
	mail.entity.Header.Add("Delivered-To", "no-reply+delivered@example.org")
	mail.entity.Header.Add("Cc", "no-reply+copy@example.org")
	if got := strings.Join(mail.tags(address), ","); got != "tag,copy,delivered" {
		t.Errorf("tags = %q; want the tags of To, Cc and Delivered-To in that order", got)
	}
}

func TestAutoReplyReason(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]string
		auto   bool
	}{
		{"person", map[string]string{"From": "ann@example.org"}, false},
		{"Auto-Submitted no", map[string]string{"Auto-Submitted": "no"}, false},
		{"Auto-Submitted No with comment", map[string]string{"Auto-Submitted": "No (person)"}, true},
		{"Auto-Submitted auto-replied", map[string]string{"Auto-Submitted": "auto-replied"}, true},
		{"Auto-Submitted with parameter", map[string]string{"Auto-Submitted": "Auto-Generated; owner=x"}, true},
		{"X-Auto-Response-Suppress", map[string]string{"X-Auto-Response-Suppress": "All"}, true},
		{"Precedence bulk", map[string]string{"Precedence": "bulk"}, true},
		{"Precedence junk", map[string]string{"Precedence": "JUNK"}, true},
		{"Precedence list", map[string]string{"Precedence": "list"}, true},
		{"Precedence auto_reply", map[string]string{"Precedence": "auto_reply"}, true},
		{"Precedence first-class", map[string]string{"Precedence": "first-class"}, false},
		{"X-Autoreply", map[string]string{"X-Autoreply": "yes"}, true},
		{"X-Autorespond", map[string]string{"X-Autorespond": "Out of office"}, true},
		{"bounce", map[string]string{"Return-Path": "<>"}, true},
		{"return path", map[string]string{"Return-Path": "<ann@example.org>"}, false},
		{"delivery report", map[string]string{
			"Content-Type": "multipart/report; report-type=delivery-status; boundary=x",
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h textproto.Header
			for key, value := range tt.header {
				h.Set(key, value)
			}
			reason := autoReplyReason(message.Header{Header: h})
			if (reason != "") != tt.auto {
				t.Errorf("autoReplyReason(%v) = %q; want automatic %v", tt.header, reason, tt.auto)
			}
		})
	}
}

// FuzzParseInbound checks that any bytes either fail to parse or give a
// text that is valid UTF-8 without CR, never a panic.
func FuzzParseInbound(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "replies", "*.eml"))
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err == nil {
			f.Add(raw)
		}
	}
	address := replyAddress{local: "no-reply", domain: "example.org"}
	f.Fuzz(func(t *testing.T, raw []byte) {
		mail, err := parseInbound(raw)
		if err != nil {
			return
		}
		_ = autoReplyReason(mail.entity.Header)
		_ = mail.tags(address)

		text, err := mail.firstTextPart(1 << 16)
		if err != nil {
			return
		}
		if strings.Contains(text, "\r") || !utf8.ValidString(text) {
			t.Fatalf("firstTextPart = %q: want UTF-8 with \\n line endings", text)
		}
	})
}
