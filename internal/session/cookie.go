package session

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Signer signs session ids for the session cookie, so that a browser can't
// choose or guess a session id.
type Signer struct {
	key []byte
}

// NewSigner returns a signer with the secret key.
func NewSigner(key []byte) *Signer {
	return &Signer{key: key}
}

// Sign returns the cookie value for the session id: "id.signature".
func (s *Signer) Sign(id string) string {
	return id + "." + s.signature(id)
}

// Verify returns the session id of a cookie value, and false when the
// value is malformed or its signature is wrong. The comparison takes
// constant time.
func (s *Signer) Verify(value string) (string, bool) {
	id, sig, ok := strings.Cut(value, ".")
	if !ok || id == "" || len(id) > 64 {
		return "", false
	}

	want := s.signature(id)
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return "", false
	}
	return id, true
}

func (s *Signer) signature(id string) string {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(id))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
