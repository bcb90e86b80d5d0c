package proxy

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/plugit-go/plugit/service"
)

func TestStandaloneAPIWithClient(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	client := service.NewAPIClient(tp.server.URL + "/plugIt/ebuio_api/")
	ctx := context.Background()

	u, err := client.User(ctx, -3)
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "Admin" || !u.Admin || u.ID != "-3" || len(u.Orgas) != 4 {
		t.Errorf("user -3 = %+v", u)
	}

	if _, err := client.User(ctx, 42); !errors.Is(err, service.ErrAPINotFound) {
		t.Errorf("unknown user: error %v, want ErrAPINotFound", err)
	}

	orga, err := client.Orga(ctx, -2)
	if err != nil || orga.Name != "RTS" || orga.Codops != "chrts" {
		t.Errorf("orga -2 = %+v, %v", orga, err)
	}

	orgas, err := client.Orgas(ctx)
	if err != nil || len(orgas) != 4 {
		t.Errorf("orgas = %+v, %v", orgas, err)
	}

	members, err := client.ProjectMembers(ctx)
	if err != nil || len(members) != 2 || members[0].Username != "Member" {
		t.Errorf("members = %+v, %v", members, err)
	}

	labels, err := client.SubscriptionLabels(ctx, -1)
	if err != nil || len(labels) != 0 {
		t.Errorf("labels = %v, %v", labels, err)
	}
}

func TestAPIMailErrors(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	client := service.NewAPIClient(tp.server.URL + "/plugIt/ebuio_api/")
	err := client.SendMail(context.Background(), service.Mail{Dests: []string{"a@example.org"}, Subject: "s"})
	if err == nil || !strings.Contains(err.Error(), "message") {
		t.Errorf("mail without message: %v", err)
	}
	err = client.SendMail(context.Background(), service.Mail{Dests: []string{"a@example.org"}, Subject: "s", Message: "m"})
	if err == nil || !strings.Contains(err.Error(), "not configured") {
		t.Errorf("mail without a mailer: %v, want an error saying mail is not configured", err)
	}
}

func TestAPIHelpAndUnknownCall(t *testing.T) {
	tp := newTestProxy(t, newTestService(t), nil)
	resp, body := tp.get("/plugIt/ebuio_api/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "subscriptions/") {
		t.Errorf("help page: %d %s", resp.StatusCode, body)
	}
	resp, _ = tp.get("/plugIt/ebuio_api/techgroups/")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown call: status %d, want 404", resp.StatusCode)
	}
}

func TestHostedAPIKey(t *testing.T) {
	ts := newTestService(t)
	p, err := New(Config{Hosted: true, Services: []ServiceConfig{
		{Key: "polls", URL: ts.server.URL, APIKey: "right-key-0123456789"},
		{Key: "nokey", URL: ts.server.URL},
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, p)

	good := service.NewAPIClient(srv.URL + "/api/right-key-0123456789/polls/")
	if _, err := good.Orgas(context.Background()); err != nil {
		t.Errorf("right key: %v", err)
	}
	for _, base := range []string{
		"/api/wrong-key-0123456789/polls/",
		"/api/right-key-0123456789/nokey/",
		"/api//nokey/",
		"/api/right-key-0123456789/missing/",
	} {
		_, err := service.NewAPIClient(srv.URL + base).Orgas(context.Background())
		if !errors.Is(err, service.ErrAPIForbidden) {
			t.Errorf("%s: error %v, want ErrAPIForbidden", base, err)
		}
	}
}

func TestAPIKeyGuessingLimited(t *testing.T) {
	ts := newTestService(t)
	p, err := New(Config{Hosted: true, Services: []ServiceConfig{
		{Key: "polls", URL: ts.server.URL, APIKey: "right-key-0123456789"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, p)
	statuses := map[int]int{}
	for i := 0; i < maxAPIKeyFailures+5; i++ {
		resp, err := http.Get(srv.URL + "/api/guess-" + strconv.Itoa(i) + "/polls/orgas/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses[resp.StatusCode]++
	}
	if statuses[http.StatusForbidden] != maxAPIKeyFailures || statuses[http.StatusTooManyRequests] != 5 {
		t.Errorf("statuses %v, want %d × 403 then 429", statuses, maxAPIKeyFailures)
	}
}
