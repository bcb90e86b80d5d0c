package accounts

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// ErrMalformedHash is wrapped by the errors of DecodeHash.
var ErrMalformedHash = errors.New("accounts: malformed password hash")

// Params are the cost parameters of argon2id.
type Params struct {
	// Time is the number of passes over the memory.
	Time uint32
	// Memory is the memory used by one hash, in KiB.
	Memory uint32
	// Threads is the number of lanes, computed in parallel.
	Threads uint8
	// SaltLen and KeyLen are the lengths of the random salt and of the
	// derived key, in bytes.
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams are the parameters of new hashes: 64 MiB of memory, 3
// passes, 4 lanes, a 16-byte salt and a 32-byte key. Each hash holds its
// 64 MiB while it runs, which is why Service bounds the number of hashes
// computed at once.
var DefaultParams = Params{Time: 3, Memory: 64 * 1024, Threads: 4, SaltLen: 16, KeyLen: 32}

// Bounds that DecodeHash enforces, so that a stored hash cannot make
// verification allocate without limit.
const (
	maxMemory  = 4 * 1024 * 1024 // 4 GiB, in KiB
	maxTime    = 1024
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 64
)

// Validate checks that hashes made with p can be decoded by DecodeHash.
func (p Params) Validate() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("accounts: argon2id time %d is not between 1 and %d", p.Time, maxTime)
	case p.Threads < 1:
		return errors.New("accounts: argon2id threads must be at least 1")
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("accounts: argon2id memory %d KiB is not between 8 KiB per thread and %d KiB", p.Memory, maxMemory)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("accounts: salt length %d is not between %d and %d bytes", p.SaltLen, minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("accounts: key length %d is not between %d and %d bytes", p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// PasswordHash is a decoded argon2id hash.
type PasswordHash struct {
	Params Params
	Salt   []byte
	Key    []byte
}

var b64 = base64.RawStdEncoding.Strict()

// HashPassword returns the argon2id hash of password with a new random
// salt, encoded in the PHC string format:
// $argon2id$v=19$m=MEMORY,t=TIME,p=THREADS$SALT$KEY, with SALT and KEY in
// unpadded standard base64.
func HashPassword(password string, p Params) string {
	salt := make([]byte, p.SaltLen)
	_, _ = rand.Read(salt) // crypto/rand.Read never returns an error.

	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return PasswordHash{Params: p, Salt: salt, Key: key}.String()
}

// String encodes the hash in the PHC string format.
func (h PasswordHash) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.Params.Memory, h.Params.Time, h.Params.Threads, b64.EncodeToString(h.Salt), b64.EncodeToString(h.Key))
}

// Verify reports whether password has the hash. It compares the keys in
// constant time.
func (h PasswordHash) Verify(password string) bool {
	p := h.Params
	key := argon2.IDKey([]byte(password), h.Salt, p.Time, p.Memory, p.Threads, uint32(len(h.Key)))
	return subtle.ConstantTimeCompare(key, h.Key) == 1
}

// VerifyPassword reports whether password has the encoded hash. It returns
// an error wrapping ErrMalformedHash when encoded cannot be decoded.
func VerifyPassword(password, encoded string) (bool, error) {
	h, err := DecodeHash(encoded)
	if err != nil {
		return false, err
	}
	return h.Verify(password), nil
}

// NeedsRehash reports whether the hash was made with other parameters than
// p, so that it should be replaced the next time the password is known.
func (h PasswordHash) NeedsRehash(p Params) bool {
	current := h.Params
	current.SaltLen = uint32(len(h.Salt))
	current.KeyLen = uint32(len(h.Key))
	return current != p
}

// DecodeHash decodes a hash that HashPassword encoded. It accepts only the
// canonical form: argon2id, version 19, the parameters m, t and p in that
// order, in decimal without leading zeros, and strict unpadded base64.
func DecodeHash(encoded string) (PasswordHash, error) {
	fields := strings.Split(encoded, "$")
	if len(fields) != 6 || fields[0] != "" {
		return PasswordHash{}, fmt.Errorf("%w: want 5 fields after a leading '$'", ErrMalformedHash)
	}
	if fields[1] != "argon2id" {
		return PasswordHash{}, fmt.Errorf("%w: algorithm %q is not argon2id", ErrMalformedHash, fields[1])
	}
	if fields[2] != "v="+strconv.Itoa(argon2.Version) {
		return PasswordHash{}, fmt.Errorf("%w: version %q is not v=%d", ErrMalformedHash, fields[2], argon2.Version)
	}

	p, err := decodeParams(fields[3])
	if err != nil {
		return PasswordHash{}, err
	}

	salt, err := decodeBytes("salt", fields[4], minSaltLen, maxSaltLen)
	if err != nil {
		return PasswordHash{}, err
	}
	key, err := decodeBytes("key", fields[5], minKeyLen, maxKeyLen)
	if err != nil {
		return PasswordHash{}, err
	}

	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return PasswordHash{Params: p, Salt: salt, Key: key}, nil
}

func decodeParams(field string) (Params, error) {
	parts := strings.Split(field, ",")
	if len(parts) != 3 {
		return Params{}, fmt.Errorf("%w: parameters %q are not m=M,t=T,p=P", ErrMalformedHash, field)
	}

	memory, err1 := decodeParam(parts[0], "m", maxMemory)
	passes, err2 := decodeParam(parts[1], "t", maxTime)
	threads, err3 := decodeParam(parts[2], "p", 255)
	if err := errors.Join(err1, err2, err3); err != nil {
		return Params{}, err
	}

	// argon2 needs at least 8 KiB per lane.
	if memory < 8*threads {
		return Params{}, fmt.Errorf("%w: memory %d KiB is less than 8 KiB per lane (%d lanes)",
			ErrMalformedHash, memory, threads)
	}
	return Params{Time: passes, Memory: memory, Threads: uint8(threads)}, nil
}

// decodeParam reads name=N with 1 <= N <= limit, written without leading
// zeros or sign.
func decodeParam(part, name string, limit uint32) (uint32, error) {
	value, ok := strings.CutPrefix(part, name+"=")
	if !ok || value == "" || value[0] == '0' || strings.Trim(value, "0123456789") != "" {
		return 0, fmt.Errorf("%w: parameter %q is not %s=N with N a positive decimal", ErrMalformedHash, part, name)
	}

	n, err := strconv.ParseUint(value, 10, 32)
	if err != nil || n > uint64(limit) {
		return 0, fmt.Errorf("%w: parameter %s=%s is above %d", ErrMalformedHash, name, value, limit)
	}
	return uint32(n), nil
}

func decodeBytes(name, field string, minLen, maxLen int) ([]byte, error) {
	if len(field) > b64.EncodedLen(maxLen) {
		return nil, fmt.Errorf("%w: %s is longer than %d bytes", ErrMalformedHash, name, maxLen)
	}

	// The decoder skips '\r' and '\n', so it alone would accept two
	// spellings of one hash.
	if strings.ContainsAny(field, "\r\n") {
		return nil, fmt.Errorf("%w: %s contains a line break", ErrMalformedHash, name)
	}

	data, err := b64.DecodeString(field)
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not unpadded base64: %v", ErrMalformedHash, name, err)
	}
	if len(data) < minLen || len(data) > maxLen {
		return nil, fmt.Errorf("%w: %s has %d bytes, want %d to %d", ErrMalformedHash, name, len(data), minLen, maxLen)
	}
	return data, nil
}
