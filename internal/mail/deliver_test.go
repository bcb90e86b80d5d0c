package mail

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// testService is a service's mail call that records what it receives and
// replies with status and body.
type testService struct {
	*httptest.Server

	mu       sync.Mutex
	status   int
	body     string
	received []receivedReply
}

type receivedReply struct {
	method, path, contentType string
	responseID, message       string
}

func startTestService(t *testing.T) *testService {
	t.Helper()
	s := &testService{status: http.StatusOK, body: `{"result": "Ok"}`}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serveMail))
	t.Cleanup(s.Close)
	return s
}

func (s *testService) serveMail(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.received = append(s.received, receivedReply{
		method: r.Method, path: r.URL.Path, contentType: r.Header.Get("Content-Type"),
		responseID: r.PostForm.Get("response_id"), message: r.PostForm.Get("message"),
	})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(s.status)
	_, _ = w.Write([]byte(s.body))
}

func (s *testService) reply(status int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.body = status, body
}

func (s *testService) replies() []receivedReply {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedReply(nil), s.received...)
}

func TestHTTPDelivererPostsForm(t *testing.T) {
	service := startTestService(t)
	deliverer, err := NewHTTPDeliverer(map[string]string{"polls": service.URL + "/base"}, 0)
	if err != nil {
		t.Fatalf("NewHTTPDeliverer: %v", err)
	}

	if err := deliverer.Deliver(context.Background(), "polls", "vote-7", "Yes & no\nmaybe"); err != nil {
		t.Fatalf("Deliver: %v", err)
	}

	got := service.replies()
	if len(got) != 1 {
		t.Fatalf("service received %d calls; want 1", len(got))
	}
	want := receivedReply{method: "POST", path: "/base/mail", contentType: "application/x-www-form-urlencoded",
		responseID: "vote-7", message: "Yes & no\nmaybe"}
	if got[0] != want {
		t.Errorf("service received %+v; want %+v", got[0], want)
	}
}

func TestHTTPDelivererNotAccepted(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"result Error", http.StatusOK, `{"result": "Error"}`, `result "Error"`},
		{"server error", http.StatusInternalServerError, "boom", "status 500"},
		{"bad request", http.StatusBadRequest, "missing field", "status 400"},
		{"not JSON", http.StatusOK, "<html>", "invalid JSON"},
		{"redirect", http.StatusFound, "", "status 302"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			service := startTestService(t)
			service.reply(tt.status, tt.body)
			deliverer, err := NewHTTPDeliverer(map[string]string{"polls": service.URL + "/"}, 0)
			if err != nil {
				t.Fatalf("NewHTTPDeliverer: %v", err)
			}

			err = deliverer.Deliver(context.Background(), "polls", "1", "text")
			if !errors.Is(err, ErrNotAccepted) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Deliver: error %v; want ErrNotAccepted saying %q", err, tt.want)
			}
		})
	}
}

func TestHTTPDelivererServiceDown(t *testing.T) {
	service := startTestService(t)
	deliverer, err := NewHTTPDeliverer(map[string]string{"polls": service.URL}, 0)
	if err != nil {
		t.Fatalf("NewHTTPDeliverer: %v", err)
	}
	service.Close()

	err = deliverer.Deliver(context.Background(), "polls", "1", "text")
	if err == nil || errors.Is(err, ErrUnknownService) {
		t.Fatalf("Deliver to a stopped service: error %v; want a connection error", err)
	}
}

func TestHTTPDelivererUnknownService(t *testing.T) {
	deliverer, err := NewHTTPDeliverer(map[string]string{}, 0)
	if err != nil {
		t.Fatalf("NewHTTPDeliverer: %v", err)
	}
	if err := deliverer.Deliver(context.Background(), "polls", "1", "x"); !errors.Is(err, ErrUnknownService) {
		t.Errorf("Deliver to an unknown service: error %v; want ErrUnknownService", err)
	}
}

func TestNewHTTPDelivererRejectsURL(t *testing.T) {
	for _, base := range []string{"", "127.0.0.1:5000", "ftp://host/", "http://", "http://[::1"} {
		if _, err := NewHTTPDeliverer(map[string]string{"s": base}, 0); err == nil {
			t.Errorf("NewHTTPDeliverer with base URL %q: no error", base)
		}
	}
}
