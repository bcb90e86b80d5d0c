package proxy

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// errClientBody means the browser's request body failed: the upload was
// cut, malformed or stalled. It is not the service's fault, so it never
// counts against the service's circuit breaker.
var errClientBody = errors.New("proxy: the browser's request body failed")

// clientBody wraps a browser's request body to tell the service call how
// the upload goes: each read that makes progress pushes back the call's
// time-out, so that a slow but moving upload never times out, and a read
// error or a stall waiting for the browser is the browser's failure.
type clientBody struct {
	io.ReadCloser
	// conn ends a read of the browser's connection that a time-out cuts.
	conn *http.ResponseController

	mu         sync.Mutex
	onProgress func()
	err        error
	waiting    atomic.Bool // inside a Read of the browser's body
}

type clientBodyKey struct{}

// withClientBody returns ctx carrying the browser's body for service calls.
func withClientBody(ctx context.Context, b *clientBody) context.Context {
	return context.WithValue(ctx, clientBodyKey{}, b)
}

func clientBodyFrom(ctx context.Context) *clientBody {
	b, _ := ctx.Value(clientBodyKey{}).(*clientBody)
	return b
}

// Read reads the browser's body, recording progress and failures.
func (b *clientBody) Read(p []byte) (int, error) {
	b.waiting.Store(true)
	n, err := b.ReadCloser.Read(p)
	b.waiting.Store(false)

	b.mu.Lock()
	progress := b.onProgress
	if err != nil && !errors.Is(err, io.EOF) {
		b.err = err
	}
	b.mu.Unlock()
	if n > 0 && progress != nil {
		progress()
	}
	return n, err
}

// watch sets the function called at each read that made progress.
func (b *clientBody) watch(progress func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.onProgress = progress
}

// abort makes a pending read of the browser's body fail at once, so that a
// call timing out doesn't wait for a stalled browser.
func (b *clientBody) abort() {
	if b == nil || b.conn == nil || !b.waiting.Load() {
		return
	}
	_ = b.conn.SetReadDeadline(time.Now())
}

// fail records that the browser's body is unusable, such as a malformed
// multipart form, found while copying it.
func (b *clientBody) fail(err error) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = err
	}
}

// failed reports whether reading the browser's body returned an error.
func (b *clientBody) failed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err != nil
}

// blame returns errClientBody when a failed call is the browser's fault:
// its body failed, or the call timed out while waiting for the browser.
func (b *clientBody) blame(err error, timedOut bool) error {
	if b == nil {
		return err
	}
	if b.failed() || (timedOut && b.waiting.Load()) {
		return &clientBodyError{err: err}
	}
	return err
}

// clientBodyError is a call that failed because of the browser's body.
type clientBodyError struct {
	err error
}

func (e *clientBodyError) Error() string {
	return "reading the browser's request body: " + e.err.Error()
}

func (e *clientBodyError) Unwrap() []error { return []error{errClientBody, e.err} }
