package storetest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/plugit-go/plugit/internal/store"
)

func testServices(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("put, get and list", func(t *testing.T) { testServicePutGet(t, open(t)) })
	t.Run("invalid", func(t *testing.T) { testServiceInvalid(t, open(t)) })
	t.Run("members", func(t *testing.T) { testServiceMembers(t, open(t)) })
	t.Run("allowed orgas", func(t *testing.T) { testServiceAllowedOrgas(t, open(t)) })
	t.Run("delete cascades", func(t *testing.T) { testServiceDeleteCascades(t, open(t)) })
}

func sameService(a, b store.Service) bool {
	return a.Key == b.Key && a.Name == b.Name && a.URL == b.URL && a.APIKey == b.APIKey &&
		string(a.Options) == string(b.Options)
}

func testServicePutGet(t *testing.T, s store.Store) {
	ctx := t.Context()

	services, err := s.ListServices(ctx)
	mustNil(t, err)
	if services == nil || len(services) != 0 {
		t.Errorf("empty store lists %#v, want an empty slice", services)
	}

	polls := store.Service{
		Key: "polls", Name: "Polls", URL: "http://127.0.0.1:5000/", APIKey: "secret",
		Options: json.RawMessage(`{"orga_mode": true,  "layout": "wide"}`),
	}
	mustNil(t, s.PutService(ctx, polls))

	got, err := s.ServiceByKey(ctx, "polls")
	mustNil(t, err)
	if !sameService(got, polls) {
		t.Errorf("ServiceByKey = %+v, want %+v with options byte for byte", got, polls)
	}

	polls.Name = "Votes"
	polls.Options = nil
	mustNil(t, s.PutService(ctx, polls))
	got, err = s.ServiceByKey(ctx, "polls")
	mustNil(t, err)
	if got.Name != "Votes" || string(got.Options) != "{}" {
		t.Errorf("after replacing: name %q, options %s; want Votes and {}", got.Name, got.Options)
	}

	mustNil(t, s.PutService(ctx, store.Service{Key: "Zeta", Name: "Z", URL: "https://z.example.org"}))
	mustNil(t, s.PutService(ctx, store.Service{Key: "alpha", Name: "A", URL: "https://a.example.org"}))
	services, err = s.ListServices(ctx)
	mustNil(t, err)
	keys := make([]string, len(services))
	for i, svc := range services {
		keys[i] = svc.Key
	}
	if len(keys) != 3 || keys[0] != "Zeta" || keys[1] != "alpha" || keys[2] != "polls" {
		t.Errorf("ListServices keys = %q, want [Zeta alpha polls] (byte order)", keys)
	}

	_, err = s.ServiceByKey(ctx, "missing")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.ServiceByKey(ctx, "POLLS")
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteService(ctx, "missing"), store.ErrNotFound)
}

func testServiceInvalid(t *testing.T, s store.Store) {
	valid := store.Service{Key: "polls", Name: "Polls", URL: "http://127.0.0.1:5000/"}
	tests := []struct {
		name   string
		change func(*store.Service)
	}{
		{"empty key", func(s *store.Service) { s.Key = "" }},
		{"key with slash", func(s *store.Service) { s.Key = "a/b" }},
		{"key with dot", func(s *store.Service) { s.Key = ".." }},
		{"key too long", func(s *store.Service) { s.Key = strings.Repeat("a", 65) }},
		{"empty name", func(s *store.Service) { s.Name = "" }},
		{"relative URL", func(s *store.Service) { s.URL = "/polls" }},
		{"ftp URL", func(s *store.Service) { s.URL = "ftp://127.0.0.1/" }},
		{"URL without host", func(s *store.Service) { s.URL = "http:///x" }},
		{"options not JSON", func(s *store.Service) { s.Options = json.RawMessage("{") }},
		{"options a list", func(s *store.Service) { s.Options = json.RawMessage("[1]") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := valid
			tt.change(&svc)
			wantErr(t, s.PutService(t.Context(), svc), store.ErrInvalid)
		})
	}

	services, err := s.ListServices(t.Context())
	mustNil(t, err)
	if len(services) != 0 {
		t.Errorf("invalid services were stored: %+v", services)
	}
}

