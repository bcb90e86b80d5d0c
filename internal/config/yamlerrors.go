package config

import (
	"errors"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)
	wrongScalar  = regexp.MustCompile("cannot unmarshal !!\\w+ `(.*)` into (\\S+)")
	wrongKind    = regexp.MustCompile(`cannot unmarshal !!(\w+) into (\S+)`)
)

// describeYAMLError rewrites the YAML decoder's messages in the words of
// the configuration file rather than of Go types, one problem after the
// other on one line.
func describeYAMLError(err error) string {
	var typeErr *yaml.TypeError
	if !errors.As(err, &typeErr) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if strings.Contains(msg, "found character that cannot start any token") {
			msg += " (tabs can't indent YAML: use spaces)"
		}
		return msg
	}

	problems := make([]string, 0, len(typeErr.Errors))
	for _, e := range typeErr.Errors {
		e = unknownField.ReplaceAllString(e, "unknown key $1: check its spelling in docs/configuration.md")
		e = wrongScalar.ReplaceAllStringFunc(e, func(m string) string {
			parts := wrongScalar.FindStringSubmatch(m)
			return "invalid value " + parts[1] + ": want " + kindName(parts[2])
		})
		e = wrongKind.ReplaceAllStringFunc(e, func(m string) string {
			parts := wrongKind.FindStringSubmatch(m)
			return "a " + yamlKindName(parts[1]) + " is here where " + kindName(parts[2]) + " is expected"
		})
		problems = append(problems, e)
	}
	return strings.Join(problems, "; ")
}

// kindName names a Go type of the configuration as the file spells it.
func kindName(goType string) string {
	switch {
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "int"):
		return "a whole number"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case goType == "string":
		return "a text"
	}
	return "a mapping of keys"
}

func yamlKindName(tag string) string {
	switch tag {
	case "map":
		return "mapping"
	case "seq":
		return "list"
	}
	return "value"
}
