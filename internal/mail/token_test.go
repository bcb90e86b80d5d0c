package mail

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func testKey(fill byte) []byte {
	return bytes.Repeat([]byte{fill}, TokenKeySize)
}

func newTestCodec(t testing.TB, fill byte) *TokenCodec {
	t.Helper()
	codec, err := NewTokenCodec(testKey(fill))
	if err != nil {
		t.Fatalf("NewTokenCodec: %v", err)
	}
	return codec
}

func TestTokenRoundTrip(t *testing.T) {
	codec := newTestCodec(t, 1)
	tests := []struct{ service, responseID string }{
		{"polls", "42"},
		{"s", "a:b:c"},
		{"service-with-long-name", strings.Repeat("r", MaxTokenPayload-len("service-with-long-name:"))},
		{"unicode", "réponse ✓"},
	}
	for _, tt := range tests {
		t.Run(tt.service, func(t *testing.T) {
			token, err := codec.Encode(tt.service, tt.responseID)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			if tokenCharsPrefix(token) != len(token) {
				t.Errorf("token %q has characters outside a-z and 2-7", token)
			}

			for _, variant := range []string{token, strings.ToUpper(token)} {
				service, responseID, err := codec.Decode(variant)
				if err != nil {
					t.Fatalf("Decode(%q): %v", variant, err)
				}
				if service != tt.service || responseID != tt.responseID {
					t.Errorf("Decode = %q, %q; want %q, %q", service, responseID, tt.service, tt.responseID)
				}
			}
		})
	}
}

func TestTokenRandomNonce(t *testing.T) {
	codec := newTestCodec(t, 1)
	first, _ := codec.Encode("polls", "42")
	second, _ := codec.Encode("polls", "42")
	if first == second {
		t.Errorf("two tokens for the same reply are equal (%q): the nonce is not random", first)
	}
}

func TestTokenDecodeRejects(t *testing.T) {
	codec := newTestCodec(t, 1)
	token, err := codec.Encode("polls", "42")
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	otherKey, _ := newTestCodec(t, 2).Encode("polls", "42")

	tests := map[string]string{
		"empty":              "",
		"truncated":          token[:len(token)-1],
		"half":               token[:len(token)/2],
		"extended":           token + "a",
		"other key":          otherKey,
		"not base32":         strings.Replace(token, token[:1], "1", 1),
		"padding":            token + "====",
		"too long":           strings.Repeat("a", maxTokenLength+1),
		"valid base32 noise": strings.Repeat("abcdefgh", 9),
	}
	for i := range len(token) {
		altered := []byte(token)
		altered[i] = 'a' + (token[i]-'a'+1)%26
		if token[i] >= '2' && token[i] <= '7' {
			altered[i] = '2' + (token[i]-'2'+1)%6
		}
		tests[fmt.Sprintf("altered at %d", i)] = string(altered)
	}

	for name, bad := range tests {
		t.Run(name, func(t *testing.T) {
			service, responseID, err := codec.Decode(bad)
			if !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("Decode(%q) = %q, %q, %v; want ErrInvalidToken", bad, service, responseID, err)
			}
		})
	}
}

func TestTokenEncodeRejects(t *testing.T) {
	codec := newTestCodec(t, 1)
	tests := []struct{ name, service, responseID string }{
		{"missing service", "", "42"},
		{"colon in service", "a:b", "42"},
		{"missing response_id", "polls", ""},
		{"too long", "polls", strings.Repeat("r", MaxTokenPayload)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if token, err := codec.Encode(tt.service, tt.responseID); err == nil {
				t.Errorf("Encode(%q, %q) = %q; want an error", tt.service, tt.responseID, token)
			}
		})
	}
}

func TestNewTokenCodecKeySize(t *testing.T) {
	for _, size := range []int{0, 16, 31, 33} {
		if _, err := NewTokenCodec(make([]byte, size)); err == nil {
			t.Errorf("NewTokenCodec with a %d-byte key: no error", size)
		}
	}
}

// FuzzDecodeToken checks that arbitrary text never decodes: the only
// tokens made with the key carry "polls" and "42", so a decoded token must
// carry them too. (Fuzzing workers run the function again, each with a
// valid token of its own.)
func FuzzDecodeToken(f *testing.F) {
	codec := newTestCodec(f, 1)
	valid, _ := codec.Encode("polls", "42")
	f.Add(valid)
	f.Add(valid[:len(valid)-3])
	f.Add(strings.ToUpper(valid))
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		service, responseID, err := codec.Decode(token)
		if err == nil && (service != "polls" || responseID != "42") {
			t.Fatalf("Decode(%q) = %q, %q; only polls, 42 was encoded", token, service, responseID)
		}
		if err != nil && !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("Decode(%q) error %v is not ErrInvalidToken", token, err)
		}
		if strings.EqualFold(token, valid) && err != nil {
			t.Fatalf("Decode(valid token %q): %v", token, err)
		}
	})
}

// FuzzTokenRoundTrip checks that every service key and response_id that
// Encode accepts decodes back unchanged.
func FuzzTokenRoundTrip(f *testing.F) {
	codec := newTestCodec(f, 1)
	f.Add("polls", "42")
	f.Add("s", "a:b")
	f.Fuzz(func(t *testing.T, service, responseID string) {
		token, err := codec.Encode(service, responseID)
		if err != nil {
			return
		}
		gotService, gotResponseID, err := codec.Decode(token)
		if err != nil || gotService != service || gotResponseID != responseID {
			t.Fatalf("Decode(Encode(%q, %q)) = %q, %q, %v", service, responseID, gotService, gotResponseID, err)
		}
	})
}

func TestTokenLengthBounds(t *testing.T) {
	codec := newTestCodec(t, 1)
	shortest, _ := codec.Encode("a", "b")
	longest, _ := codec.Encode("a", strings.Repeat("b", MaxTokenPayload-2))
	if len(shortest) != 69 || len(longest) != 269 || maxTokenLength != 269 {
		t.Errorf("token lengths %d to %d, limit %d; the documentation says 69 to 269",
			len(shortest), len(longest), maxTokenLength)
	}
}
