package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
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
	// errNotFound means the service has no such action or file.
	errNotFound = errors.New("proxy: not found")
)

// serviceClient calls one service over a shared keep-alive transport.
type serviceClient struct {
	name    string
	base    *url.URL
	http    *http.Client
	timeout time.Duration
}

func newServiceClient(name, baseURL string, timeout time.Duration, transport http.RoundTripper) (*serviceClient, error) {
	base, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("proxy: parsing service URL %q: %w", baseURL, err)
	}

	c := &serviceClient{name: name, base: base, timeout: timeout}
	c.http = &http.Client{Transport: transport, CheckRedirect: c.checkRedirect}
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

// do sends req with the client's time-out on top of ctx, and classifies
// transport errors.
func (c *serviceClient) do(req *http.Request) (*http.Response, context.CancelFunc, error) {
	ctx, cancel := context.WithTimeout(req.Context(), c.timeout)
	resp, err := c.http.Do(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, nil, c.classify(err)
	}
	return resp, cancel, nil
}

func (c *serviceClient) classify(err error) error {
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()) {
		return fmt.Errorf("%w: %s after %s: %w", errServiceTimeout, c.name, c.timeout, err)
	}
	return fmt.Errorf("%w: %s: %w", errServiceUnavailable, c.name, err)
}

// getBody sends a GET for a protocol call and returns the reply's status,
// headers and body (at most maxServiceBody bytes).
func (c *serviceClient) getBody(ctx context.Context, call string, header http.Header) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(call, nil), nil)
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
