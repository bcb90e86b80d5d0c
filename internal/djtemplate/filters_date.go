package djtemplate

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

func dateFilters() map[string]*filterDef {
	return map[string]*filterDef{
		"date":      {fn: filterDate, arg: argOptional},
		"time":      {fn: filterTime, arg: argOptional},
		"timesince": {fn: filterTimeSince(false), arg: argOptional},
		"timeuntil": {fn: filterTimeSince(true), arg: argOptional},
	}
}

// filterDate formats a date; anything that is not a date gives "".
func filterDate(fc *filterContext, v any) (any, error) {
	format := formatArg(fc, "DATE_FORMAT")
	t, ok := v.(time.Time)
	if !ok {
		return "", nil
	}

	return formatDateNamed(t, format), nil
}

// filterTime formats the time of a date; a format with date characters,
// or a value that is not a date, gives "".
func filterTime(fc *filterContext, v any) (any, error) {
	format := formatArg(fc, "TIME_FORMAT")
	if named, ok := namedFormats[format]; ok {
		format = named
	}

	t, ok := v.(time.Time)
	if !ok {
		return "", nil
	}

	out, ok := formatDate(t, format, true)
	if !ok {
		return "", nil
	}

	return out, nil
}

func formatArg(fc *filterContext, fallback string) string {
	if !fc.hasArg || !truthy(fc.arg) {
		return fallback
	}

	return pyStr(fc.arg)
}

// filterTimeSince formats the time between the value and the argument, or
// the engine's clock, as "4 days, 6 hours".
func filterTimeSince(until bool) filterFunc {
	return func(fc *filterContext, v any) (any, error) {
		if !truthy(v) {
			return "", nil
		}

		d, ok := v.(time.Time)
		if !ok {
			return nil, fmt.Errorf("%s is not a date", pyTypeName(v))
		}

		now := fc.state.engine.now()
		if fc.hasArg && truthy(fc.arg) {
			if now, ok = fc.arg.(time.Time); !ok {
				return "", nil
			}
		}

		if until {
			d, now = now, d
		}

		return timeSince(d, now, 2), nil
	}
}

var timeSinceChunks = []struct {
	seconds int64
	name    string
}{
	{60 * 60 * 24 * 365, "year"},
	{60 * 60 * 24 * 30, "month"},
	{60 * 60 * 24 * 7, "week"},
	{60 * 60 * 24, "day"},
	{60 * 60, "hour"},
	{60, "minute"},
}

// timeSince returns up to depth adjacent units between d and now, after
// removing leap days as Django does; 0 minutes when d is not before now.
func timeSince(d, now time.Time, depth int) string {
	since := int64(now.Sub(d)/time.Second) - int64(leapDaysBetween(d.Year(), now.Year()))*86400
	if since <= 0 {
		return noBreak("0 minutes")
	}

	i := 0
	for i < len(timeSinceChunks) && since/timeSinceChunks[i].seconds == 0 {
		i++
	}

	if i == len(timeSinceChunks) {
		return noBreak("0 minutes")
	}

	var parts []string
	for ; i < len(timeSinceChunks) && len(parts) < depth; i++ {
		count := since / timeSinceChunks[i].seconds
		if count == 0 {
			break
		}
		parts = append(parts, noBreak(pluralUnit(count, timeSinceChunks[i].name)))
		since -= count * timeSinceChunks[i].seconds
	}

	return strings.Join(parts, ", ")
}

func pluralUnit(count int64, name string) string {
	if count == 1 {
		return "1 " + name
	}

	return strconv.FormatInt(count, 10) + " " + name + "s"
}

// leapDaysBetween counts leap days as Django's timesince does with
// calendar.leapdays and its adjustment for the end years.
func leapDaysBetween(from, to int) int {
	count := leapYearsBefore(to) - leapYearsBefore(from)
	if count == 0 {
		return 0
	}

	if isLeap(from) {
		return count - 1
	}

	if isLeap(to) {
		return count + 1
	}

	return count
}

func leapYearsBefore(year int) int {
	y := year - 1
	return y/4 - y/100 + y/400
}
