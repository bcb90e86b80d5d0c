package mail

import (
	"strings"

	"github.com/emersion/go-message"
)

// autoReplyReason returns why a received mail is an automatic one
// (vacation notice, bounce, mailing-list mail), or "" for a mail a person
// wrote. The checker deletes automatic mail instead of delivering it.
func autoReplyReason(h message.Header) string {
	// RFC 3834: any value but "no" marks a mail sent by a program.
	if value := headerToken(h, "Auto-Submitted"); value != "" && value != "no" {
		return "Auto-Submitted: " + value
	}

	// Microsoft Exchange and Outlook set it on their automatic replies.
	if h.Has("X-Auto-Response-Suppress") {
		return "X-Auto-Response-Suppress present"
	}

	switch value := headerToken(h, "Precedence"); value {
	case "auto_reply", "bulk", "junk", "list":
		return "Precedence: " + value
	}

	// Older vacation programs set these instead of Auto-Submitted.
	for _, key := range []string{"X-Autoreply", "X-Autorespond"} {
		if h.Has(key) {
			return key + " present"
		}
	}

	// RFC 5321 section 4.5.5: bounces have an empty return path, and
	// delivery reports (RFC 6522) are multipart/report.
	if strings.TrimSpace(h.Get("Return-Path")) == "<>" {
		return "empty Return-Path (bounce)"
	}
	if mediaType, _, err := h.ContentType(); err == nil && mediaType == "multipart/report" {
		return "multipart/report (delivery or read report)"
	}

	return ""
}

// headerToken returns the first token of a header field, in lower case,
// without its parameters: "Auto-Replied; owner=x" gives "auto-replied".
func headerToken(h message.Header, key string) string {
	value, _, _ := strings.Cut(h.Get(key), ";")
	return strings.ToLower(strings.TrimSpace(value))
}
