package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ErrAPINotFound is returned by the API client when the proxy has no such
// user or organisation, or the service is not entitled to see it.
var ErrAPINotFound = errors.New("service: not found by the proxy API")

// ErrAPIForbidden is returned when the proxy rejects the API key.
var ErrAPIForbidden = errors.New("service: API key rejected by the proxy")

// APIClient calls the proxy's API: user details, subscriptions,
// organisations, project members and mail. It is safe for concurrent use.
type APIClient struct {
	base string
	http *http.Client
}

// APIUser is a user as the API returns it.
type APIUser struct {
	PK                 int64     `json:"pk"`
	ID                 string    `json:"id"`
	Username           string    `json:"username"`
	FirstName          string    `json:"first_name"`
	LastName           string    `json:"last_name"`
	Email              string    `json:"email"`
	Member             bool      `json:"ebuio_member"`
	Admin              bool      `json:"ebuio_admin"`
	SubscriptionLabels []string  `json:"subscription_labels"`
	Orgas              []APIOrga `json:"orgas"`
}

// APIOrga is an organisation as the API returns it. IsAdmin is set in a
// user's list of organisations.
type APIOrga struct {
	ID      int64  `json:"id"`
	PK      int64  `json:"pk"`
	Name    string `json:"name"`
	Codops  string `json:"codops"`
	IsAdmin bool   `json:"is_admin"`
}

// Mail is a message sent through the proxy's API.
type Mail struct {
	// Sender is the From address. Default: the proxy's sender.
	Sender string
	// Dests are the recipients' addresses. Required.
	Dests []string
	// Subject and Message are required; Message is HTML when HTML is set.
	Subject string
	Message string
	HTML    bool
	// ResponseID, when set, makes replies come back to the service's mail
	// call with this id.
	ResponseID string
}

// NewAPIClient returns a client of the API at baseURL: for a standalone
// proxy "http://proxy/plugIt/ebuio_api/", for a hosted proxy
// "http://proxy/api/<api key>/<service key>/".
func NewAPIClient(baseURL string) *APIClient {
	if !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	return &APIClient{base: baseURL, http: &http.Client{Timeout: 10 * time.Second}}
}

// User returns the user with the primary key pk.
func (c *APIClient) User(ctx context.Context, pk int64) (*APIUser, error) {
	var u APIUser
	return &u, c.get(ctx, "user/"+strconv.FormatInt(pk, 10), &u)
}

// UserByUUID returns the user with the given UUID.
func (c *APIClient) UserByUUID(ctx context.Context, uuid string) (*APIUser, error) {
	var u APIUser
	return &u, c.get(ctx, "user/"+url.PathEscape(uuid), &u)
}

// SubscriptionLabels returns the user's active subscription labels for
// this service.
func (c *APIClient) SubscriptionLabels(ctx context.Context, pk int64) ([]string, error) {
	var labels []string
	return labels, c.get(ctx, "subscriptions/"+strconv.FormatInt(pk, 10), &labels)
}

// Orga returns the organisation with the primary key pk.
func (c *APIClient) Orga(ctx context.Context, pk int64) (*APIOrga, error) {
	var o APIOrga
	return &o, c.get(ctx, "orga/"+strconv.FormatInt(pk, 10), &o)
}

// Orgas returns the organisations the service may see.
func (c *APIClient) Orgas(ctx context.Context) ([]APIOrga, error) {
	var reply struct {
		Data []APIOrga `json:"data"`
	}
	return reply.Data, c.get(ctx, "orgas/", &reply)
}

// ProjectMembers returns the members of the service.
func (c *APIClient) ProjectMembers(ctx context.Context) ([]APIUser, error) {
	var reply struct {
		Members []APIUser `json:"members"`
	}
	return reply.Members, c.get(ctx, "members/", &reply)
}

// SendMail sends a mail through the proxy.
func (c *APIClient) SendMail(ctx context.Context, m Mail) error {
	form := url.Values{"subject": {m.Subject}, "message": {m.Message}, "dests": m.Dests}
	if m.Sender != "" {
		form.Set("sender", m.Sender)
	}
	if m.HTML {
		form.Set("html_message", "true")
	}
	if m.ResponseID != "" {
		form.Set("response_id", m.ResponseID)
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"mail/", strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("service: building mail request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req, nil)
}

func (c *APIClient) get(ctx context.Context, path string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return fmt.Errorf("service: building API request: %w", err)
	}
	return c.do(req, into)
}

func (c *APIClient) do(req *http.Request, into any) error {
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("service: calling the proxy API %s: %w", req.URL.Path, err)
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(io.LimitReader(resp.Body, 10<<20))
	if err != nil {
		return fmt.Errorf("service: reading the proxy API reply: %w", err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return fmt.Errorf("%w: %s", ErrAPINotFound, req.URL.Path)
	case http.StatusForbidden:
		return ErrAPIForbidden
	default:
		return fmt.Errorf("service: proxy API %s returned status %d: %s", req.URL.Path, resp.StatusCode,
			strings.TrimSpace(string(body)))
	}

	if into == nil {
		return nil
	}
	if err := json.Unmarshal(body, into); err != nil {
		return fmt.Errorf("service: decoding the proxy API reply of %s: %w", req.URL.Path, err)
	}
	return nil
}
