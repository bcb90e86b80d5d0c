package djtemplate

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// pyJSONDumps encodes v as Python's json.dumps does with Django's JSON
// encoder: ", " and ": " separators, ASCII output with \uXXXX escapes, and
// dates in ISO 8601 with milliseconds.
func pyJSONDumps(v any) (string, error) {
	var b strings.Builder
	if err := writeJSON(&b, normalize(v)); err != nil {
		return "", err
	}

	return b.String(), nil
}

func writeJSON(b *strings.Builder, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case float64:
		b.WriteString(jsonFloat(x))
	case string:
		writeJSONString(b, x)
	case SafeString:
		writeJSONString(b, string(x))
	case time.Time:
		writeJSONString(b, jsonTime(x))
	default:
		return writeJSONContainer(b, v)
	}

	return nil
}

func writeJSONContainer(b *strings.Builder, v any) error {
	if d, ok := dictFromGo(v); ok {
		b.WriteString("{")
		for i, k := range d.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJSONString(b, k)
			b.WriteString(": ")
			if err := writeJSON(b, normalize(d.values[k])); err != nil {
				return err
			}
		}
		b.WriteString("}")
		return nil
	}

	items, ok := listFromGo(v)
	if !ok {
		return fmt.Errorf("object of type %s is not JSON serializable", pyTypeName(v))
	}

	b.WriteString("[")
	for i, item := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		if err := writeJSON(b, normalize(item)); err != nil {
			return err
		}
	}
	b.WriteString("]")

	return nil
}

func jsonFloat(f float64) string {
	switch s := pyFloatRepr(f); s {
	case "inf":
		return "Infinity"
	case "-inf":
		return "-Infinity"
	case "nan":
		return "NaN"
	default:
		return s
	}
}

func jsonTime(t time.Time) string {
	out := t.Format("2006-01-02T15:04:05")
	if ms := t.Nanosecond() / 1e6; t.Nanosecond() != 0 {
		out += fmt.Sprintf(".%03d", ms)
	}

	return out
}

func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || r > 0x7f:
			writeJSONEscape(b, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

func writeJSONEscape(b *strings.Builder, r rune) {
	if r > 0xffff {
		hi, lo := utf16.EncodeRune(r)
		fmt.Fprintf(b, `\u%04x\u%04x`, hi, lo)
		return
	}

	fmt.Fprintf(b, `\u%04x`, r)
}
