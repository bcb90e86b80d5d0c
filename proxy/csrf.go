package proxy

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
)

// maxBufferedFields bounds the form fields of a multipart body that the
// proxy holds in memory before it finds the CSRF token.
const maxBufferedFields = 1 << 20

// csrfError is the 403 for a request without a valid CSRF token.
func csrfError(reason string) error {
	return &httpError{status: http.StatusForbidden, title: "Access denied",
		message: "The form's security token is missing or wrong (" + reason +
			"). Reload the page and try again."}
}

// unsafeMethod reports whether a method changes state and needs a CSRF
// token.
func unsafeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// checkCSRF rejects an unsafe request unless it carries the session's
// token in the X-CSRFToken header or the csrfmiddlewaretoken form field.
// It reads url-encoded forms, and the fields of a multipart form up to the
// token, which must come before the first file.
func (p *Proxy) checkCSRF(r *http.Request) error {
	if !unsafeMethod(r.Method) {
		return nil
	}

	st := stateFrom(r.Context())
	want := st.session.CSRFToken
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "multipart/form-data" {
		return p.checkMultipartCSRF(r, st, params["boundary"])
	}

	isForm := mediaType == "application/x-www-form-urlencoded"
	if isForm {
		if err := parseFormBody(r); err != nil {
			return badRequest(fmt.Sprintf("The form could not be read: %v.", err))
		}
	}

	if header := r.Header.Get("X-CSRFToken"); header != "" {
		return compareToken(header, want)
	}
	if !isForm {
		return csrfError("no X-CSRFToken header")
	}
	return compareToken(r.PostForm.Get(csrfField), want)
}

// parseFormBody reads a url-encoded body of any method into r.PostForm,
// which net/http fills for POST, PUT and PATCH only, so that DELETE forms
// carry their token and every form reaches the service.
func parseFormBody(r *http.Request) error {
	if r.Body == nil {
		r.PostForm = url.Values{}
		return nil
	}
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxFormBytes))
	if err != nil {
		return err
	}
	r.PostForm, err = url.ParseQuery(string(data))
	return err
}

func compareToken(got, want string) error {
	if got == "" {
		return csrfError("no token")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return csrfError("token does not match")
	}
	return nil
}

// pendingMultipart is a multipart body whose first fields were read.
type pendingMultipart struct {
	reader *multipart.Reader
	fields []bufferedField
}

type bufferedField struct {
	name  string
	value []byte
}

func (p *Proxy) checkMultipartCSRF(r *http.Request, st *requestState, boundary string) error {
	if boundary == "" {
		return badRequest("The multipart form has no boundary.")
	}

	pending := &pendingMultipart{reader: multipart.NewReader(r.Body, boundary)}
	st.multipart = pending
	if header := r.Header.Get("X-CSRFToken"); header != "" {
		return compareToken(header, st.session.CSRFToken)
	}

	size := 0
	for {
		part, err := pending.reader.NextPart()
		if errors.Is(err, io.EOF) {
			return csrfError("no token")
		}
		if err != nil {
			return badRequest(fmt.Sprintf("The multipart form could not be read: %v.", err))
		}

		if part.FileName() != "" {
			return csrfError("a file comes before the token")
		}

		value, err := io.ReadAll(io.LimitReader(part, int64(maxBufferedFields-size+1)))
		if err != nil {
			return badRequest(fmt.Sprintf("The multipart form could not be read: %v.", err))
		}
		size += len(value)
		if size > maxBufferedFields {
			return badRequest("The form fields before the security token are too large.")
		}

		if part.FormName() == csrfField {
			return compareToken(strings.TrimSpace(string(value)), st.session.CSRFToken)
		}
		pending.fields = append(pending.fields, bufferedField{name: part.FormName(), value: value})
	}
}
