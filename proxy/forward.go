package proxy

import (
	"context"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// maxFormBytes bounds a url-encoded form body that the proxy parses.
const maxFormBytes = 10 << 20

// csrfField is the form field carrying the CSRF token, as in Django.
const csrfField = "csrfmiddlewaretoken"

// copiedHeaders are browser headers sent to services under an X-Plugit-
// name, plus those sent as they are.
var copiedHeaders = []string{
	"If-None-Match", "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers",
}

// actionReply is a service's reply to an action call; the body is not
// read yet, so that files can be streamed.
type actionReply struct {
	resp   *http.Response
	cancel context.CancelFunc
}

func (a *actionReply) close() {
	a.resp.Body.Close()
	a.cancel()
}

// callAction calls the service's action with the browser's parameters and
// the proxy's additions.
func (p *Proxy) callAction(r *http.Request, meta *Meta, path string, st *requestState) (*actionReply, error) {
	added, err := addedParams(meta, st)
	if err != nil {
		return nil, err
	}
	return p.callService(r, "action/"+path, added, st, nil)
}

// callService sends the browser's request to a call of the service with
// the added parameters, the proxy's headers and, when extra is set, the
// headers it adds.
func (p *Proxy) callService(r *http.Request, call string, added url.Values, st *requestState,
	extra func(http.Header)) (*actionReply, error) {
	body, contentType, query, err := p.forwardBody(r, added)
	if err != nil {
		return nil, err
	}

	svc := st.service
	client := st.upstream.client
	req, err := http.NewRequestWithContext(r.Context(), r.Method, client.url(call, query), body)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: building request: %w", errServiceUnavailable, svc.name, err)
	}
	req.Header = p.actionHeader(r, st)
	if extra != nil {
		extra(req.Header)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if body == r.Body && r.ContentLength > 0 {
		req.ContentLength = r.ContentLength
	}

	resp, cancel, err := client.do(req)
	if err != nil {
		return nil, err
	}
	return &actionReply{resp: resp, cancel: cancel}, nil
}

// addedParams returns the parameters the proxy adds to an action call:
// the released user properties and the organisation.
func addedParams(meta *Meta, st *requestState) (url.Values, error) {
	svc := st.service
	added := url.Values{}
	for _, name := range meta.UserInfo {
		if !releasedProperties[name] {
			return nil, fmt.Errorf("proxy: service %s asks for user property %q, which is not released (allowed: %s)",
				svc.name, name, releasedList())
		}

		values, _ := st.user.property(name)
		for _, v := range values {
			added.Add("ebuio_u_"+name, v)
		}
	}

	if svc.orgaMode && st.orga != nil {
		added.Set("ebuio_orgapk", strconv.FormatInt(st.orga.PK, 10))
	}
	return added, nil
}

// releasedList names the released properties, sorted, for error messages.
func releasedList() string {
	names := slices.Sorted(maps.Keys(releasedProperties))
	return strings.Join(names, ", ")
}

// forwardBody returns the body, content type and query string of the
// action call. The browser's ebuio_* parameters are dropped; the added
// parameters go into the form for POST and into the query otherwise.
func (p *Proxy) forwardBody(r *http.Request, added url.Values) (io.Reader, string, url.Values, error) {
	query := dropReserved(r.URL.Query())
	if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
		mergeValues(query, added)
		return nil, "", query, nil
	}

	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	isPost := r.Method == http.MethodPost
	switch {
	case mediaType == "application/x-www-form-urlencoded":
		form := dropReserved(parsedPostForm(r))
		if isPost {
			mergeValues(form, added)
		} else {
			mergeValues(query, added)
		}
		return strings.NewReader(form.Encode()), mediaType, query, nil
	case mediaType == "multipart/form-data" && stateFrom(r.Context()).multipart != nil:
		if !isPost {
			mergeValues(query, added)
			added = nil
		}
		body, contentType := p.multipartBody(r, added)
		return body, contentType, query, nil
	}

	mergeValues(query, added)
	if r.Body == nil || r.Body == http.NoBody {
		return nil, "", query, nil
	}
	return r.Body, r.Header.Get("Content-Type"), query, nil
}

// parsedPostForm returns the url-encoded form fields that checkCSRF parsed.
func parsedPostForm(r *http.Request) url.Values {
	if r.PostForm == nil {
		return url.Values{}
	}
	values := url.Values{}
	for k, v := range r.PostForm {
		values[k] = append([]string(nil), v...)
	}
	return values
}

// dropReserved removes the parameters a browser may not send: those named
// ebuio_* and the CSRF token, which only the proxy reads.
func dropReserved(values url.Values) url.Values {
	for k := range values {
		if reservedName(k) {
			delete(values, k)
		}
	}
	return values
}

func mergeValues(dst, src url.Values) {
	for k, v := range src {
		dst[k] = append(dst[k], v...)
	}
}

// actionHeader builds the headers of an action call. No browser header is
// forwarded except the copies named in copiedHeaders, Accept-Language and
// the session values this service set.
func (p *Proxy) actionHeader(r *http.Request, st *requestState) http.Header {
	svc := st.service
	h := callHeader(r.Context())
	h.Set("X-Plugit-Remote-Addr", p.clientAddr(r).String())
	for _, name := range copiedHeaders {
		if v := r.Header.Get(name); v != "" {
			h.Set("X-Plugit-"+name, v)
		}
	}
	if v := r.Header.Get("Accept-Language"); v != "" {
		h.Set("Accept-Language", v)
	}

	values := st.session.Values[svc.key]
	cookies := make([]string, 0, len(values))
	for k, v := range values {
		h.Set("X-Plugitsession-"+k, v)
		cookies = append(cookies, (&http.Cookie{Name: k, Value: v}).String())
	}
	if len(cookies) > 0 {
		h.Set("Cookie", strings.Join(cookies, "; "))
	}
	return h
}
