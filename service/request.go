package service

import (
	"net/http"
	"strconv"
	"strings"
)

// Request is an action call from the proxy: the HTTP request plus the
// route's parameters and accessors for what the proxy adds.
type Request struct {
	*http.Request

	params map[string]string
}

// Param returns the route parameter name, or "" when the route has none of
// that name.
func (r *Request) Param(name string) string {
	return r.params[name]
}

// IntParam returns the route parameter name as an integer. It is 0 when
// the parameter is missing or not an integer; {name:int} routes only match
// integers.
func (r *Request) IntParam(name string) int64 {
	n, _ := strconv.ParseInt(r.params[name], 10, 64)
	return n
}

// UserInfo returns the user property name that the proxy sent as
// ebuio_u_<name>, and whether it was sent. The action must list name in
// its UserInfo option.
func (r *Request) UserInfo(name string) (string, bool) {
	values := r.UserInfoList(name)
	if len(values) == 0 {
		return "", false
	}
	return values[0], true
}

// UserInfoList returns every value of the user property name, for list
// properties such as subscription_labels.
func (r *Request) UserInfoList(name string) []string {
	return r.formValues("ebuio_u_" + name)
}

// UserPK returns the current user's primary key, and false for an
// anonymous user or when the action does not request "pk".
func (r *Request) UserPK() (int64, bool) {
	v, ok := r.UserInfo("pk")
	if !ok {
		return 0, false
	}

	pk, err := strconv.ParseInt(v, 10, 64)
	return pk, err == nil
}

// UserFlag returns a boolean user property such as "ebuio_member", which
// the proxy sends as True or False.
func (r *Request) UserFlag(name string) bool {
	v, _ := r.UserInfo(name)
	return v == "True"
}

// OrgaPK returns the current organisation's primary key in organisation
// mode, and false otherwise.
func (r *Request) OrgaPK() (int64, bool) {
	values := r.formValues("ebuio_orgapk")
	if len(values) == 0 {
		return 0, false
	}

	pk, err := strconv.ParseInt(values[0], 10, 64)
	return pk, err == nil
}

// Session returns the session value key that this service set earlier for
// the current user, and whether it is set.
func (r *Request) Session(key string) (string, bool) {
	name := "X-Plugitsession-" + key
	if values := r.Header.Values(name); len(values) > 0 {
		return values[0], true
	}

	// Some proxies write "_" where this one writes "-", after the prefix
	// (X-Plugitsession_key) or inside the key, and Go keeps "_" in header
	// names as it is.
	for header, values := range r.Header {
		if len(values) > 0 && strings.EqualFold(strings.ReplaceAll(header, "_", "-"), name) {
			return values[0], true
		}
	}

	return "", false
}

// formValues returns the values of a parameter from the form (POST) or the
// query string (other methods), where the proxy puts its parameters. It
// ignores the body of other methods because the proxy may forward it from
// the browser unchanged, so a value in it could be forged.
func (r *Request) formValues(name string) []string {
	if r.Method != http.MethodPost {
		return r.URL.Query()[name]
	}

	if err := r.ParseMultipartForm(defaultMaxMemory); err != nil && err != http.ErrNotMultipart {
		return nil
	}

	if values, ok := r.PostForm[name]; ok {
		return values
	}
	return r.URL.Query()[name]
}