func testServiceMembers(t *testing.T, s store.Store) {
	ctx := t.Context()
	mustNil(t, s.PutService(ctx, store.Service{Key: "polls", Name: "Polls", URL: "http://127.0.0.1:5000/"}))
	alice := newUser(t, s, "alice")
	bob := newUser(t, s, "bob")
	carol := newUser(t, s, "carol")

	mustNil(t, s.PutServiceMember(ctx, "polls", bob.PK, true))
	mustNil(t, s.PutServiceMember(ctx, "polls", alice.PK, true))
	mustNil(t, s.PutServiceMember(ctx, "polls", bob.PK, false)) // updates the admin flag

	members, err := s.ListServiceMembers(ctx, "polls")
	mustNil(t, err)
	if len(members) != 2 {
		t.Fatalf("polls has %d members, want 2: %+v", len(members), members)
	}
	if !sameUser(members[0].User, alice) || !members[0].IsAdmin {
		t.Errorf("first member = %+v, want alice as admin", members[0])
	}
	if !sameUser(members[1].User, bob) || members[1].IsAdmin {
		t.Errorf("second member = %+v, want bob, not admin", members[1])
	}

	isAdmin, err := s.ServiceMembership(ctx, "polls", alice.PK)
	mustNil(t, err)
	if !isAdmin {
		t.Error("alice is not admin of polls")
	}
	isAdmin, err = s.ServiceMembership(ctx, "polls", bob.PK)
	mustNil(t, err)
	if isAdmin {
		t.Error("bob is admin of polls")
	}
	_, err = s.ServiceMembership(ctx, "polls", carol.PK)
	wantErr(t, err, store.ErrNotFound)

	wantErr(t, s.PutServiceMember(ctx, "polls", 999, false), store.ErrNotFound)
	wantErr(t, s.PutServiceMember(ctx, "missing", carol.PK, false), store.ErrNotFound)

	mustNil(t, s.DeleteServiceMember(ctx, "polls", bob.PK))
	wantErr(t, s.DeleteServiceMember(ctx, "polls", bob.PK), store.ErrNotFound)
	_, err = s.ServiceMembership(ctx, "polls", bob.PK)
	wantErr(t, err, store.ErrNotFound)
}

func testServiceAllowedOrgas(t *testing.T, s store.Store) {
	ctx := t.Context()
	mustNil(t, s.PutService(ctx, store.Service{Key: "polls", Name: "Polls", URL: "http://127.0.0.1:5000/"}))
	ebu := newOrga(t, s, "EBU", "EBU")
	rts := newOrga(t, s, "RTS", "RTS")

	allowed, err := s.ListAllowedOrgas(ctx, "polls")
	mustNil(t, err)
	if allowed == nil || len(allowed) != 0 {
		t.Errorf("new service allows %#v, want an empty slice", allowed)
	}

	mustNil(t, s.AllowOrga(ctx, "polls", rts.PK))
	mustNil(t, s.AllowOrga(ctx, "polls", ebu.PK))
	mustNil(t, s.AllowOrga(ctx, "polls", ebu.PK)) // twice is no error

	allowed, err = s.ListAllowedOrgas(ctx, "polls")
	mustNil(t, err)
	if len(allowed) != 2 || allowed[0] != ebu || allowed[1] != rts {
		t.Errorf("ListAllowedOrgas = %+v, want EBU then RTS", allowed)
	}

	wantErr(t, s.AllowOrga(ctx, "polls", 999), store.ErrNotFound)
	wantErr(t, s.AllowOrga(ctx, "missing", ebu.PK), store.ErrNotFound)

	mustNil(t, s.DisallowOrga(ctx, "polls", ebu.PK))
	wantErr(t, s.DisallowOrga(ctx, "polls", ebu.PK), store.ErrNotFound)
	allowed, err = s.ListAllowedOrgas(ctx, "polls")
	mustNil(t, err)
	if len(allowed) != 1 || allowed[0] != rts {
		t.Errorf("ListAllowedOrgas after disallowing EBU = %+v, want RTS", allowed)
	}
}

func testServiceDeleteCascades(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, key := range []string{"polls", "wiki"} {
		mustNil(t, s.PutService(ctx, store.Service{Key: key, Name: key, URL: "http://127.0.0.1:5000/"}))
	}
	alice := newUser(t, s, "alice")
	ebu := newOrga(t, s, "EBU", "EBU")
	for _, key := range []string{"polls", "wiki"} {
		mustNil(t, s.PutServiceMember(ctx, key, alice.PK, true))
		mustNil(t, s.AllowOrga(ctx, key, ebu.PK))
		mustNil(t, s.AddSubscription(ctx, store.Subscription{ServiceKey: key, UserPK: alice.PK, Label: "gold"}))
	}

	mustNil(t, s.DeleteService(ctx, "polls"))

	_, err := s.ServiceMembership(ctx, "polls", alice.PK)
	wantErr(t, err, store.ErrNotFound)
	members, err := s.ListServiceMembers(ctx, "polls")
	mustNil(t, err)
	allowed, err := s.ListAllowedOrgas(ctx, "polls")
	mustNil(t, err)
	labels, err := s.ActiveSubscriptionLabels(ctx, "polls", alice.PK, fixedNow)
	mustNil(t, err)
	if len(members)+len(allowed)+len(labels) != 0 {
		t.Errorf("deleted service keeps members %+v, orgas %+v, subscriptions %q", members, allowed, labels)
	}

	// Re-creating the key starts empty, and the other service keeps its rows.
	mustNil(t, s.PutService(ctx, store.Service{Key: "polls", Name: "Polls", URL: "http://127.0.0.1:5000/"}))
	_, err = s.ServiceMembership(ctx, "polls", alice.PK)
	wantErr(t, err, store.ErrNotFound)

	isAdmin, err := s.ServiceMembership(ctx, "wiki", alice.PK)
	mustNil(t, err)
	labels, err = s.ActiveSubscriptionLabels(ctx, "wiki", alice.PK, fixedNow)
	mustNil(t, err)
	allowed, err = s.ListAllowedOrgas(ctx, "wiki")
	mustNil(t, err)
	if !isAdmin || len(labels) != 1 || len(allowed) != 1 {
		t.Errorf("other service lost rows: admin %t, labels %q, orgas %+v", isAdmin, labels, allowed)
	}
}
