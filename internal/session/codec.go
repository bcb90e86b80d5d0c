package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// Errors that Store.Save returns for a session or ttl it cannot store.
var (
	ErrInvalidID    = errors.New("session: invalid session id")
	ErrInvalidTTL   = errors.New("session: invalid time to live")
	ErrInvalidValue = errors.New("session: invalid session value")
)

// CheckTTL returns an error wrapping ErrInvalidTTL when ttl is zero or
// negative. Store implementations call it in Save.
func CheckTTL(ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("%w: %v, must be positive", ErrInvalidTTL, ttl)
	}

	return nil
}

// Encode returns the stored form of a session: its JSON without the id,
// which stores keep as the key. It returns an error wrapping ErrInvalidID
// for an empty id and ErrInvalidValue for a string that is not valid
// UTF-8, which JSON would silently replace with U+FFFD.
func Encode(s *Session) ([]byte, error) {
	if s == nil || s.ID == "" {
		return nil, fmt.Errorf("%w: empty", ErrInvalidID)
	}

	data, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("session: encoding session: %w", err)
	}

	// encoding/json (Go 1.26) writes each invalid UTF-8 sequence as the
	// escape \ufffd, so the slower walk over the fields runs only when
	// the output contains one.
	if bytes.Contains(data, []byte(`\ufffd`)) {
		if err := checkUTF8(s); err != nil {
			return nil, err
		}
	}

	return data, nil
}

// Decode returns the session stored as data under the id. Empty maps in
// the session's fields are returned as nil, as Encode leaves them out.
func Decode(id string, data []byte) (*Session, error) {
	s := &Session{}
	if err := json.Unmarshal(data, s); err != nil {
		return nil, fmt.Errorf("session: decoding stored session: %w", err)
	}

	clearEmptyMaps(reflect.ValueOf(s).Elem())
	s.ID = id
	return s, nil
}

// clearEmptyMaps sets each empty map field of a struct to nil.
func clearEmptyMaps(v reflect.Value) {
	for i := range v.NumField() {
		field := v.Field(i)
		if field.Kind() == reflect.Map && field.CanSet() && field.Len() == 0 {
			field.SetZero()
		}
	}
}

// checkUTF8 returns an error naming the first field, map key or map entry
// of the session whose string is not valid UTF-8. It walks the struct by
// reflection so that fields added later are checked too. Values themselves
// are never quoted, because they may be secret.
func checkUTF8(s *Session) error {
	path, ok := findInvalidUTF8(reflect.ValueOf(*s))
	if !ok {
		return nil
	}

	return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidValue, strings.TrimPrefix(path, "."))
}

// findInvalidUTF8 returns the JSON path, relative to v, of the first
// invalid string in v. The path is built only once one is found, so that
// a valid session costs no allocation.
func findInvalidUTF8(v reflect.Value) (string, bool) {
	switch v.Kind() {
	case reflect.String:
		return "", !utf8.ValidString(v.String())
	case reflect.Struct:
		return findInvalidUTF8InStruct(v)
	case reflect.Map:
		return findInvalidUTF8InMap(v)
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "", false
		}
		return findInvalidUTF8(v.Elem())
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if path, ok := findInvalidUTF8(v.Index(i)); ok {
				return fmt.Sprintf("[%d]%s", i, path), true
			}
		}
	}

	return "", false
}

func findInvalidUTF8InStruct(v reflect.Value) (string, bool) {
	for i := range v.NumField() {
		field := v.Type().Field(i)
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		if !field.IsExported() || name == "-" {
			continue
		}

		if path, ok := findInvalidUTF8(v.Field(i)); ok {
			if name == "" {
				name = field.Name
			}
			return "." + name + path, true
		}
	}

	return "", false
}

func findInvalidUTF8InMap(v reflect.Value) (string, bool) {
	iter := v.MapRange()
	for iter.Next() {
		key := iter.Key()
		if key.Kind() == reflect.String && !utf8.ValidString(key.String()) {
			return fmt.Sprintf("[%q] (the key)", key.String()), true
		}

		if path, ok := findInvalidUTF8(iter.Value()); ok {
			return fmt.Sprintf("[%q]%s", key.Interface(), path), true
		}
	}

	return "", false
}
