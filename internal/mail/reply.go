package mail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	// Registers the decoders of the charsets that mail uses besides UTF-8.
	_ "github.com/emersion/go-message/charset"
)

// recipientHeaders are the header fields searched for the reply tag:
// where the user's mail program puts the Reply-To address, and where
// the receiving server records the envelope recipient.
var recipientHeaders = []string{"To", "Cc", "Delivered-To", "X-Original-To"}

// errNoTextPart is returned by firstTextPart for a mail without a
// text/plain part.
var errNoTextPart = errors.New("mail: reply has no text/plain part")

// errFoundText stops the walk through the parts of a mail.
var errFoundText = errors.New("text part found")

// inboundMail is a received mail, parsed as far as the checker needs.
type inboundMail struct {
	entity *message.Entity
	// charsetErr is set when a part of the mail uses an unknown charset or
	// transfer encoding; such a part is read as it is.
	charsetErr error
}

// parseInbound parses the header of raw.
func parseInbound(raw []byte) (*inboundMail, error) {
	entity, err := message.Read(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("mail: parsing reply: %w", err)
	}
	return &inboundMail{entity: entity, charsetErr: err}, nil
}

// headerText returns a header field decoded for a log line.
func (m *inboundMail) headerText(key string) string {
	value, err := m.entity.Header.Text(key)
	if err != nil {
		return m.entity.Header.Get(key)
	}
	return value
}

// tags returns the reply tags found in the recipient fields, in the order
// of recipientHeaders.
func (m *inboundMail) tags(address replyAddress) []string {
	var tags []string
	for _, key := range recipientHeaders {
		for _, value := range m.entity.Header.Values(key) {
			tags = append(tags, address.findTags(value)...)
		}
	}
	return tags
}

// firstTextPart returns the first text/plain part that is not an
// attachment, decoded to UTF-8 with "\n" line endings. A mail without a
// Content-Type is text/plain (RFC 2045 section 5.2).
func (m *inboundMail) firstTextPart(maxBytes int64) (string, error) {
	var text []byte
	err := m.entity.Walk(func(_ []int, part *message.Entity, err error) error {
		if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
			return err
		}
		if !isInlineText(part.Header) {
			return nil
		}

		text, err = io.ReadAll(io.LimitReader(part.Body, maxBytes))
		if err != nil {
			return fmt.Errorf("reading text part: %w", err)
		}
		return errFoundText
	})
	if err != nil && !errors.Is(err, errFoundText) {
		return "", fmt.Errorf("mail: reading reply parts: %w", err)
	}
	if text == nil {
		return "", errNoTextPart
	}

	return normalizeText(text), nil
}

func isInlineText(h message.Header) bool {
	mediaType, _, err := h.ContentType()
	if err != nil || mediaType != "text/plain" {
		return false
	}
	disposition, _, err := h.ContentDisposition()
	return err != nil || disposition != "attachment"
}

// normalizeText converts CRLF and bare CR line endings to "\n" and
// replaces invalid UTF-8, which a part in an unknown charset may hold.
func normalizeText(text []byte) string {
	s := strings.ReplaceAll(string(text), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}
