package djtemplate

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

func numberFilters() map[string]*filterDef {
	return map[string]*filterDef{
		"add":            {fn: filterAdd, arg: argRequired},
		"divisibleby":    {fn: filterDivisibleBy, arg: argRequired},
		"floatformat":    {fn: filterFloatFormat, arg: argOptional, safe: true},
		"filesizeformat": {fn: filterFileSizeFormat, safe: true},
		"get_digit":      {fn: filterGetDigit, arg: argRequired},
		"pluralize":      {fn: filterPluralize, arg: argOptional},
	}
}

// filterAdd adds as integers when both convert with int(), otherwise it
// applies Python's +, and returns "" when that fails too.
func filterAdd(fc *filterContext, v any) (any, error) {
	a, errA := pyInt(v)
	b, errB := pyInt(fc.arg)
	if errA == nil && errB == nil {
		return a + b, nil
	}

	if out, ok := pyAdd(v, fc.arg); ok {
		return out, nil
	}

	return "", nil
}

// pyAdd applies Python's + to two values of compatible types.
func pyAdd(x, y any) (any, bool) {
	if a, ok := number(x); ok {
		b, ok := number(y)
		if !ok {
			return nil, false
		}
		_, xf := normalize(x).(float64)
		_, yf := normalize(y).(float64)
		if xf || yf {
			return a + b, true
		}
		return int(a) + int(b), true
	}

	if a, ok := text(x); ok {
		b, ok := text(y)
		return a + b, ok
	}

	if a, ok := normalize(x).([]any); ok {
		b, ok := normalize(y).([]any)
		return append(append([]any{}, a...), b...), ok
	}

	if a, ok := normalize(x).(Tuple); ok {
		b, ok := normalize(y).(Tuple)
		return append(append(Tuple{}, a...), b...), ok
	}

	return nil, false
}

func filterDivisibleBy(fc *filterContext, v any) (any, error) {
	a, err := pyInt(v)
	if err != nil {
		return nil, err
	}

	b, err := pyInt(fc.arg)
	if err != nil {
		return nil, err
	}

	if b == 0 {
		return nil, errors.New("integer division or modulo by zero")
	}

	return ((a%b)+b)%b == 0, nil
}

func filterGetDigit(fc *filterContext, v any) (any, error) {
	pos, err1 := pyInt(fc.arg)
	n, err2 := pyInt(v)
	if err1 != nil || err2 != nil {
		return v, nil
	}

	if pos < 1 {
		return n, nil
	}

	digits := strconv.Itoa(n)
	if pos > len(digits) {
		return 0, nil
	}

	d, err := strconv.Atoi(digits[len(digits)-pos : len(digits)-pos+1])
	if err != nil {
		return nil, err
	}

	return d, nil
}

// filterPluralize returns the singular suffix for a value of 1 or a
// length of 1, the plural suffix otherwise, and "" for an argument with
// more than one comma or a value that is neither.
func filterPluralize(fc *filterContext, v any) (any, error) {
	arg := "s"
	if fc.hasArg {
		arg = pyStr(fc.arg)
	}

	if !strings.Contains(arg, ",") {
		arg = "," + arg
	}

	bits := strings.Split(arg, ",")
	if len(bits) > 2 {
		return "", nil
	}

	f, err := pyFloat(v)
	if err == nil {
		return pickSuffix(f == 1, bits), nil
	}

	if _, isText := text(v); isText {
		return "", nil
	}

	if n, ok := pyLen(v); ok {
		return pickSuffix(n == 1, bits), nil
	}

	return "", nil
}

func pickSuffix(singular bool, bits []string) string {
	if singular {
		return bits[0]
	}

	return bits[1]
}

// filterFileSizeFormat formats a byte count as "13 KB" or "4.1 MB", with
// no-break spaces as Django's avoid_wrapping puts.
func filterFileSizeFormat(_ *filterContext, v any) (any, error) {
	size, err := pyInt(v)
	if err != nil {
		if f, ferr := number(v); ferr && !math.IsNaN(f) && !math.IsInf(f, 0) {
			size = int(f)
		} else {
			return noBreak("0 bytes"), nil
		}
	}

	negative := size < 0
	if negative {
		size = -size
	}

	out := fileSize(size)
	if negative {
		out = "-" + out
	}

	return noBreak(out), nil
}

func fileSize(size int) string {
	units := []string{"KB", "MB", "GB", "TB", "PB"}
	if size < 1<<10 {
		if size == 1 {
			return "1 byte"
		}
		return strconv.Itoa(size) + " bytes"
	}

	unit := 0
	for unit < len(units)-1 && size >= 1<<(10*(unit+2)) {
		unit++
	}

	value := float64(size) / float64(int(1)<<(10*(unit+1)))

	return formatOneDecimal(value) + " " + units[unit]
}

// formatOneDecimal formats round(value, 1) with exactly one decimal, as
// Django's number_format(round(value, 1), 1) does.
func formatOneDecimal(value float64) string {
	s := pyFloatRepr(pyRoundDigits(value, 1))
	whole, frac, _ := strings.Cut(s, ".")
	if frac == "" {
		frac = "0"
	}

	return whole + "." + frac[:1]
}

// pyRoundDigits rounds to the given number of decimals the way Python's
// round(float, n) does: correctly rounded, half to even, on the exact
// binary value.
func pyRoundDigits(f float64, digits int) float64 {
	s := strconv.FormatFloat(f, 'f', digits, 64)
	out, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return f
	}

	return out
}

func noBreak(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }
