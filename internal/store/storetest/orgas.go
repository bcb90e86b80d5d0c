package storetest

import (
	"testing"

	"github.com/plugit-go/plugit/internal/store"
)

func newOrga(t *testing.T, s store.Store, name, codops string) store.Orga {
	t.Helper()

	o := store.Orga{Name: name, Codops: codops}
	mustNil(t, s.CreateOrga(t.Context(), &o))
	return o
}

func testOrgas(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("create, get and list", func(t *testing.T) { testOrgaCreateGet(t, open(t)) })
	t.Run("members", func(t *testing.T) { testOrgaMembers(t, open(t)) })
	t.Run("member of missing rows", func(t *testing.T) { testOrgaMemberMissing(t, open(t)) })
	t.Run("delete cascades", func(t *testing.T) { testOrgaDeleteCascades(t, open(t)) })
}

func testOrgaCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()

	orgas, err := s.ListOrgas(ctx)
	mustNil(t, err)
	if orgas == nil || len(orgas) != 0 {
		t.Errorf("empty store lists %#v, want an empty slice", orgas)
	}

	ebu := newOrga(t, s, "European Broadcasting Union", "EBU")
	rts := newOrga(t, s, "Radio Télévision Suisse", "RTS")
	if ebu.PK <= 0 || rts.PK == ebu.PK {
		t.Fatalf("PKs %d and %d, want two distinct positive PKs", ebu.PK, rts.PK)
	}

	got, err := s.OrgaByPK(ctx, rts.PK)
	mustNil(t, err)
	if got != rts {
		t.Errorf("OrgaByPK = %+v, want %+v", got, rts)
	}

	orgas, err = s.ListOrgas(ctx)
	mustNil(t, err)
	if len(orgas) != 2 || orgas[0] != ebu || orgas[1] != rts {
		t.Errorf("ListOrgas = %+v, want EBU then RTS", orgas)
	}

	_, err = s.OrgaByPK(ctx, 999)
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteOrga(ctx, 999), store.ErrNotFound)
}

func testOrgaMembers(t *testing.T, s store.Store) {
	ctx := t.Context()
	ebu := newOrga(t, s, "EBU", "EBU")
	rts := newOrga(t, s, "RTS", "RTS")
	alice := newUser(t, s, "alice")
	bob := newUser(t, s, "bob")

	mustNil(t, s.PutOrgaMember(ctx, ebu.PK, bob.PK, false))
	mustNil(t, s.PutOrgaMember(ctx, ebu.PK, alice.PK, false))
	mustNil(t, s.PutOrgaMember(ctx, ebu.PK, alice.PK, true)) // updates the owner flag
	mustNil(t, s.PutOrgaMember(ctx, rts.PK, alice.PK, false))

	members, err := s.ListOrgaMembers(ctx, ebu.PK)
	mustNil(t, err)
	if len(members) != 2 {
		t.Fatalf("EBU has %d members, want 2: %+v", len(members), members)
	}
	if !sameUser(members[0].User, alice) || !members[0].IsOwner {
		t.Errorf("first member = %+v, want alice as owner", members[0])
	}
	if !sameUser(members[1].User, bob) || members[1].IsOwner {
		t.Errorf("second member = %+v, want bob, not owner", members[1])
	}

	orgas, err := s.ListUserOrgas(ctx, alice.PK)
	mustNil(t, err)
	want := []store.UserOrga{{Orga: ebu, IsOwner: true}, {Orga: rts, IsOwner: false}}
	if len(orgas) != 2 || orgas[0] != want[0] || orgas[1] != want[1] {
		t.Errorf("ListUserOrgas(alice) = %+v, want %+v", orgas, want)
	}

	mustNil(t, s.DeleteOrgaMember(ctx, ebu.PK, alice.PK))
	wantErr(t, s.DeleteOrgaMember(ctx, ebu.PK, alice.PK), store.ErrNotFound)

	orgas, err = s.ListUserOrgas(ctx, alice.PK)
	mustNil(t, err)
	if len(orgas) != 1 || orgas[0].Orga != rts {
		t.Errorf("ListUserOrgas(alice) after removal = %+v, want RTS only", orgas)
	}
}

func testOrgaMemberMissing(t *testing.T, s store.Store) {
	ctx := t.Context()
	ebu := newOrga(t, s, "EBU", "EBU")
	alice := newUser(t, s, "alice")

	wantErr(t, s.PutOrgaMember(ctx, ebu.PK, 999, false), store.ErrNotFound)
	wantErr(t, s.PutOrgaMember(ctx, 999, alice.PK, false), store.ErrNotFound)

	members, err := s.ListOrgaMembers(ctx, ebu.PK)
	mustNil(t, err)
	if len(members) != 0 {
		t.Errorf("EBU has members %+v after failed additions, want none", members)
	}
}

func testOrgaDeleteCascades(t *testing.T, s store.Store) {
	ctx := t.Context()
	ebu := newOrga(t, s, "EBU", "EBU")
	rts := newOrga(t, s, "RTS", "RTS")
	alice := newUser(t, s, "alice")
	mustNil(t, s.PutService(ctx, store.Service{Key: "polls", Name: "Polls", URL: "http://127.0.0.1:5000/"}))

	mustNil(t, s.PutOrgaMember(ctx, ebu.PK, alice.PK, true))
	mustNil(t, s.PutOrgaMember(ctx, rts.PK, alice.PK, false))
	mustNil(t, s.AllowOrga(ctx, "polls", ebu.PK))
	mustNil(t, s.AllowOrga(ctx, "polls", rts.PK))

	mustNil(t, s.DeleteOrga(ctx, ebu.PK))

	_, err := s.OrgaByPK(ctx, ebu.PK)
	wantErr(t, err, store.ErrNotFound)

	orgas, err := s.ListUserOrgas(ctx, alice.PK)
	mustNil(t, err)
	if len(orgas) != 1 || orgas[0].Orga != rts {
		t.Errorf("ListUserOrgas(alice) = %+v, want RTS only", orgas)
	}

	allowed, err := s.ListAllowedOrgas(ctx, "polls")
	mustNil(t, err)
	if len(allowed) != 1 || allowed[0] != rts {
		t.Errorf("ListAllowedOrgas = %+v, want RTS only", allowed)
	}

	if _, err := s.UserByPK(ctx, alice.PK); err != nil {
		t.Errorf("deleting an organisation deleted its member: %v", err)
	}

	// A new organisation never reuses a deleted one's PK, so that a stale
	// reference cannot point to it.
	last := newOrga(t, s, "Last", "LST")
	mustNil(t, s.DeleteOrga(ctx, last.PK))
	next := newOrga(t, s, "Next", "NXT")
	if next.PK <= last.PK {
		t.Errorf("new organisation has PK %d, want more than the deleted %d", next.PK, last.PK)
	}
}
