package mail

import (
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkTokenEncode(b *testing.B) {
	codec := newTestCodec(b, 1)
	for b.Loop() {
		if _, err := codec.Encode("polls", "vote-12345"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTokenDecode(b *testing.B) {
	codec := newTestCodec(b, 1)
	token, err := codec.Encode("polls", "vote-12345")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := codec.Decode(token); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadReply measures what the checker does with one fetched
// reply before delivering it: parse, find and decode the tag, read the
// text of a nested multipart mail.
func BenchmarkReadReply(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "replies", "nested-with-attachment.eml"))
	if err != nil {
		b.Fatal(err)
	}
	checker := &Checker{address: replyAddress{local: "no-reply", domain: "example.org"}, tokens: newTestCodec(b, 1)}
	checker.cfg.MaxMessageBytes = DefaultMaxMessageBytes
	token, _ := checker.tokens.Encode("polls", "1")
	raw = append([]byte("Delivered-To: no-reply+"+token+"@example.org\r\n"), raw...)

	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		mail, err := parseInbound(raw)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := checker.readReply(mail); err != nil {
			b.Fatal(err)
		}
	}
}
