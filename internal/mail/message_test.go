package mail

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestParseFormBody(t *testing.T) {
	tests := []struct {
		flag     []string // nil: field absent
		wantHTML bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"false"}, false},
		{[]string{"False"}, false},
		{[]string{"true"}, true},
		{[]string{"1"}, true},
		{[]string{"0"}, true},
		{[]string{"yes"}, true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.flag, ","), func(t *testing.T) {
			form := url.Values{"dests": {"ann@example.org"}, "subject": {"Hi"}, "message": {"<p>body</p>"}}
			if tt.flag != nil {
				form["html_message"] = tt.flag
			}

			msg, err := ParseForm(form)
			if err != nil {
				t.Fatalf("ParseForm: %v", err)
			}
			gotHTML := msg.HTML == "<p>body</p>" && msg.Text == ""
			gotText := msg.Text == "<p>body</p>" && msg.HTML == ""
			if tt.wantHTML && !gotHTML || !tt.wantHTML && !gotText {
				t.Errorf("html_message=%q: Text %q, HTML %q; want HTML %v", tt.flag, msg.Text, msg.HTML, tt.wantHTML)
			}
		})
	}
}

func TestParseFormFields(t *testing.T) {
	form := url.Values{
		"sender":      {"Polls <polls@example.org>"},
		"dests":       {"ann@example.org", "Bob <bob@example.org>"},
		"subject":     {"Your vote"},
		"message":     {"Thanks"},
		"response_id": {"vote-7"},
	}
	msg, err := ParseForm(form)
	if err != nil {
		t.Fatalf("ParseForm: %v", err)
	}
	if msg.Sender != "Polls <polls@example.org>" {
		t.Errorf("Sender = %q", msg.Sender)
	}
	if !slices.Equal(msg.To, []string{"ann@example.org", "Bob <bob@example.org>"}) {
		t.Errorf("To = %q", msg.To)
	}
	if msg.Subject != "Your vote" || msg.Text != "Thanks" || msg.ResponseID != "vote-7" {
		t.Errorf("Subject, Text, ResponseID = %q, %q, %q", msg.Subject, msg.Text, msg.ResponseID)
	}
	if msg.ServiceKey != "" {
		t.Errorf("ServiceKey = %q; the form must not set it", msg.ServiceKey)
	}
}

func TestParseFormRejects(t *testing.T) {
	valid := func() url.Values {
		return url.Values{"dests": {"ann@example.org"}, "subject": {"Hi"}, "message": {"body"}}
	}
	tests := []struct {
		name   string
		change func(url.Values)
		want   string
	}{
		{"no dests", func(v url.Values) { v.Del("dests") }, "missing recipients"},
		{"invalid dest", func(v url.Values) { v.Set("dests", "not an address") }, `recipient "not an address"`},
		{"injected dest", func(v url.Values) { v.Set("dests", "a@b.org\r\nBcc: c@d.org") }, "line break"},
		{"too many dests", func(v url.Values) {
			v["dests"] = slices.Repeat([]string{"a@b.org"}, MaxRecipients+1)
		}, "recipients, more than"},
		{"invalid sender", func(v url.Values) { v.Set("sender", "nobody") }, `sender "nobody"`},
		{"no subject", func(v url.Values) { v.Del("subject") }, "missing subject"},
		{"blank subject", func(v url.Values) { v.Set("subject", "  ") }, "missing subject"},
		{"injected subject", func(v url.Values) { v.Set("subject", "Hi\nBcc: c@d.org") }, "subject contains a line break"},
		{"no message", func(v url.Values) { v.Del("message") }, "missing body"},
		{"injected response_id", func(v url.Values) { v.Set("response_id", "1\r\n") }, "response_id contains a line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := valid()
			tt.change(form)
			_, err := ParseForm(form)
			if !errors.Is(err, ErrInvalidMessage) {
				t.Fatalf("ParseForm: error %v; want ErrInvalidMessage", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

// FuzzParseForm checks that a form either gives a message that passes
// Validate and cannot inject a header, or an ErrInvalidMessage.
func FuzzParseForm(f *testing.F) {
	f.Add("dests=ann%40example.org&subject=Hi&message=body&html_message=false")
	f.Add("dests=a%40b.org&dests=c%40d.org&subject=S&message=%3Cb%3E&html_message=1&response_id=7")
	f.Add("dests=a%40b.org%0D%0ABcc%3A+x%40y.org&subject=S&message=m")
	f.Fuzz(func(t *testing.T, query string) {
		form, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		msg, err := ParseForm(form)
		if err != nil {
			if !errors.Is(err, ErrInvalidMessage) {
				t.Fatalf("ParseForm(%q) error %v is not ErrInvalidMessage", query, err)
			}
			return
		}

		if len(msg.To) == 0 || strings.TrimSpace(msg.Subject) == "" || msg.Text == "" && msg.HTML == "" {
			t.Fatalf("ParseForm(%q) accepted an incomplete message %+v", query, msg)
		}
		for _, field := range append([]string{msg.Sender, msg.Subject, msg.ResponseID}, msg.To...) {
			if strings.ContainsAny(field, "\r\n") {
				t.Fatalf("ParseForm(%q) accepted a line break in %q", query, field)
			}
		}
	})
}
