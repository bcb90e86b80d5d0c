package conformance

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestValidateMeta(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		tag      string
		warnings []string
		err      string // part of the error, "" when valid
	}{
		{name: "minimal", body: `{"template_tag": ""}`},
		{name: "every key", tag: "abc", body: `{"template_tag": "abc", "only_logged_user": true,
			"only_member_user": false, "only_admin_user": true, "only_orga_member_user": true,
			"only_orga_admin_user": true, "cache_time": 42, "cache_by_user": null, "user_info": ["pk", "email"],
			"public": true, "json_only": false, "xml_only": false, "no_template": true,
			"address_in_networks": ["127.0.0.1/24", "::1/128"]}`},
		{name: "unknown key warns", body: `{"template_tag": "", "colour": "blue"}`,
			warnings: []string{`unknown meta key "colour": a proxy ignores it`}},
		{name: "fractional cache time warns", body: `{"template_tag": "", "cache_time": 1.5}`,
			warnings: []string{"cache_time 1.5 is not a whole number of seconds"}},
		{name: "null flag warns", body: `{"template_tag": "", "public": null}`,
			warnings: []string{"public is null: a proxy reads it as absent"}},
		{name: "not JSON", body: `{"template_tag": `, err: "not a JSON object"},
		{name: "array", body: `[]`, err: "not a JSON object"},
		{name: "null", body: `null`, err: "null instead of an object"},
		{name: "empty object", body: `{}`, err: "empty object"},
		{name: "trailing data", body: `{"template_tag": ""} {}`, err: "data after the JSON object"},
		{name: "template_tag missing", body: `{"public": true}`, err: "template_tag is missing"},
		{name: "template_tag null", body: `{"template_tag": null}`, err: "template_tag must be a string"},
		{name: "template_tag number", body: `{"template_tag": 5}`, err: "template_tag must be a string"},
		{name: "flag as string", body: `{"template_tag": "", "json_only": "yes"}`, err: "json_only must be a boolean"},
		{name: "negative cache time", body: `{"template_tag": "", "cache_time": -1}`, err: "cache_time -1 is out of range"},
		{name: "huge cache time", body: `{"template_tag": "", "cache_time": 1e300}`, err: "out of range"},
		{name: "cache time as string", body: `{"template_tag": "", "cache_time": "42"}`, err: "cache_time must be a number"},
		{name: "cache_by_user as string", body: `{"template_tag": "", "cache_by_user": "no"}`,
			err: "cache_by_user must be a boolean or null"},
		{name: "user_info not a list", body: `{"template_tag": "", "user_info": "pk"}`,
			err: "user_info must be a list of strings"},
		{name: "unreleased property", body: `{"template_tag": "", "user_info": ["password"]}`,
			err: `user_info requests "password"`},
		{name: "invalid network", body: `{"template_tag": "", "address_in_networks": ["10.0.0.1"]}`,
			err: `"10.0.0.1" is not a CIDR network`},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			report, err := ValidateMeta([]byte(tt.body))
			if tt.err != "" {
				if !errors.Is(err, ErrInvalidMeta) {
					t.Fatalf("error = %v, want one wrapping ErrInvalidMeta", err)
				}
				if !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error = %q, want it to contain %q", err, tt.err)
				}
				return
			}

			if err != nil {
				t.Fatalf("error = %v, want none", err)
			}
			if report.TemplateTag != tt.tag {
				t.Errorf("TemplateTag = %q, want %q", report.TemplateTag, tt.tag)
			}
			if !slices.Equal(report.Warnings, tt.warnings) {
				t.Errorf("Warnings = %q, want %q", report.Warnings, tt.warnings)
			}
		})
	}
}

// FuzzValidateMeta checks that ValidateMeta never panics, that what it
// accepts is a JSON object with a string template_tag, and that every
// error wraps ErrInvalidMeta.
func FuzzValidateMeta(f *testing.F) {
	f.Add([]byte(`{"template_tag": "", "cache_time": 42, "cache_by_user": null}`))
	f.Add([]byte(`{"template_tag": "x", "user_info": ["pk"], "address_in_networks": ["::1/128"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		report, err := ValidateMeta(body)
		if err != nil {
			if !errors.Is(err, ErrInvalidMeta) {
				t.Fatalf("error %v does not wrap ErrInvalidMeta", err)
			}
			return
		}

		var obj map[string]any
		if err := json.Unmarshal(body, &obj); err != nil {
			t.Fatalf("accepted %q, which is not a JSON object: %v", body, err)
		}
		tag, ok := obj["template_tag"].(string)
		if !ok || tag != report.TemplateTag {
			t.Fatalf("accepted %q with TemplateTag %q, but template_tag is %#v", body, report.TemplateTag, obj["template_tag"])
		}
	})
}
