package djtemplate

import "strings"

func logicFilters() map[string]*filterDef {
	return map[string]*filterDef{
		"default":         {fn: filterDefault, arg: argRequired},
		"default_if_none": {fn: filterDefaultIfNone, arg: argRequired},
		"yesno":           {fn: filterYesNo, arg: argOptional},
	}
}

func filterDefault(fc *filterContext, v any) (any, error) {
	if truthy(v) {
		return v, nil
	}

	return fc.arg, nil
}

func filterDefaultIfNone(fc *filterContext, v any) (any, error) {
	if v == nil {
		return fc.arg, nil
	}

	return v, nil
}

// filterYesNo maps true, false and None to the words of "yes,no,maybe";
// an argument with fewer than two words returns the value unchanged.
func filterYesNo(fc *filterContext, v any) (any, error) {
	arg := "yes,no,maybe"
	if fc.hasArg {
		arg = pyStr(fc.arg)
	}

	bits := strings.Split(arg, ",")
	if len(bits) < 2 {
		return v, nil
	}

	maybe := bits[1]
	if len(bits) == 3 {
		maybe = bits[2]
	}

	switch {
	case v == nil:
		return maybe, nil
	case truthy(v):
		return bits[0], nil
	}

	return bits[1], nil
}
