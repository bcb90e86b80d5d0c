package session

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestEncodeDecode(t *testing.T) {
	want := typicalSession()
	data, err := Encode(want)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	if strings.Contains(string(data), want.ID) {
		t.Errorf("encoded session %s contains its id, which stores keep as the key", data)
	}

	got, err := Decode(want.ID, data)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Decode = %+v, want %+v", got, want)
	}
}

func TestEncodeInvalid(t *testing.T) {
	tests := []struct {
		name    string
		change  func(s *Session)
		wantErr error
		wantMsg string
	}{
		{"empty id", func(s *Session) { s.ID = "" }, ErrInvalidID, "empty"},
		{"user mode", func(s *Session) { s.UserMode = "\xff" }, ErrInvalidValue, "user_mode"},
		{"orga name", func(s *Session) { s.OrgaName = "Caf\xe9" }, ErrInvalidValue, "orga_name"},
		{"orga codops", func(s *Session) { s.OrgaCodops = "\xc3" }, ErrInvalidValue, "orga_codops"},
		{"csrf token", func(s *Session) { s.CSRFToken = "\x80" }, ErrInvalidValue, "csrf_token"},
		{"service", func(s *Session) { s.SetValue("p\xffolls", "k", "v") }, ErrInvalidValue, `values["p\xffolls"] (the key) is`},
		{"key", func(s *Session) { s.SetValue("polls", "k\xff", "v") }, ErrInvalidValue, `values["polls"]["k\xff"] (the key) is`},
		{"value", func(s *Session) { s.SetValue("polls", "theme", "\xe9t\xe9") }, ErrInvalidValue, `values["polls"]["theme"] is`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := typicalSession()
			tt.change(s)

			_, err := Encode(s)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Encode: error %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestEncodeHidesInvalidValue(t *testing.T) {
	s := typicalSession()
	s.SetValue("polls", "token", "secret\xff")

	_, err := Encode(s)
	if err == nil {
		t.Fatal("Encode accepted an invalid value")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q quotes the value", err)
	}
}

func TestEncodeAcceptsEscapeText(t *testing.T) {
	s := typicalSession()
	s.SetValue("polls", "note", "a literal \\ufffd and a real \ufffd")

	data, err := Encode(s)
	if err != nil {
		t.Fatalf("Encode of valid text that looks like an escape: %v", err)
	}

	got, err := Decode(s.ID, data)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Fatalf("Decode = %+v, want %+v", got, s)
	}
}

func TestEncodeNil(t *testing.T) {
	if _, err := Encode(nil); !errors.Is(err, ErrInvalidID) {
		t.Fatalf("Encode(nil): error %v, want ErrInvalidID", err)
	}
}

func TestDecodeInvalid(t *testing.T) {
	for _, data := range []string{"", "{", "[]", `{"orga_pk":"x"}`, `{"values":{"polls":"v"}}`} {
		if _, err := Decode("id", []byte(data)); err == nil {
			t.Errorf("Decode(%q) succeeded, want an error", data)
		}
	}
}

// FuzzDecode checks that Decode never panics and that whatever it
// accepts encodes and decodes again unchanged.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"user_mode":"log","csrf_token":"t","values":{"polls":{"a":"b"}}}`))
	f.Add([]byte(`{"values":{"polls":null}}`))
	f.Add([]byte("{\"orga_name\":\"caf\xe9\"}"))

	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Decode("id", data)
		if err != nil {
			return
		}

		again, err := Encode(s)
		if err != nil {
			t.Fatalf("Encode of a decoded session: %v", err)
		}

		decoded, err := Decode("id", again)
		if err != nil {
			t.Fatalf("Decode of an encoded session: %v", err)
		}
		if !reflect.DeepEqual(decoded, s) {
			t.Fatalf("round trip changed the session:\n%+v\n%+v", s, decoded)
		}
	})
}
