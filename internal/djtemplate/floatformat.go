package djtemplate

import (
	"fmt"
	"strings"
)

// decimal is a base-10 number as Python's Decimal stores it: sign,
// coefficient digits and exponent, or a special value (inf, nan).
type decimal struct {
	negative bool
	coeff    string
	exp      int
	special  string
}

// parseDecimal parses the repr of a Python int or float.
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	if strings.HasPrefix(s, "-") {
		d.negative, s = true, s[1:]
	}

	if s == "inf" || s == "nan" {
		d.special = s
		return d, true
	}

	mant, expText, hasExp := strings.Cut(s, "e")
	whole, frac, _ := strings.Cut(mant, ".")
	if whole+frac == "" || strings.Trim(whole+frac, "0123456789") != "" {
		return d, false
	}

	if hasExp {
		n, err := pyInt(expText)
		if err != nil {
			return d, false
		}
		d.exp = n
	}

	d.coeff = strings.TrimLeft(whole+frac, "0")
	if d.coeff == "" {
		d.coeff = "0"
	}
	d.exp -= len(frac)

	return d, true
}

// isIntegral reports whether the digits after the decimal point are zero.
func (d decimal) isIntegral() bool {
	if d.exp >= 0 {
		return true
	}

	drop := -d.exp
	if drop >= len(d.coeff) {
		return strings.Trim(d.coeff, "0") == ""
	}

	return strings.Trim(d.coeff[len(d.coeff)-drop:], "0") == ""
}

// intPart returns the integer part as a decimal string, without sign.
func (d decimal) intPart() string {
	if d.exp >= 0 {
		return strings.TrimLeft(d.coeff+strings.Repeat("0", d.exp), "0") + zeroIfEmpty(d.coeff, d.exp)
	}

	drop := -d.exp
	if drop >= len(d.coeff) {
		return "0"
	}

	return d.coeff[:len(d.coeff)-drop]
}

func zeroIfEmpty(coeff string, exp int) string {
	if strings.TrimLeft(coeff+strings.Repeat("0", exp), "0") == "" {
		return "0"
	}

	return ""
}

// quantize rounds to places decimals with ROUND_HALF_UP and returns the
// coefficient digits, whose last places digits are the decimals.
func (d decimal) quantize(places int) string {
	if d.exp >= -places {
		return d.coeff + strings.Repeat("0", d.exp+places)
	}

	drop := -places - d.exp
	coeff := strings.Repeat("0", max(0, drop-len(d.coeff)+1)) + d.coeff
	kept, dropped := coeff[:len(coeff)-drop], coeff[len(coeff)-drop:]
	if dropped[0] >= '5' {
		kept = incrementDigits(kept)
	}

	return kept
}

func incrementDigits(s string) string {
	b := []byte(s)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}

	return "1" + string(b)
}

// filterFloatFormat rounds a number to a number of decimals. Without an
// argument it keeps one decimal and drops it when it is zero. A negative
// argument keeps that many decimals and drops them when all are zero. A
// "g" suffix groups the thousands.
func filterFloatFormat(fc *filterContext, v any) (any, error) {
	arg := any(-1)
	if fc.hasArg {
		arg = fc.arg
	}

	grouping := false
	if s, ok := text(arg); ok && strings.HasSuffix(s, "g") {
		grouping, arg = true, strings.TrimSuffix(s, "g")
		if arg == "" {
			arg = -1
		}
	}

	inputRepr, d, ok := floatFormatInput(v)
	if !ok {
		return "", nil
	}

	p, err := pyInt(arg)
	if err != nil {
		return inputRepr, nil
	}

	if d.special != "" || len(d.coeff)+abs(d.exp) > 200 {
		return inputRepr, nil
	}

	if abs(p) > maxOutputWidth {
		return nil, fmt.Errorf("%d decimal places is more than the limit of %d", abs(p), maxOutputWidth)
	}

	if d.isIntegral() && p < 0 {
		return SafeString(signed(d.negative && d.intPart() != "0", groupThousands(d.intPart(), grouping))), nil
	}

	return SafeString(formatQuantized(d, abs(p), grouping)), nil
}

// floatFormatInput converts the value as Django's floatformat does: the
// repr of a number, else the str of float(value).
func floatFormatInput(v any) (string, decimal, bool) {
	repr := pyRepr(v)
	if _, isBool := v.(bool); !isBool {
		if d, ok := parseDecimal(repr); ok {
			return repr, d, true
		}
	}

	f, err := pyFloat(v)
	if err != nil {
		return repr, decimal{}, false
	}

	d, ok := parseDecimal(pyFloatRepr(f))

	return repr, d, ok
}

func formatQuantized(d decimal, places int, grouping bool) string {
	digits := d.quantize(places)
	digits = strings.TrimLeft(digits, "0")
	if len(digits) <= places {
		digits = strings.Repeat("0", places-len(digits)+1) + digits
	}

	whole, frac := digits[:len(digits)-places], digits[len(digits)-places:]
	negative := d.negative && strings.Trim(digits, "0") != ""
	out := groupThousands(whole, grouping)
	if places > 0 {
		out += "." + frac
	}

	return signed(negative, out)
}

func signed(negative bool, s string) string {
	if negative {
		return "-" + s
	}

	return s
}

// groupThousands puts a comma between groups of three digits when on.
func groupThousands(digits string, on bool) string {
	if !on || len(digits) <= 3 {
		return digits
	}

	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}

	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}

	return b.String()
}

func abs(n int) int {
	if n < 0 {
		return -n
	}

	return n
}

// localizeFloat prints a float as Django's number_format does: Python's
// str(), except that a number str() would print with an exponent is
// written out in full when it has at most 200 digits.
func localizeFloat(f float64) string {
	repr := pyFloatRepr(f)
	if !strings.Contains(repr, "e") {
		return repr
	}

	d, ok := parseDecimal(repr)
	if !ok || len(d.coeff)+abs(d.exp) > 200 {
		return repr
	}

	return signed(d.negative, fixedNotation(d))
}

// fixedNotation writes d without exponent, as Python's format(Decimal, "f").
func fixedNotation(d decimal) string {
	if d.exp >= 0 {
		return d.coeff + strings.Repeat("0", d.exp)
	}

	places := -d.exp
	digits := d.coeff
	if len(digits) <= places {
		digits = strings.Repeat("0", places-len(digits)+1) + digits
	}

	return digits[:len(digits)-places] + "." + digits[len(digits)-places:]
}
