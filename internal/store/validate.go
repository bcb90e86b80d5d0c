package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
)

// ErrInvalid is wrapped by the errors of Validate methods.
var ErrInvalid = errors.New("store: invalid value")

// MaxServiceKeyLen is the maximum length of a service key, in bytes.
const MaxServiceKeyLen = 64

// Validate checks that the service can be stored: a key of letters,
// digits, '-' and '_' (it is a URL path segment), a name, an absolute http
// or https URL, and options that are empty or a JSON object.
func (s Service) Validate() error {
	if err := ValidateServiceKey(s.Key); err != nil {
		return err
	}

	if s.Name == "" {
		return fmt.Errorf("%w: service %q: name is empty", ErrInvalid, s.Key)
	}

	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: service %q: URL %q is not an absolute http or https URL", ErrInvalid, s.Key, s.URL)
	}

	if len(s.Options) > 0 && !isJSONObject(s.Options) {
		return fmt.Errorf("%w: service %q: options are not a JSON object", ErrInvalid, s.Key)
	}

	return nil
}

// ValidateServiceKey checks that key is 1 to MaxServiceKeyLen letters,
// digits, '-' or '_'.
func ValidateServiceKey(key string) error {
	if key == "" || len(key) > MaxServiceKeyLen {
		return fmt.Errorf("%w: service key %q must have 1 to %d characters", ErrInvalid, key, MaxServiceKeyLen)
	}

	for _, c := range []byte(key) {
		if !isKeyByte(c) {
			return fmt.Errorf("%w: service key %q may contain only letters, digits, '-' and '_'", ErrInvalid, key)
		}
	}

	return nil
}

func isKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

func isJSONObject(data []byte) bool {
	trimmed := bytes.TrimSpace(data)
	return json.Valid(trimmed) && len(trimmed) > 0 && trimmed[0] == '{'
}

// OptionsOrEmpty returns the service's options, or {} when they are empty.
func (s Service) OptionsOrEmpty() json.RawMessage {
	if len(s.Options) == 0 {
		return json.RawMessage("{}")
	}
	return s.Options
}

// Validate checks that the subscription names a service, a user and a
// label.
func (sub Subscription) Validate() error {
	if err := ValidateServiceKey(sub.ServiceKey); err != nil {
		return err
	}

	if sub.UserPK <= 0 {
		return fmt.Errorf("%w: subscription: user PK %d is not positive", ErrInvalid, sub.UserPK)
	}

	if sub.Label == "" {
		return fmt.Errorf("%w: subscription: label is empty", ErrInvalid)
	}

	return nil
}

// TokenHash returns the SHA-256 of a secret token, the form in which
// stores keep tokens.
func TokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
