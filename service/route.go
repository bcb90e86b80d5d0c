package service

import (
	"fmt"
	"strconv"
	"strings"
)

// segmentKind is the kind of one segment of an action route.
type segmentKind int

const (
	segmentLiteral segmentKind = iota
	segmentString              // {name}: any single segment
	segmentInt                 // {name:int}: a decimal integer
	segmentPath                // {name:path} or {name...}: the rest of the path
)

type segment struct {
	kind  segmentKind
	value string // the literal text, or the parameter name
}

// route is a parsed action route such as "/show/{id:int}".
type route struct {
	pattern       string
	segments      []segment
	trailingSlash bool
}

// parseRoute parses an action route. A route starts with "/"; a segment is
// a literal or a parameter written {name}, {name:int}, {name:path} or
// {name...}; the last two match the rest of the path and must come last.
func parseRoute(pattern string) (route, error) {
	if !strings.HasPrefix(pattern, "/") {
		return route{}, fmt.Errorf("service: invalid route %q: must start with /", pattern)
	}

	r := route{pattern: pattern}
	trimmed := strings.TrimPrefix(pattern, "/")
	if trimmed == "" {
		return r, nil
	}

	if strings.HasSuffix(trimmed, "/") {
		r.trailingSlash = true
		trimmed = strings.TrimSuffix(trimmed, "/")
	}

	seen := map[string]bool{}
	parts := strings.Split(trimmed, "/")
	for i, part := range parts {
		seg, err := parseSegment(part)
		if err != nil {
			return route{}, fmt.Errorf("service: invalid route %q: %w", pattern, err)
		}

		if seg.kind == segmentPath && i != len(parts)-1 {
			return route{}, fmt.Errorf("service: invalid route %q: path parameter %q must be last", pattern, seg.value)
		}

		if seg.kind != segmentLiteral {
			if seen[seg.value] {
				return route{}, fmt.Errorf("service: invalid route %q: parameter %q repeated", pattern, seg.value)
			}
			seen[seg.value] = true
		}

		r.segments = append(r.segments, seg)
	}

	return r, nil
}

func parseSegment(part string) (segment, error) {
	if part == "" {
		return segment{}, fmt.Errorf("empty segment")
	}

	if !strings.HasPrefix(part, "{") {
		if strings.ContainsAny(part, "{}") {
			return segment{}, fmt.Errorf("segment %q mixes text and a parameter", part)
		}
		return segment{kind: segmentLiteral, value: part}, nil
	}

	if !strings.HasSuffix(part, "}") {
		return segment{}, fmt.Errorf("segment %q has no closing brace", part)
	}

	inner := part[1 : len(part)-1]
	name, typ, _ := strings.Cut(inner, ":")
	kind := segmentString
	switch {
	case strings.HasSuffix(name, "...") && typ == "":
		name = strings.TrimSuffix(name, "...")
		kind = segmentPath
	case typ == "" || typ == "string":
	case typ == "int":
		kind = segmentInt
	case typ == "path":
		kind = segmentPath
	default:
		return segment{}, fmt.Errorf("parameter %q has unknown type %q (use int, string or path)", name, typ)
	}

	if !validParamName(name) {
		return segment{}, fmt.Errorf("parameter name %q is not an identifier", name)
	}

	return segment{kind: kind, value: name}, nil
}

func validParamName(name string) bool {
	if name == "" {
		return false
	}

	for i, c := range name {
		letter := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}

	return true
}

// match reports whether path (the part after meta/, template/ or action/,
// without a leading slash) matches the route, and returns its parameters.
// A missing trailing slash still matches a route that ends with one.
func (r route) match(path string) (map[string]string, bool) {
	path = strings.TrimPrefix(path, "/")
	if len(r.segments) == 0 {
		return nil, path == ""
	}

	if r.trailingSlash {
		path = strings.TrimSuffix(path, "/")
	}

	params := map[string]string{}
	rest := path
	for i, seg := range r.segments {
		if seg.kind == segmentPath {
			if rest == "" {
				return nil, false
			}
			params[seg.value] = rest
			return params, true
		}

		part, after, found := strings.Cut(rest, "/")
		last := i == len(r.segments)-1
		if found == last {
			return nil, false
		}

		if !matchSegment(seg, part, params) {
			return nil, false
		}
		rest = after
	}

	return params, true
}

func matchSegment(seg segment, part string, params map[string]string) bool {
	switch seg.kind {
	case segmentLiteral:
		return part == seg.value
	case segmentInt:
		if !isDigits(part) {
			return false
		}
	}

	if part == "" {
		return false
	}
	params[seg.value] = part
	return true
}

// isDigits reports whether s is a non-negative decimal integer that fits
// in an int64, as Flask's int converter accepts (no sign, no spaces).
func isDigits(s string) bool {
	if s == "" {
		return false
	}

	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}

	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}
