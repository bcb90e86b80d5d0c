package conformance

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// decodeJSON decodes a reply body as JSON, keeping numbers as written so
// that 42 and 42.0 stay different.
func decodeJSON(body string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if rest := strings.Trim(body[dec.InputOffset():], jsonSpace); rest != "" {
		return nil, fmt.Errorf("data after the JSON value: %s", shorten(rest))
	}
	return v, nil
}

// canonical writes v as compact JSON with sorted object keys.
func canonical(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(data)
}

// jsonReply decodes a reply's JSON body; invalid JSON fails the check.
func (p *probe) jsonReply(r *reply) any {
	v, err := decodeJSON(r.body)
	if err != nil {
		p.fail(r.method+" "+r.path+": a JSON body", excerpt(r.body)+" ("+err.Error()+")")
	}
	return v
}

// jsonEqual compares a reply's JSON body with want, ignoring key order.
func (p *probe) jsonEqual(r *reply, want any) {
	got := canonical(p.jsonReply(r))
	p.equal(r.method+" "+r.path+": JSON", canonical(want), got)
}

// echoOf returns the "echo" value of an action's JSON reply: a string as
// it is, null as None (as a Django template shows it), anything else as
// JSON.
func (p *probe) echoOf(r *reply) string {
	obj, ok := p.jsonReply(r).(map[string]any)
	if !ok {
		p.fail(r.method+" "+r.path+`: a JSON object with "echo"`, excerpt(r.body))
	}

	switch v := obj["echo"].(type) {
	case string:
		return v
	case nil:
		return "None"
	default:
		return canonical(v)
	}
}

// quote quotes s for Expected and Seen.
func quote(s string) string { return strconv.Quote(s) }

func itoa(n int) string { return strconv.Itoa(n) }

// jsonSpace is the white space JSON allows between values.
const jsonSpace = " \t\r\n"
