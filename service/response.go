package service

import (
	"io"
	"mime"
	"net/http"
	"strings"
)

// Response is an action's reply: data for the template, or a redirect, a
// file or a bare status, with optional session values and headers.
type Response struct {
	data      any
	status    int
	redirect  string
	noPrefix  bool
	file      *file
	session   map[string]string
	header    http.Header
	nullReply bool
}

type file struct {
	body        io.Reader
	contentType string
	disposition string
}

// Data returns a reply carrying v as the template's data. v is encoded as
// JSON and should encode to an object; nil encodes as {}.
func Data(v any) *Response {
	if v == nil {
		v = map[string]any{}
	}
	return &Response{data: v, status: http.StatusOK}
}

// NotFound returns the JSON null reply, which makes the proxy show its 404
// page.
func NotFound() *Response {
	return &Response{nullReply: true, status: http.StatusOK}
}

// Status returns a reply with the given HTTP status and an empty body. The
// proxy passes 304, 401, 403, 404, 429 and 500 to the browser and shows
// its 404 page for any other status.
func Status(code int) *Response {
	return &Response{status: code}
}

// Redirect returns a reply that makes the proxy redirect the browser to
// url, relative to the service's base URL on the proxy.
func Redirect(url string) *Response {
	return &Response{redirect: url, status: http.StatusOK, data: map[string]any{}}
}

// RedirectNoPrefix returns a reply that makes the proxy redirect the
// browser to url as it is, without the service's base URL.
func RedirectNoPrefix(url string) *Response {
	r := Redirect(url)
	r.noPrefix = true
	return r
}

// File returns a reply that the proxy sends to the browser as a file with
// the given content type.
func File(body io.Reader, contentType string) *Response {
	return &Response{status: http.StatusOK, file: &file{body: body, contentType: contentType}}
}

// Attachment marks a file reply as a download named name. It has no effect
// on other replies.
func (r *Response) Attachment(name string) *Response {
	if r.file != nil {
		r.file.disposition = mime.FormatMediaType("attachment", map[string]string{"filename": sanitizeFileName(name)})
	}
	return r
}

// SetSession stores key=value in the user's session for this service; the
// proxy sends it back on every later action call. Keys should be lowercase
// letters, digits and "-", which is all that Python services can read.
func (r *Response) SetSession(key, value string) *Response {
	if r.session == nil {
		r.session = map[string]string{}
	}
	r.session[key] = value
	return r
}

// SetHeader sets a header of the reply, such as ETag.
func (r *Response) SetHeader(key, value string) *Response {
	if r.header == nil {
		r.header = http.Header{}
	}
	r.header.Set(key, value)
	return r
}

// sanitizeFileName keeps a file name safe inside a quoted header value.
func sanitizeFileName(name string) string {
	return strings.Map(func(c rune) rune {
		if c < 0x20 || c == 0x7f || c == '"' || c == '\\' {
			return '_'
		}
		return c
	}, name)
}
