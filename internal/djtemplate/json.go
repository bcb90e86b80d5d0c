package djtemplate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// Dict is a Python dict: string keys in insertion order. Templates print it
// in Python's repr and iterate it in that order.
type Dict struct {
	keys   []string
	values map[string]any
}

// NewDict returns an empty Dict.
func NewDict() *Dict {
	return &Dict{values: map[string]any{}}
}

// Set stores value under key, keeping the position of an existing key.
func (d *Dict) Set(key string, value any) {
	if _, ok := d.values[key]; !ok {
		d.keys = append(d.keys, key)
	}
	d.values[key] = value
}

// Get returns the value stored under key.
func (d *Dict) Get(key string) (any, bool) {
	v, ok := d.values[key]
	return v, ok
}

// Keys returns the keys in insertion order.
func (d *Dict) Keys() []string { return d.keys }

// Len returns the number of keys.
func (d *Dict) Len() int { return len(d.keys) }

// FromJSON converts a value decoded by encoding/json into the values the
// engine prints as Django prints the matching Python values. A json.Number
// becomes an int unless its text has a fraction or exponent, as in Python's
// json module. A float64 with no fractional part becomes an int, because
// the text it came from is no longer known. Objects become a *Dict with keys in
// sorted order, because a Go map has lost the document order: use
// DecodeJSON to keep it.
func FromJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		return numberFromJSON(string(x))
	case float64:
		if x == float64(int64(x)) && x >= -1<<53 && x <= 1<<53 {
			return int(x)
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = FromJSON(item)
		}
		return out
	case map[string]any:
		d := &Dict{values: make(map[string]any, len(x))}
		for _, k := range sortedKeys(x) {
			d.Set(k, FromJSON(x[k]))
		}
		return d
	}

	return v
}

// numberFromJSON parses a JSON number as Python's json module does: an int
// when the text has no fraction or exponent, otherwise a float.
func numberFromJSON(text string) any {
	if !strings.ContainsAny(text, ".eE") {
		if n, err := strconv.Atoi(text); err == nil {
			return n
		}
	}

	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return text
	}

	return f
}

// DecodeJSON decodes a JSON document into engine values, keeping the key
// order of objects and the int/float distinction of numbers.
func DecodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()

	v, err := decodeValue(dec)
	if err != nil {
		return nil, fmt.Errorf("djtemplate: decoding JSON: %w", err)
	}

	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("djtemplate: decoding JSON: data after the first value")
	}

	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}

	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return decodeObject(dec)
		}
		return decodeArray(dec)
	case json.Number:
		return numberFromJSON(string(t)), nil
	}

	return tok, nil
}

func decodeObject(dec *json.Decoder) (any, error) {
	d := NewDict()
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, err
		}

		value, err := decodeValue(dec)
		if err != nil {
			return nil, err
		}
		d.Set(key.(string), value)
	}

	_, err := dec.Token()
	return d, err
}

func decodeArray(dec *json.Decoder) (any, error) {
	items := []any{}
	for dec.More() {
		value, err := decodeValue(dec)
		if err != nil {
			return nil, err
		}
		items = append(items, value)
	}

	_, err := dec.Token()
	return items, err
}

// dictFromGo converts a Go map with string keys to a *Dict in sorted key order.
func dictFromGo(v any) (*Dict, bool) {
	switch m := v.(type) {
	case *Dict:
		return m, true
	case map[string]any:
		d := &Dict{values: make(map[string]any, len(m))}
		for _, k := range sortedKeys(m) {
			d.Set(k, m[k])
		}
		return d, true
	case Context:
		return dictFromGo(map[string]any(m))
	}

	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return nil, false
	}

	m := make(map[string]any, rv.Len())
	for _, k := range rv.MapKeys() {
		m[k.String()] = rv.MapIndex(k).Interface()
	}

	return dictFromGo(m)
}

// listFromGo returns the items of any Go slice or array.
func listFromGo(v any) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case Tuple:
		return l, true
	case *dictView:
		return l.items, true
	case []string:
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out, true
	}

	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}

	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}

	return out, true
}
