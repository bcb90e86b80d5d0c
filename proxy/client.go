package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sony/gobreaker/v2"
)

// maxServiceRedirects is how many redirects of a service the proxy follows,
// always within the service's own origin.
const maxServiceRedirects = 3

// maxServiceBody bounds the meta, template and action replies that the
// proxy reads into memory. Files and media are streamed.
const maxServiceBody = 32 << 20

var (
	// errServiceUnavailable means the service could not be reached or gave
	// an invalid reply.
	errServiceUnavailable = errors.New("proxy: service unavailable")
	// errServiceTimeout means the service did not answer in time.
	errServiceTimeout = errors.New("proxy: service timed out")
	// errInvalidReply means the service answered with a reply that breaks
	// the protocol, such as meta of the wrong types.
	errInvalidReply = errors.New("proxy: invalid reply from the service")
	// errNotFound means the service has no such action or file.
	errNotFound = errors.New("proxy: not found")
	// errCircuitOpen means recent calls to the service failed, so the
	// proxy does not call it until a probe succeeds.
	errCircuitOpen = errors.New("proxy: service circuit open")
	// errServiceBusy means the service already has the maximum number of
	// calls in flight.
	errServiceBusy = errors.New("proxy: service busy")
)

// maxConcurrentCalls bounds the calls in flight to one deployment, so that
// a slow service can't hold all the proxy's goroutines and connections.
const maxConcurrentCalls = 128

// breakerFailures is how many consecutive failed calls open the circuit.
const breakerFailures = 5

// breakerOpenTime is how long the circuit stays open before a probe.
const breakerOpenTime = 15 * time.Second

// serviceClient calls one service over a shared keep-alive transport,
// through a circuit breaker and a bound on concurrent calls.
type serviceClient struct {
	name    string
	base    *url.URL
	http    *http.Client
	timeout time.Duration
	breaker *gobreaker.CircuitBreaker[*http.Response]
	slots   chan struct{}
	// onBreakerChange, when set, observes the breaker's state changes.
	onBreakerChange func(from, to gobreaker.State)
}

func newServiceClient(name, baseURL string, timeout time.Duration, transport http.RoundTripper) (*serviceClient, error) {
	base, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("proxy: parsing service URL %q: %w", baseURL, err)
	}

	c := &serviceClient{name: name, base: base, timeout: timeout, slots: make(chan struct{}, maxConcurrentCalls)}
	c.http = &http.Client{Transport: transport, CheckRedirect: c.checkRedirect}
	c.breaker = gobreaker.NewCircuitBreaker[*http.Response](gobreaker.Settings{
		Name:        name,
		MaxRequests: 1,
		Interval:    time.Minute,
		Timeout:     breakerOpenTime,
		ReadyToTrip: func(counts gobreaker.Counts) bool { return counts.ConsecutiveFailures >= breakerFailures },
		// A browser that goes away, or whose upload fails, is not the
		// service's fault.
		IsExcluded: func(err error) bool {
			return errors.Is(err, errClientBody) || (errors.Is(err, context.Canceled) && !errors.Is(err, errServiceTimeout))
		},
		OnStateChange: func(_ string, from, to gobreaker.State) {
			if c.onBreakerChange != nil {
				c.onBreakerChange(from, to)
			}
		},
	})
	return c, nil
}

// newTransport returns the transport shared by all service clients.
func newTransport() *http.Transport {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		DialContext:         dialer.DialContext,
		MaxIdleConns:        512,
		MaxIdleConnsPerHost: 128,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
}

// checkRedirect follows a service's redirects only within its origin.
func (c *serviceClient) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxServiceRedirects {
		return fmt.Errorf("proxy: service %s redirected more than %d times", c.name, maxServiceRedirects)
	}
	if req.URL.Scheme != c.base.Scheme || req.URL.Host != c.base.Host {
		return fmt.Errorf("proxy: service %s redirected to another origin %s", c.name, req.URL.Redacted())
	}
	return nil
}

// url returns the URL of a call such as "meta/" + path.
func (c *serviceClient) url(call string, query url.Values) string {
	u := *c.base
	u.Path = c.base.Path + call
	u.RawPath = ""
	u.RawQuery = query.Encode()
	return u.String()
}

// do sends req and classifies transport errors. The call times out after
// the client's time-out without progress: while a browser's upload is
// streamed to the service (the request context carries it, see
// withClientBody), every chunk read pushes the time-out back, so only the
// time after the last byte counts against the service. The returned
// release function ends the call: it must be called once the reply's body
// is read.
func (c *serviceClient) do(req *http.Request) (*http.Response, context.CancelFunc, error) {
	ctx, cancel := context.WithCancel(req.Context())
	body := clientBodyFrom(req.Context())
	var timedOut atomic.Bool
	timer := time.AfterFunc(c.timeout, func() {
		timedOut.Store(true)
		cancel()
		body.abort()
	})

	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		timer.Stop()
		cancel()
		return nil, nil, fmt.Errorf("%w: %s has %d calls in flight", errServiceBusy, c.name, maxConcurrentCalls)
	}
	release := func() {
		timer.Stop()
		cancel()
		<-c.slots
	}

	if body != nil {
		body.watch(func() { timer.Reset(c.timeout) })
	}
	resp, err := c.breaker.Execute(func() (*http.Response, error) {
		resp, err := c.http.Do(req.WithContext(ctx))
		if err == nil {
			return resp, nil
		}
		if blamed := body.blame(err, timedOut.Load()); blamed != err {
			return nil, blamed
		}
		if timedOut.Load() {
			return nil, fmt.Errorf("%w: %s after %s without progress: %w", errServiceTimeout, c.name, c.timeout, err)
		}
		return nil, err
	})
	if err != nil {
		release()
		return nil, nil, c.classify(err)
	}
	return resp, sync.OnceFunc(release), nil
}

// serviceFailure reports whether err means the service failed (down, slow,
// circuit open or busy), as opposed to a bad request or reply.
func serviceFailure(err error) bool {
	return errors.Is(err, errServiceUnavailable) || errors.Is(err, errServiceTimeout) ||
		errors.Is(err, errCircuitOpen) || errors.Is(err, errServiceBusy)
}

func (c *serviceClient) classify(err error) error {
	if errors.Is(err, errClientBody) || errors.Is(err, errServiceTimeout) {
		return err
	}
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return fmt.Errorf("%w: %s: %w", errCircuitOpen, c.name, err)
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()) {
		return fmt.Errorf("%w: %s after %s: %w", errServiceTimeout, c.name, c.timeout, err)
	}
	return fmt.Errorf("%w: %s: %w", errServiceUnavailable, c.name, err)
}

// getBody sends a GET for a protocol call and returns the reply's status,
// headers and body (at most maxServiceBody bytes).
func (c *serviceClient) getBody(ctx context.Context, call string, query url.Values,
	header http.Header) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(call, query), nil)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%w: %s: building request: %w", errServiceUnavailable, c.name, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}

	resp, cancel, err := c.do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer cancel()
	defer resp.Body.Close()

	body, err := readLimited(resp.Body, maxServiceBody)
	if err != nil {
		return 0, nil, nil, c.classify(err)
	}
	return resp.StatusCode, resp.Header, body, nil
}

// readLimited reads all of r, failing when it holds more than limit bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("reply larger than %d bytes", limit)
	}
	return body, nil
}
