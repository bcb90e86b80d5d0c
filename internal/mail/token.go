package mail

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// TokenKeySize is the size in bytes of the key of a [TokenCodec].
const TokenKeySize = chacha20poly1305.KeySize

// MaxTokenPayload is the maximum size in bytes of "<service key>:<response_id>"
// in a token, which is then at most 269 characters long.
//
// NOTE: every token has at least 69 characters (a 24-byte nonce and a
// 16-byte tag), so a tagged local part exceeds the 64 octets of RFC 5321
// section 4.5.3.1.1. Mail servers that enforce that limit reject replies.
const MaxTokenPayload = 128

// tokenAdditionalData binds tokens to their use, so that a ciphertext made
// with the same key for another purpose never decodes as a reply tag.
var tokenAdditionalData = []byte("plugit mail reply tag v1")

// tokenEncoding is lowercase base32 without padding: letters a-z and
// digits 2-7 only, valid in an e-mail local part, and decodable after a
// mail system changes its case.
var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// ErrInvalidToken is returned for a reply tag that is malformed,
// truncated, altered or made with another key.
var ErrInvalidToken = errors.New("mail: invalid reply token")

// maxTokenLength is the length of a token that carries MaxTokenPayload.
var maxTokenLength = tokenEncoding.EncodedLen(chacha20poly1305.NonceSizeX + MaxTokenPayload + chacha20poly1305.Overhead)

// TokenCodec encrypts a service key and a response_id into a reply tag and
// decrypts it back. It uses XChaCha20-Poly1305 with a random 24-byte
// nonce, so a tag cannot be read, forged or altered without the key.
type TokenCodec struct {
	aead cipher.AEAD
}

// NewTokenCodec returns a codec that uses key, which must be
// TokenKeySize bytes long.
func NewTokenCodec(key []byte) (*TokenCodec, error) {
	if len(key) != TokenKeySize {
		return nil, fmt.Errorf("mail: token key is %d bytes long: use a random key of %d bytes", len(key), TokenKeySize)
	}

	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("mail: creating token cipher: %w", err)
	}

	return &TokenCodec{aead: aead}, nil
}

// Encode returns the tag for a reply to serviceKey's mail with responseID.
// The service key must not contain ":", and both must be non-empty and
// together fit MaxTokenPayload.
func (c *TokenCodec) Encode(serviceKey, responseID string) (string, error) {
	switch {
	case serviceKey == "":
		return "", errors.New("mail: encoding reply token: missing service key")
	case strings.Contains(serviceKey, ":"):
		return "", fmt.Errorf("mail: encoding reply token: service key %q contains \":\"", serviceKey)
	case responseID == "":
		return "", errors.New("mail: encoding reply token: missing response_id")
	}

	payload := serviceKey + ":" + responseID
	if len(payload) > MaxTokenPayload {
		return "", fmt.Errorf("mail: encoding reply token: service key and response_id are %d bytes, more than %d",
			len(payload), MaxTokenPayload)
	}

	nonce := make([]byte, chacha20poly1305.NonceSizeX, chacha20poly1305.NonceSizeX+len(payload)+c.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("mail: encoding reply token: reading random nonce: %w", err)
	}

	sealed := c.aead.Seal(nonce, nonce, []byte(payload), tokenAdditionalData)
	return tokenEncoding.EncodeToString(sealed), nil
}

// Decode returns the service key and response_id in token. The token's
// case does not matter. Decode returns an error wrapping ErrInvalidToken
// for any token that Encode did not make with the same key.
func (c *TokenCodec) Decode(token string) (serviceKey, responseID string, err error) {
	if len(token) > maxTokenLength {
		return "", "", fmt.Errorf("%w: %d characters, more than %d", ErrInvalidToken, len(token), maxTokenLength)
	}

	token = strings.ToLower(token)
	sealed, err := tokenEncoding.DecodeString(token)
	if err != nil {
		return "", "", fmt.Errorf("%w: not lowercase base32: %v", ErrInvalidToken, err)
	}
	// The last character may carry unused bits: only the encoding that
	// Encode makes is valid, so that a token has one spelling.
	if tokenEncoding.EncodeToString(sealed) != token {
		return "", "", fmt.Errorf("%w: unused bits of the last character are set", ErrInvalidToken)
	}

	if len(sealed) < chacha20poly1305.NonceSizeX+c.aead.Overhead() {
		return "", "", fmt.Errorf("%w: %d bytes, too short for a nonce and a tag: truncated?",
			ErrInvalidToken, len(sealed))
	}

	nonce, ciphertext := sealed[:chacha20poly1305.NonceSizeX], sealed[chacha20poly1305.NonceSizeX:]
	payload, err := c.aead.Open(nil, nonce, ciphertext, tokenAdditionalData)
	if err != nil {
		return "", "", fmt.Errorf("%w: authentication failed: altered, truncated or made with another key", ErrInvalidToken)
	}

	serviceKey, responseID, ok := strings.Cut(string(payload), ":")
	if !ok || serviceKey == "" || responseID == "" {
		return "", "", fmt.Errorf("%w: payload is not <service key>:<response_id>", ErrInvalidToken)
	}

	return serviceKey, responseID, nil
}
