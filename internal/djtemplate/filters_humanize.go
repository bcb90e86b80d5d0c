package djtemplate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

func humanizeFilters() map[string]*filterDef {
	return map[string]*filterDef{
		"intcomma":    {fn: filterIntComma, safe: true},
		"naturaltime": {fn: filterNaturalTime},
		"apnumber":    {fn: filterAPNumber, safe: true},
		"ordinal":     {fn: filterOrdinal, safe: true},
	}
}

var leadingInteger = regexp.MustCompile(`^-?\d+`)

// filterIntComma groups the digits of a number by thousands with commas;
// text that is not a number keeps its leading digits grouped.
func filterIntComma(_ *filterContext, v any) (any, error) {
	if f, ok := normalize(v).(float64); ok {
		s := pyFloatRepr(f)
		if strings.ContainsAny(s, "en") {
			return s, nil
		}
		whole, frac, _ := strings.Cut(s, ".")
		return groupSigned(whole) + "." + frac, nil
	}

	if _, isBool := v.(bool); !isBool {
		if n, err := pyInt(v); err == nil {
			return groupSigned(strconv.Itoa(n)), nil
		}
	}

	s := pyStr(v)
	prefix := leadingInteger.FindString(s)
	if prefix == "" {
		return s, nil
	}

	return groupSigned(prefix) + s[len(prefix):], nil
}

func groupSigned(s string) string {
	if strings.HasPrefix(s, "-") {
		return "-" + groupThousands(s[1:], true)
	}

	return groupThousands(s, true)
}

func filterAPNumber(_ *filterContext, v any) (any, error) {
	n, err := pyInt(v)
	if err != nil || n <= 0 || n >= 10 {
		if err == nil {
			return n, nil
		}
		return v, nil
	}

	words := []string{"one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}

	return words[n-1], nil
}

func filterOrdinal(_ *filterContext, v any) (any, error) {
	n, err := pyInt(v)
	if err != nil {
		return v, nil
	}

	suffix := "th"
	if m := ((n % 100) + 100) % 100; m < 11 || m > 13 {
		suffix = []string{"th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"}[((n%10)+10)%10]
	}

	return SafeString(strconv.Itoa(n) + suffix), nil
}

// filterNaturalTime describes a date relative to the engine's clock, such
// as "3 minutes ago" or "2 days from now".
func filterNaturalTime(fc *filterContext, v any) (any, error) {
	t, ok := v.(time.Time)
	if !ok {
		return v, nil
	}

	now := fc.state.engine.now().In(t.Location())
	if t.Before(now) {
		return naturalDelta(now.Sub(t), timeSince(t, now, 2), "ago"), nil
	}

	return naturalDelta(t.Sub(now), timeSince(now, t, 2), "from now"), nil
}

func naturalDelta(delta time.Duration, days, direction string) string {
	seconds := int64(delta / time.Second)
	switch {
	case seconds >= 86400:
		return days + " " + direction
	case seconds == 0:
		return "now"
	case seconds < 60:
		return countPhrase(seconds, "a second", "seconds") + " " + direction
	case seconds < 3600:
		return countPhrase(seconds/60, "a minute", "minutes") + " " + direction
	}

	return countPhrase(seconds/3600, "an hour", "hours") + " " + direction
}

func countPhrase(n int64, one, many string) string {
	if n == 1 {
		return one
	}

	return noBreak(fmt.Sprintf("%d %s", n, many))
}
