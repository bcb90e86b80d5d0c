package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrUnknownService is returned by a [Deliverer] for a service key it has
// no service for.
var ErrUnknownService = errors.New("mail: unknown service")

// ErrNotAccepted is returned by a [Deliverer] when the service answered
// but did not accept the reply.
var ErrNotAccepted = errors.New("mail: service did not accept the reply")

// Deliverer hands a reply to the service that sent the original mail.
type Deliverer interface {
	// Deliver posts message with responseID to the service's mail call
	// and returns nil only when the service accepted it.
	Deliver(ctx context.Context, serviceKey, responseID, message string) error
}

// maxServiceReplyBytes bounds the reply of a service's mail call.
const maxServiceReplyBytes = 64 << 10

// HTTPDeliverer delivers replies by POSTing the form fields response_id
// and message to "<base URL>mail" and expecting {"result": "Ok"}.
type HTTPDeliverer struct {
	services map[string]*url.URL
	client   *http.Client
}

var _ Deliverer = (*HTTPDeliverer)(nil)

// NewHTTPDeliverer returns a deliverer for services, a map from service
// key to base URL such as "http://127.0.0.1:5000/". A timeout of 0 means
// DefaultTimeout for each call.
func NewHTTPDeliverer(services map[string]string, timeout time.Duration) (*HTTPDeliverer, error) {
	if timeout == 0 {
		timeout = DefaultTimeout
	}

	d := &HTTPDeliverer{
		services: make(map[string]*url.URL, len(services)),
		client: &http.Client{
			Timeout: timeout,
			// A redirect would turn the POST into a GET that loses the reply.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	for key, base := range services {
		u, err := parseServiceURL(base)
		if err != nil {
			return nil, fmt.Errorf("mail: service %q: %w", key, err)
		}
		d.services[key] = u
	}
	return d, nil
}

// parseServiceURL returns base as an absolute http or https URL whose
// path ends in "/".
func parseServiceURL(base string) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("invalid base URL %q: %w", base, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid base URL %q: use http://host/ or https://host/", base)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

// Deliver posts the reply to the service's mail call.
func (d *HTTPDeliverer) Deliver(ctx context.Context, serviceKey, responseID, message string) error {
	base, ok := d.services[serviceKey]
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownService, serviceKey)
	}

	target := base.JoinPath("mail").String()
	form := url.Values{"response_id": {responseID}, "message": {message}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("mail: creating request to %s: %w", target, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")

	resp, err := d.client.Do(req)
	if err != nil {
		return fmt.Errorf("mail: posting reply to %s: %w", target, err)
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxServiceReplyBytes))
	if err != nil {
		return fmt.Errorf("mail: reading reply of %s: %w", target, err)
	}
	return checkServiceReply(target, resp.StatusCode, body)
}

// checkServiceReply returns nil for a 200 reply {"result": "Ok"}.
func checkServiceReply(target string, status int, body []byte) error {
	if status != http.StatusOK {
		return fmt.Errorf("%w: %s answered status %d: %s", ErrNotAccepted, target, status, excerpt(body))
	}

	var reply struct {
		Result string `json:"result"`
	}
	if err := json.Unmarshal(body, &reply); err != nil {
		return fmt.Errorf("%w: %s answered invalid JSON %s: %v", ErrNotAccepted, target, excerpt(body), err)
	}
	if reply.Result != "Ok" {
		return fmt.Errorf("%w: %s answered result %q", ErrNotAccepted, target, reply.Result)
	}
	return nil
}

// excerpt returns the start of a reply body for an error message.
func excerpt(body []byte) string {
	const max = 200
	s := strings.ToValidUTF8(string(body), "?")
	if len(s) > max {
		s = s[:max] + "..."
	}
	return fmt.Sprintf("%q", s)
}
