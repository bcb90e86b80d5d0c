package proxy

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
)

// multipartBody streams the browser's multipart form to the service: the
// fields read during the CSRF check, then the remaining parts as they
// arrive, then the added parameters. Nothing but the fields before the
// token is held in memory, so uploads of any size pass through.
func (p *Proxy) multipartBody(r *http.Request, added url.Values) (io.Reader, string) {
	pending := stateFrom(r.Context()).multipart
	body := clientBodyFrom(r.Context())
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)

	go func() {
		err := copyMultipart(mw, pending, added)
		if err != nil {
			body.fail(err)
		} else {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr, mw.FormDataContentType()
}

func copyMultipart(mw *multipart.Writer, pending *pendingMultipart, added url.Values) error {
	for _, f := range pending.fields {
		if reservedName(f.name) {
			continue
		}
		if err := mw.WriteField(f.name, string(f.value)); err != nil {
			return err
		}
	}

	for {
		part, err := pending.reader.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("proxy: reading multipart body: %w", err)
		}
		if err := copyPart(mw, part); err != nil {
			return err
		}
	}

	for k, values := range added {
		for _, v := range values {
			if err := mw.WriteField(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyPart copies one part with its name, file name and content type; a
// reserved field is skipped.
func copyPart(mw *multipart.Writer, part *multipart.Part) error {
	defer part.Close()
	if reservedName(part.FormName()) {
		_, err := io.Copy(io.Discard, part)
		return err
	}

	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", part.Header.Get("Content-Disposition"))
	if ct := part.Header.Get("Content-Type"); ct != "" {
		h.Set("Content-Type", ct)
	}

	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, part); err != nil {
		return fmt.Errorf("proxy: copying multipart part %q: %w", part.FormName(), err)
	}
	return nil
}

// reservedName reports whether a browser parameter name is reserved for
// the proxy.
// Surrounding white space is ignored, because some frameworks trim names.
func reservedName(name string) bool {
	name = strings.ToLower(strings.TrimSpace(name))
	return strings.HasPrefix(name, "ebuio_") || name == csrfField
}
