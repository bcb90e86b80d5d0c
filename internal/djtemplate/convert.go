package djtemplate

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// errConversion reports a value Python's int() or float() rejects.
var errConversion = errors.New("djtemplate: invalid number")

// pyFloat converts v as Python's float() does.
func pyFloat(v any) (float64, error) {
	if f, ok := number(v); ok {
		return f, nil
	}

	s, ok := text(v)
	if !ok {
		return 0, fmt.Errorf("%w: %s", errConversion, pyTypeName(v))
	}

	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "xXpP") || strings.HasPrefix(s, "_") || strings.HasSuffix(s, "_") {
		return 0, fmt.Errorf("%w: %q", errConversion, s)
	}

	f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%w: %q", errConversion, s)
	}

	return f, nil
}

// pyInt converts v as Python's int() does: floats are truncated and
// strings must hold a base-10 integer.
func pyInt(v any) (int, error) {
	switch x := normalize(v).(type) {
	case int:
		return x, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("%w: cannot convert %s to an integer", errConversion, pyFloatRepr(x))
		}
		return int(x), nil
	}

	s, ok := text(v)
	if !ok {
		return 0, fmt.Errorf("%w: %s", errConversion, pyTypeName(v))
	}

	s = strings.ReplaceAll(strings.TrimSpace(s), "_", "")
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", errConversion, s)
	}

	return n, nil
}

// pyRound rounds half to even, as Python's round() does.
func pyRound(f float64) float64 {
	return math.RoundToEven(f)
}

// intString formats a float that holds an integer without exponent or
// fraction, even when it is beyond the range of int.
func intString(f float64) string {
	if math.Abs(f) < 1e18 {
		return strconv.FormatInt(int64(f), 10)
	}

	b, _ := new(big.Float).SetFloat64(f).Int(nil)

	return b.String()
}
