package conformance

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
)

// formPart is a field or file of a multipart form, in order.
type formPart struct {
	name     string
	fileName string // empty for a plain field
	value    []byte
}

// postMultipart sends a multipart form with the parts in order.
func (p *probe) postMultipart(path string, parts ...formPart) *reply {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range parts {
		if err := writePart(mw, part); err != nil {
			p.fail("a multipart form", err.Error())
		}
	}
	if err := mw.Close(); err != nil {
		p.fail("a multipart form", err.Error())
	}

	h := http.Header{"Content-Type": {mw.FormDataContentType()}}
	return p.do(http.MethodPost, path, &body, h)
}

func writePart(mw *multipart.Writer, part formPart) error {
	if part.fileName == "" {
		return mw.WriteField(part.name, string(part.value))
	}

	w, err := mw.CreateFormFile(part.name, part.fileName)
	if err != nil {
		return err
	}
	_, err = w.Write(part.value)
	return err
}

// randomUpload returns n random bytes and the digest /upload_digest
// echoes for them: the size and the SHA-256 hex.
func randomUpload(n int) ([]byte, string) {
	data := make([]byte, n)
	_, _ = rand.Read(data)
	sum := sha256.Sum256(data)
	return data, fmt.Sprintf("%d %s", n, hex.EncodeToString(sum[:]))
}
