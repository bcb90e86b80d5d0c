package mail

import (
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strings"
)

// ErrInvalidMessage is returned for a message that cannot be sent as it is.
var ErrInvalidMessage = errors.New("mail: invalid message")

// MaxRecipients is the maximum number of recipients of one message.
const MaxRecipients = 100

// Message is one mail a service asks the proxy to send, as in the API's
// POST mail/ form.
type Message struct {
	// Sender is the From address. Empty means the proxy's sender address
	// (Config.From). Form field: sender.
	Sender string

	// To lists the recipients. Form field: dests, repeated.
	To []string

	// Subject is required. Form field: subject.
	Subject string

	// Text is the plain-text body. Form field: message, unless
	// html_message is set.
	Text string

	// HTML is the HTML body. Form field: message, when html_message is set.
	// With both Text and HTML set, the mail is multipart/alternative.
	HTML string

	// ResponseID, when set, makes replies to the mail come back to the
	// service's mail call with this response_id. Form field: response_id.
	ResponseID string

	// ServiceKey is the key of the service that sends the message, which
	// the reply tag carries. The proxy sets it from the calling service,
	// never from the form. Required with ResponseID.
	ServiceKey string
}

// ParseForm returns the message in the fields of a POST mail/ form. It
// sets neither ServiceKey nor anything the form leaves out.
//
// The body in the field message is HTML unless html_message is absent,
// empty or "false". "false" matches in any case, because Python's
// str(False) is "False".
func ParseForm(form url.Values) (Message, error) {
	msg := Message{
		Sender:     form.Get("sender"),
		To:         form["dests"],
		Subject:    form.Get("subject"),
		ResponseID: form.Get("response_id"),
	}

	body := form.Get("message")
	if isHTMLFlag(form.Get("html_message")) {
		msg.HTML = body
	} else {
		msg.Text = body
	}

	if err := msg.Validate(); err != nil {
		return Message{}, err
	}
	return msg, nil
}

func isHTMLFlag(value string) bool {
	return value != "" && !strings.EqualFold(value, "false")
}

// Validate checks that the message has recipients, a subject and a body,
// and that no field can inject a header. It does not check ServiceKey,
// which the proxy sets after parsing the form.
func (m Message) Validate() error {
	if len(m.To) == 0 {
		return fmt.Errorf("%w: missing recipients (dests)", ErrInvalidMessage)
	}
	if len(m.To) > MaxRecipients {
		return fmt.Errorf("%w: %d recipients, more than %d", ErrInvalidMessage, len(m.To), MaxRecipients)
	}
	for _, to := range m.To {
		if err := validateAddress("recipient", to); err != nil {
			return err
		}
	}
	if m.Sender != "" {
		if err := validateAddress("sender", m.Sender); err != nil {
			return err
		}
	}

	if strings.TrimSpace(m.Subject) == "" {
		return fmt.Errorf("%w: missing subject", ErrInvalidMessage)
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return fmt.Errorf("%w: subject contains a line break", ErrInvalidMessage)
	}
	if m.Text == "" && m.HTML == "" {
		return fmt.Errorf("%w: missing body (message)", ErrInvalidMessage)
	}
	if m.ResponseID != "" && strings.ContainsAny(m.ResponseID, "\r\n") {
		return fmt.Errorf("%w: response_id contains a line break", ErrInvalidMessage)
	}
	return nil
}

// validateAddress checks that value is one address, such as
// "Ann <ann@example.org>", without line breaks.
func validateAddress(field, value string) error {
	if strings.ContainsAny(value, "\r\n") {
		return fmt.Errorf("%w: %s %q contains a line break", ErrInvalidMessage, field, value)
	}
	if _, err := netmail.ParseAddress(value); err != nil {
		return fmt.Errorf("%w: %s %q is not an e-mail address: %v", ErrInvalidMessage, field, value, err)
	}
	return nil
}
