package proxy

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// slowUpload returns a multipart body with the CSRF token and a file of
// chunks written every pause, and its content type.
func slowUpload(tp *testProxy, chunks int, pause time.Duration) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	token := tp.csrfToken()
	go func() {
		_ = mw.WriteField(csrfField, token)
		fw, _ := mw.CreateFormFile("f", "slow.bin")
		for i := 0; i < chunks; i++ {
			if _, err := fw.Write(bytes.Repeat([]byte("x"), 1000)); err != nil {
				return
			}
			time.Sleep(pause)
		}
		_ = mw.Close()
		_ = pw.Close()
	}()
	return pr, mw.FormDataContentType()
}

func TestSlowUploadIsNotAServiceTimeout(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), func(c *Config) { c.Timeout = 300 * time.Millisecond })
	body, ct := slowUpload(tp, 10, 100*time.Millisecond)
	resp, got := tp.request(http.MethodPost, "/plugIt/upload", body, http.Header{"Content-Type": {ct}})
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(got, "10000 ") {
		t.Fatalf("1 s upload with a 300 ms time-out: %d %q, want 200 and the 10000 bytes", resp.StatusCode, got)
	}
}

// stalledUpload sends a multipart POST over a raw connection whose body
// stops after the first bytes of the file, like a browser on a dead link,
// and returns the proxy's status.
func stalledUpload(t *testing.T, tp *testProxy) int {
	t.Helper()
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	_ = mw.WriteField(csrfField, tp.csrfToken())
	fw, _ := mw.CreateFormFile("f", "stalled.bin")
	fw.Write(bytes.Repeat([]byte("x"), 1000))

	u, _ := url.Parse(tp.server.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var cookies []string
	for _, c := range tp.client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	fmt.Fprintf(conn, "POST /plugIt/upload HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: 100000\r\n"+
		"Cookie: %s\r\n\r\n", u.Host, mw.FormDataContentType(), strings.Join(cookies, "; "))
	conn.Write(head.Bytes())

	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no reply to a stalled upload: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestStalledUploadsDontOpenTheBreaker(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), func(c *Config) { c.Timeout = 300 * time.Millisecond })
	for i := 0; i < breakerFailures+1; i++ {
		if status := stalledUpload(t, tp); status != http.StatusBadRequest {
			t.Fatalf("stalled upload %d: status %d, want 400", i+1, status)
		}
	}

	resp, _ := tp.get("/plugIt/")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after stalled uploads another request got %d, want 200: the browsers' stalls opened the breaker",
			resp.StatusCode)
	}
}

func TestTruncatedMultipartIs400(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField(csrfField, tp.csrfToken())
	fw, _ := mw.CreateFormFile("f", "cut.bin")
	fmt.Fprint(fw, "the file is cut here")
	resp, page := tp.request(http.MethodPost, "/plugIt/upload", &buf, http.Header{"Content-Type": {mw.FormDataContentType()}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "cut off or malformed") {
		t.Errorf("truncated multipart: status %d, want 400 explaining it:\n%s", resp.StatusCode, page)
	}
}
