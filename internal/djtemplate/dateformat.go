package djtemplate

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// namedFormats are the English locale's date formats of Django 3.2, used
// when a format argument names one of them.
var namedFormats = map[string]string{
	"DATE_FORMAT":           "N j, Y",
	"TIME_FORMAT":           "P",
	"DATETIME_FORMAT":       "N j, Y, P",
	"YEAR_MONTH_FORMAT":     "F Y",
	"MONTH_DAY_FORMAT":      "F j",
	"SHORT_DATE_FORMAT":     "m/d/Y",
	"SHORT_DATETIME_FORMAT": "m/d/Y P",
}

const formatChars = "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ"

// timeOnlyChars are the format characters a time format may contain.
const timeOnlyChars = "aAefgGhHiIOPsTuZ"

var (
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	monthsAP = []string{"Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.",
		"Sept.", "Oct.", "Nov.", "Dec."}
)

// formatDateNamed formats t with a format string or the name of a locale
// format such as "SHORT_DATE_FORMAT".
func formatDateNamed(t time.Time, format string) string {
	if named, ok := namedFormats[format]; ok {
		format = named
	}

	out, _ := formatDate(t, format, false)

	return out
}

// formatDate formats t with Django's date format characters; a backslash
// makes the next character literal. With timeOnly set, a date character
// makes the format invalid, as in Django's time filter.
func formatDate(t time.Time, format string, timeOnly bool) (string, bool) {
	var b strings.Builder
	runes := []rune(format)
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		if r == '\\' && i+1 < len(runes) {
			i++
			b.WriteRune(runes[i])
			continue
		}

		if !strings.ContainsRune(formatChars, r) {
			b.WriteRune(r)
			continue
		}

		if timeOnly && !strings.ContainsRune(timeOnlyChars, r) {
			return "", false
		}
		b.WriteString(formatDateChar(t, r))
	}

	return b.String(), true
}

func formatDateChar(t time.Time, c rune) string {
	if s, ok := formatTimeChar(t, c); ok {
		return s
	}

	switch c {
	case 'b':
		return strings.ToLower(monthNames[t.Month()-1][:3])
	case 'c':
		return isoFormat(t)
	case 'd':
		return fmt.Sprintf("%02d", t.Day())
	case 'D':
		return t.Weekday().String()[:3]
	case 'E', 'F':
		return monthNames[t.Month()-1]
	case 'j':
		return strconv.Itoa(t.Day())
	case 'l':
		return t.Weekday().String()
	case 'L':
		return pyBoolStr(isLeap(t.Year()))
	case 'm':
		return fmt.Sprintf("%02d", int(t.Month()))
	case 'M':
		return monthNames[t.Month()-1][:3]
	case 'n':
		return strconv.Itoa(int(t.Month()))
	case 'N':
		return monthsAP[t.Month()-1]
	}

	return formatDateNumber(t, c)
}

func formatDateNumber(t time.Time, c rune) string {
	switch c {
	case 'o':
		year, _ := t.ISOWeek()
		return strconv.Itoa(year)
	case 'r':
		return t.Format("Mon, 02 Jan 2006 15:04:05 -0700")
	case 'S':
		return ordinalSuffix(t.Day())
	case 't':
		return fmt.Sprintf("%02d", time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day())
	case 'U':
		return strconv.FormatInt(t.Unix(), 10)
	case 'w':
		return strconv.Itoa(int(t.Weekday()))
	case 'W':
		_, week := t.ISOWeek()
		return strconv.Itoa(week)
	case 'y':
		return fmt.Sprintf("%02d", t.Year()%100)
	case 'Y':
		return strconv.Itoa(t.Year())
	case 'z':
		return strconv.Itoa(t.YearDay())
	}

	return ""
}

// formatTimeChar formats the characters that Django's TimeFormat
// implements. The name and offset of the time zone come from the location
// of t, which plays the part of Django's default time zone.
func formatTimeChar(t time.Time, c rune) (string, bool) {
	switch c {
	case 'a':
		return ampm(t, "a.m.", "p.m."), true
	case 'A':
		return ampm(t, "AM", "PM"), true
	case 'e':
		return "", true
	case 'f':
		return hourMinutes(t), true
	case 'g':
		return strconv.Itoa(hour12(t)), true
	case 'G':
		return strconv.Itoa(t.Hour()), true
	case 'h':
		return fmt.Sprintf("%02d", hour12(t)), true
	case 'H':
		return fmt.Sprintf("%02d", t.Hour()), true
	case 'i':
		return fmt.Sprintf("%02d", t.Minute()), true
	case 'I':
		return "0", true
	case 'O':
		return t.Format("-0700"), true
	case 'P':
		return timeP(t), true
	case 's':
		return fmt.Sprintf("%02d", t.Second()), true
	case 'T':
		name, _ := t.Zone()
		return name, true
	case 'u':
		return fmt.Sprintf("%06d", t.Nanosecond()/1000), true
	case 'Z':
		_, offset := t.Zone()
		return strconv.Itoa(offset), true
	}

	return "", false
}

func ampm(t time.Time, am, pm string) string {
	if t.Hour() > 11 {
		return pm
	}

	return am
}

func hour12(t time.Time) int {
	if h := t.Hour() % 12; h != 0 {
		return h
	}

	return 12
}

func hourMinutes(t time.Time) string {
	if t.Minute() == 0 {
		return strconv.Itoa(hour12(t))
	}

	return fmt.Sprintf("%d:%02d", hour12(t), t.Minute())
}

// timeP formats "1 a.m.", "1:30 p.m.", "midnight" or "noon".
func timeP(t time.Time) string {
	switch {
	case t.Minute() == 0 && t.Hour() == 0:
		return "midnight"
	case t.Minute() == 0 && t.Hour() == 12:
		return "noon"
	}

	return hourMinutes(t) + " " + ampm(t, "a.m.", "p.m.")
}

func ordinalSuffix(day int) string {
	if day >= 11 && day <= 13 {
		return "th"
	}

	switch day % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}

	return "th"
}

func isLeap(year int) bool {
	return year%4 == 0 && (year%100 != 0 || year%400 == 0)
}

// isoFormat formats t as Python's naive datetime.isoformat does.
func isoFormat(t time.Time) string {
	out := t.Format("2006-01-02T15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		out += fmt.Sprintf(".%06d", us)
	}

	return out
}

// pyDatetimeStr formats t as Python's str(datetime) does.
func pyDatetimeStr(t time.Time) string {
	return strings.Replace(isoFormat(t), "T", " ", 1)
}

// pyDatetimeRepr formats t as Python's repr(datetime) does.
func pyDatetimeRepr(t time.Time) string {
	parts := []int{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute()}
	if t.Second() != 0 || t.Nanosecond() != 0 {
		parts = append(parts, t.Second())
	}
	if t.Nanosecond() != 0 {
		parts = append(parts, t.Nanosecond()/1000)
	}

	text := make([]string, len(parts))
	for i, p := range parts {
		text[i] = strconv.Itoa(p)
	}

	return "datetime.datetime(" + strings.Join(text, ", ") + ")"
}

// localize converts a date for display with the locale's DATETIME_FORMAT,
// as Django does when it prints a datetime variable.
func localize(v any) any {
	switch x := v.(type) {
	case time.Time:
		return formatDateNamed(x, "DATETIME_FORMAT")
	case float64:
		return localizeFloat(x)
	}

	return v
}
