package mail

import (
	"slices"
	"strings"
	"testing"
)

func TestParseReplyAddress(t *testing.T) {
	address, err := parseReplyAddress("PlugIt <no-reply@example.org>")
	if err != nil {
		t.Fatalf("parseReplyAddress: %v", err)
	}
	if got := address.withTag("abc234"); got != "no-reply+abc234@example.org" {
		t.Errorf("withTag = %q; want no-reply+abc234@example.org", got)
	}

	for _, bad := range []string{"", "no-reply", "<@example.org>", "a@b@c"} {
		if _, err := parseReplyAddress(bad); err == nil {
			t.Errorf("parseReplyAddress(%q): no error", bad)
		}
	}
}

func TestFindTags(t *testing.T) {
	address := replyAddress{local: "no-reply", domain: "example.org"}
	tests := []struct {
		name  string
		value string
		want  []string
	}{
		{"bare", "no-reply+abc234@example.org", []string{"abc234"}},
		{"display name", `"PlugIt" <no-reply+abc@example.org>`, []string{"abc"}},
		{"upper case", "NO-REPLY+ABC@EXAMPLE.ORG", []string{"abc"}},
		{"list", "ann@x.org, no-reply+aaa@example.org,no-reply+bbb@example.org", []string{"aaa", "bbb"}},
		{"end of sentence", "write to no-reply+abc@example.org.", []string{"abc"}},
		{"untagged", "no-reply@example.org", nil},
		{"empty tag", "no-reply+@example.org", nil},
		{"other domain", "no-reply+abc@example.org.evil.com", nil},
		{"longer domain", "no-reply+abc@example.organic", nil},
		{"subdomain", "no-reply+abc@sub.example.org", nil},
		{"longer local part", "xno-reply+abc@example.org", nil},
		{"other characters", "no-reply+ab1c@example.org", nil},
		{"other address", "ann@example.org", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := address.findTags(tt.value); !slices.Equal(got, tt.want) {
				t.Errorf("findTags(%q) = %q; want %q", tt.value, got, tt.want)
			}
		})
	}
}

// FuzzFindTags checks that tags hold only token characters, and that a
// tagged address placed in arbitrary text between delimiters is found.
func FuzzFindTags(f *testing.F) {
	f.Add("Ann <ann@example.org>", "abc234")
	f.Add("no-reply+", "zz")
	f.Add("\"x\" <no-reply+q@example.org>, ", "a")
	address := replyAddress{local: "no-reply", domain: "example.org"}
	f.Fuzz(func(t *testing.T, text, tag string) {
		for _, found := range address.findTags(text) {
			if found == "" || tokenCharsPrefix(found) != len(found) {
				t.Fatalf("findTags(%q) returned tag %q", text, found)
			}
		}

		tag = strings.ToLower(tag)
		if tag == "" || tokenCharsPrefix(tag) != len(tag) {
			return
		}
		value := text + ", <" + address.withTag(tag) + ">, " + text
		if !slices.Contains(address.findTags(value), tag) {
			t.Fatalf("findTags(%q) misses tag %q", value, tag)
		}
	})
}
