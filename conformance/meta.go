package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
)

// ErrInvalidMeta is returned by ValidateMeta for a meta reply that a proxy
// can't use.
var ErrInvalidMeta = errors.New("conformance: invalid meta")

// releasedProperties are the user properties a proxy may send for
// user_info; asking for another is a configuration error of the service.
var releasedProperties = []string{
	"username", "id", "pk", "first_name", "last_name", "email", "ebuio_member", "ebuio_admin",
	"ebuio_orga_member", "ebuio_orga_admin", "subscription_labels",
}

// boolMetaKeys are the meta keys whose value is a boolean.
var boolMetaKeys = []string{
	"only_logged_user", "only_member_user", "only_admin_user", "only_orga_member_user",
	"only_orga_admin_user", "public", "json_only", "xml_only", "no_template",
}

// MetaReport is the result of ValidateMeta for a valid meta reply.
type MetaReport struct {
	// TemplateTag is the template_tag value, "" for an action without a
	// template.
	TemplateTag string
	// Warnings lists what a proxy ignores or may read differently, such
	// as unknown keys.
	Warnings []string
}

// ValidateMeta checks the body of a meta reply: a JSON object with a
// string template_tag, and every known key of the type the protocol
// gives it. Unknown keys and fractional cache times are warnings. The
// error wraps ErrInvalidMeta and names the key at fault.
func ValidateMeta(body []byte) (MetaReport, error) {
	keys, err := decodeMetaObject(body)
	if err != nil {
		return MetaReport{}, err
	}

	var report MetaReport
	raw, ok := keys["template_tag"]
	if !ok {
		return report, fmt.Errorf("%w: template_tag is missing", ErrInvalidMeta)
	}
	if err := json.Unmarshal(raw, &report.TemplateTag); err != nil || isNull(raw) {
		return report, fmt.Errorf("%w: template_tag must be a string, not %s", ErrInvalidMeta, shorten(string(raw)))
	}

	names := make([]string, 0, len(keys))
	for name := range keys {
		names = append(names, name)
	}
	slices.Sort(names)

	for _, name := range names {
		warning, err := validateMetaKey(name, keys[name])
		if err != nil {
			return report, err
		}
		if warning != "" {
			report.Warnings = append(report.Warnings, warning)
		}
	}
	return report, nil
}

// decodeMetaObject decodes a meta body into its keys. It fails for
// anything but one non-empty JSON object.
func decodeMetaObject(body []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var keys map[string]json.RawMessage
	if err := dec.Decode(&keys); err != nil {
		return nil, fmt.Errorf("%w: not a JSON object: %w", ErrInvalidMeta, err)
	}
	if len(bytes.Trim(body[dec.InputOffset():], jsonSpace)) > 0 {
		return nil, fmt.Errorf("%w: data after the JSON object", ErrInvalidMeta)
	}
	if keys == nil {
		return nil, fmt.Errorf("%w: null instead of an object", ErrInvalidMeta)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: empty object, for which a proxy returns its 404 page", ErrInvalidMeta)
	}
	return keys, nil
}

// validateMetaKey checks the value of one meta key. It returns a warning
// for a key a proxy ignores or may read differently.
func validateMetaKey(name string, raw json.RawMessage) (string, error) {
	switch {
	case name == "template_tag":
		return "", nil
	case isNull(raw) && name != "cache_by_user" && isKnownMetaKey(name):
		return fmt.Sprintf("%s is null: a proxy reads it as absent", name), nil
	case slices.Contains(boolMetaKeys, name):
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return "", metaTypeError(name, "a boolean", raw)
		}
		return "", nil
	case name == "cache_time":
		return validateCacheTime(raw)
	case name == "cache_by_user":
		var b *bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return "", metaTypeError(name, "a boolean or null", raw)
		}
		return "", nil
	case name == "user_info":
		return "", validateUserInfo(raw)
	case name == "address_in_networks":
		return "", validateNetworks(raw)
	}
	return fmt.Sprintf("unknown meta key %q: a proxy ignores it", name), nil
}

func isKnownMetaKey(name string) bool {
	switch name {
	case "cache_time", "cache_by_user", "user_info", "address_in_networks":
		return true
	}
	return slices.Contains(boolMetaKeys, name)
}

// isNull reports whether a JSON value is null.
func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

func metaTypeError(name, want string, raw json.RawMessage) error {
	return fmt.Errorf("%w: %s must be %s, not %s", ErrInvalidMeta, name, want, shorten(string(raw)))
}

func validateCacheTime(raw json.RawMessage) (string, error) {
	var seconds float64
	if err := json.Unmarshal(raw, &seconds); err != nil {
		return "", metaTypeError("cache_time", "a number of seconds", raw)
	}
	if seconds < 0 || seconds > math.MaxInt32 {
		return "", fmt.Errorf("%w: cache_time %s is out of range (0 to %d seconds)", ErrInvalidMeta, raw,
			math.MaxInt32)
	}
	if seconds != math.Trunc(seconds) {
		return fmt.Sprintf("cache_time %s is not a whole number of seconds", raw), nil
	}
	return "", nil
}

func validateUserInfo(raw json.RawMessage) error {
	var names []string
	if err := json.Unmarshal(raw, &names); err != nil {
		return metaTypeError("user_info", "a list of strings", raw)
	}
	for _, name := range names {
		if !slices.Contains(releasedProperties, name) {
			return fmt.Errorf("%w: user_info requests %q, which no proxy releases (released: %s)",
				ErrInvalidMeta, name, strings.Join(releasedProperties, ", "))
		}
	}
	return nil
}

func validateNetworks(raw json.RawMessage) error {
	var networks []string
	if err := json.Unmarshal(raw, &networks); err != nil {
		return metaTypeError("address_in_networks", "a list of CIDR strings", raw)
	}
	for _, cidr := range networks {
		if _, err := netip.ParsePrefix(cidr); err != nil {
			return fmt.Errorf("%w: address_in_networks: %q is not a CIDR network: %w", ErrInvalidMeta, cidr, err)
		}
	}
	return nil
}
