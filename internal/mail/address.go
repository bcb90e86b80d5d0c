package mail

import (
	"fmt"
	netmail "net/mail"
	"strings"
)

// tagSeparator separates the local part of the proxy's address from the
// reply tag: no-reply+TOKEN@example.org.
const tagSeparator = "+"

// replyAddress is the proxy's sender address split for tagging.
type replyAddress struct {
	local  string
	domain string
}

// parseReplyAddress returns the address in from, which may carry a display
// name ("PlugIt <no-reply@example.org>").
func parseReplyAddress(from string) (replyAddress, error) {
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return replyAddress{}, fmt.Errorf("mail: invalid sender address %q: %w", from, err)
	}

	at := strings.LastIndexByte(addr.Address, '@')
	if at <= 0 || at == len(addr.Address)-1 {
		return replyAddress{}, fmt.Errorf("mail: invalid sender address %q: missing local part or domain", from)
	}

	return replyAddress{local: addr.Address[:at], domain: addr.Address[at+1:]}, nil
}

// String returns the address without a tag.
func (a replyAddress) String() string {
	return a.local + "@" + a.domain
}

// withTag returns the address with token after its local part.
func (a replyAddress) withTag(token string) string {
	return a.local + tagSeparator + token + "@" + a.domain
}

// findTags returns the tags of every tagged form of the address in a
// header value such as `"Support" <no-reply+abc@example.org>, x@y.org`.
// Local part and domain match in any case, because mail systems may
// change it; a tag is made of the characters of the token alphabet.
func (a replyAddress) findTags(value string) []string {
	lower := strings.ToLower(value)
	prefix := strings.ToLower(a.local + tagSeparator)
	suffix := "@" + strings.ToLower(a.domain)

	var tags []string
	for start := 0; start < len(lower); {
		i := strings.Index(lower[start:], prefix)
		if i < 0 {
			break
		}
		i += start
		start = i + len(prefix)

		if i > 0 && isAddressChar(lower[i-1]) {
			continue
		}
		tag := lower[start:]
		tag = tag[:tokenCharsPrefix(tag)]
		rest := lower[start+len(tag):]
		if tag == "" || !strings.HasPrefix(rest, suffix) {
			continue
		}
		if continuesDomain(rest[len(suffix):]) {
			continue
		}
		tags = append(tags, tag)
	}
	return tags
}

// tokenCharsPrefix returns the length of the longest prefix of s made of
// lowercase base32 characters.
func tokenCharsPrefix(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return i
		}
	}
	return len(s)
}

// isAddressChar reports whether c can be part of an unquoted local part,
// so that "xno-reply+t@d" is not taken for "no-reply+t@d".
func isAddressChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("!#$%&'*+-/=?^_`{|}~.", c) >= 0
}

// continuesDomain reports whether after, the text after a matched domain,
// makes that domain longer: "@example.org.evil" is not "@example.org", but
// "@example.org." at the end of a sentence is.
func continuesDomain(after string) bool {
	after = strings.TrimPrefix(after, ".")
	return after != "" && isDomainChar(after[0]) && after[0] != '.'
}

// isDomainChar reports whether c can continue a domain name, so that
// "@example.org.evil" is not taken for "@example.org".
func isDomainChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
}
