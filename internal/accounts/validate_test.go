package accounts

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateUsername(t *testing.T) {
	valid := []string{"abc", "alice", "Alice.Smith", "bob_42", "x-y", "007", strings.Repeat("a", 32)}
	for _, username := range valid {
		if err := ValidateUsername(username); err != nil {
			t.Errorf("ValidateUsername(%q) = %v, want nil", username, err)
		}
	}

	invalid := []string{"", "ab", strings.Repeat("a", 33), ".alice", "_bob", "-x1", "al ice", "alice@home",
		"élodie", "bob\n", "a/b", "a+b", "ali\x00ce"}
	for _, username := range invalid {
		err := ValidateUsername(username)
		var fieldErr *FieldError
		if !errors.As(err, &fieldErr) || fieldErr.Field != "username" || !errors.Is(err, ErrInvalid) {
			t.Errorf("ValidateUsername(%q) = %v, want a username FieldError", username, err)
		}
	}
}

func TestValidateEmail(t *testing.T) {
	valid := []string{"alice@example.org", "a.b+tag@mail.example.co.uk", "X@Y.io"}
	for _, email := range valid {
		if err := ValidateEmail(email); err != nil {
			t.Errorf("ValidateEmail(%q) = %v, want nil", email, err)
		}
	}

	invalid := []string{
		"", "alice", "alice@", "@example.org", "alice@localhost", "alice@example.", "alice@.org",
		"Alice <alice@example.org>", "alice@example.org (Alice)", " alice@example.org", "alice @example.org",
		"alice@example.org\n", "a@b@example.org", strings.Repeat("a", 250) + "@x.org",
	}
	for _, email := range invalid {
		err := ValidateEmail(email)
		var fieldErr *FieldError
		if !errors.As(err, &fieldErr) || fieldErr.Field != "email" {
			t.Errorf("ValidateEmail(%q) = %v, want an email FieldError", email, err)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		password string
		valid    bool
	}{
		{"123456789", false},
		{"1234567890", true},
		{"ééééééééé", false}, // 9 characters in 18 bytes
		{"éééééééééé", true},
		{strings.Repeat("x", 1024), true},
		{strings.Repeat("x", 1025), false},
		{"", false},
	}
	for _, tt := range tests {
		err := ValidatePassword(tt.password)
		if tt.valid && err != nil {
			t.Errorf("ValidatePassword(%d bytes) = %v, want nil", len(tt.password), err)
		}
		if !tt.valid && !errors.Is(err, ErrInvalid) {
			t.Errorf("ValidatePassword(%d bytes) = %v, want ErrInvalid", len(tt.password), err)
		}
	}
}

func TestFieldErrorMessage(t *testing.T) {
	err := ValidatePassword("short")
	want := "accounts: invalid password: must have at least 10 characters"
	if err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestNewAccountValidate(t *testing.T) {
	valid := NewAccount{Username: "alice", Email: "alice@example.org", Password: "long enough password",
		FirstName: "Alice", LastName: "Liddell"}
	if err := valid.Validate(); err != nil {
		t.Fatalf("valid account: %v", err)
	}

	tests := []struct {
		field  string
		change func(*NewAccount)
	}{
		{"username", func(a *NewAccount) { a.Username = "a" }},
		{"email", func(a *NewAccount) { a.Email = "nope" }},
		{"password", func(a *NewAccount) { a.Password = "short" }},
		{"first_name", func(a *NewAccount) { a.FirstName = strings.Repeat("é", 151) }},
		{"first_name", func(a *NewAccount) { a.FirstName = "Al\x00ice" }},
		{"last_name", func(a *NewAccount) { a.LastName = "Lid\ndell" }},
		{"last_name", func(a *NewAccount) { a.LastName = "\xff" }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			a := valid
			tt.change(&a)
			var fieldErr *FieldError
			if err := a.Validate(); !errors.As(err, &fieldErr) || fieldErr.Field != tt.field {
				t.Errorf("Validate() = %v, want a FieldError on %s", err, tt.field)
			}
		})
	}
}
