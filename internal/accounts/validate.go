package accounts

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrInvalid is wrapped by the errors of input that fails validation.
var ErrInvalid = errors.New("accounts: invalid input")

// Limits of the validated fields.
const (
	MinUsernameLen = 3
	MaxUsernameLen = 32
	MaxEmailLen    = 254
	MinPasswordLen = 10   // in characters
	MaxPasswordLen = 1024 // in bytes
	MaxNameLen     = 150  // first and last names, in characters
)

// FieldError is a field that fails validation. It wraps ErrInvalid.
type FieldError struct {
	// Field is the name of the field: username, email, password,
	// first_name or last_name.
	Field string
	// Problem is the user-readable description of what is wrong.
	Problem string
}

// Error returns the message, naming the field.
func (e *FieldError) Error() string {
	return "accounts: invalid " + e.Field + ": " + e.Problem
}

// Unwrap returns ErrInvalid.
func (e *FieldError) Unwrap() error {
	return ErrInvalid
}

// ValidateUsername checks that username has MinUsernameLen to
// MaxUsernameLen ASCII letters, digits, '.', '_' or '-', and starts with a
// letter or digit.
func ValidateUsername(username string) error {
	if len(username) < MinUsernameLen || len(username) > MaxUsernameLen {
		return &FieldError{"username", fmt.Sprintf("must have %d to %d characters", MinUsernameLen, MaxUsernameLen)}
	}

	for i := 0; i < len(username); i++ {
		c := username[i]
		if !isASCIIAlnum(c) && (i == 0 || !strings.ContainsRune("._-", rune(c))) {
			return &FieldError{"username", "may contain only letters a-z and A-Z, digits, '.', '_' and '-', " +
				"and must start with a letter or digit"}
		}
	}
	return nil
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// ValidateEmail checks that email is a bare address, local@domain, whose
// domain has a dot, with no display name, comment or space.
func ValidateEmail(email string) error {
	if email == "" || len(email) > MaxEmailLen {
		return &FieldError{"email", fmt.Sprintf("must have 1 to %d characters", MaxEmailLen)}
	}

	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Name != "" || addr.Address != email {
		return &FieldError{"email", "is not an e-mail address of the form name@example.org"}
	}

	at := strings.LastIndexByte(email, '@')
	domain := email[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return &FieldError{"email", "has no domain of the form example.org after '@'"}
	}
	return nil
}

// ValidatePassword checks that password has at least MinPasswordLen
// characters and at most MaxPasswordLen bytes.
func ValidatePassword(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return &FieldError{"password", fmt.Sprintf("must have at least %d characters", MinPasswordLen)}
	}
	if len(password) > MaxPasswordLen {
		return &FieldError{"password", fmt.Sprintf("must have at most %d bytes", MaxPasswordLen)}
	}
	return nil
}

// validateName checks a first or last name: at most MaxNameLen characters
// of valid UTF-8 with no control character. An empty name is valid.
func validateName(field, name string) error {
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxNameLen {
		return &FieldError{field, fmt.Sprintf("must be valid text of at most %d characters", MaxNameLen)}
	}
	if strings.ContainsFunc(name, unicode.IsControl) {
		return &FieldError{field, "must not contain control characters"}
	}
	return nil
}
