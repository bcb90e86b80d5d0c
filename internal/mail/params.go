package mail

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// ParseServices returns the services in s, a comma-separated list of
// key=URL pairs such as "polls=http://127.0.0.1:5000/,wiki=http://10.0.0.2/".
// Keys must be non-empty, unique and without ":", which the reply tag
// uses as a separator.
func ParseServices(s string) (map[string]string, error) {
	services := make(map[string]string)
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}

		key, base, ok := strings.Cut(pair, "=")
		key, base = strings.TrimSpace(key), strings.TrimSpace(base)
		switch {
		case !ok || key == "" || base == "":
			return nil, fmt.Errorf("mail: invalid service %q: use key=URL", pair)
		case strings.Contains(key, ":"):
			return nil, fmt.Errorf("mail: invalid service key %q: it must not contain \":\"", key)
		}
		if _, dup := services[key]; dup {
			return nil, fmt.Errorf("mail: service key %q given twice", key)
		}
		if _, err := parseServiceURL(base); err != nil {
			return nil, fmt.Errorf("mail: service %q: %w", key, err)
		}
		services[key] = base
	}

	if len(services) == 0 {
		return nil, fmt.Errorf("mail: no service in %q: use key=URL,key=URL", s)
	}
	return services, nil
}

// ParseTokenKey returns the token key written in text as 64 hexadecimal
// digits, such as the output of "openssl rand -hex 32". Surrounding
// white space is ignored.
func ParseTokenKey(text []byte) ([]byte, error) {
	digits := strings.TrimSpace(string(text))
	if len(digits) != 2*TokenKeySize {
		return nil, fmt.Errorf("mail: token key has %d characters: write %d bytes as %d hexadecimal digits",
			len(digits), TokenKeySize, 2*TokenKeySize)
	}

	key, err := hex.DecodeString(digits)
	if err != nil {
		return nil, fmt.Errorf("mail: token key is not hexadecimal: %w", err)
	}
	return key, nil
}
