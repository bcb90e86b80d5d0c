package storetest

import (
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/store"
)

func newUser(t *testing.T, s store.Store, username string) store.User {
	t.Helper()

	u := store.User{Username: username, Email: username + "@example.org", IsActive: true}
	mustNil(t, s.CreateUser(t.Context(), &u))
	return u
}

func testUsers(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("create and get", func(t *testing.T) { testUserCreateGet(t, open(t)) })
	t.Run("unique username and email", func(t *testing.T) { testUserUnique(t, open(t)) })
	t.Run("not found", func(t *testing.T) { testUserNotFound(t, open(t)) })
	t.Run("list", func(t *testing.T) { testUserList(t, open(t)) })
	t.Run("update", func(t *testing.T) { testUserUpdate(t, open(t)) })
}

func testUserCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	created := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CEST", 2*3600))
	u := store.User{
		Username: "Alice", Email: "Alice@Example.org", FirstName: "Alice", LastName: "Liddell",
		PasswordHash: "$argon2id$hash", IsPlatformAdmin: true, IsActive: true, CreatedAt: created,
	}
	mustNil(t, s.CreateUser(ctx, &u))

	if u.PK <= 0 {
		t.Errorf("PK = %d, want a positive PK", u.PK)
	}
	if len(u.UUID) != 36 {
		t.Errorf("UUID = %q, want a generated UUID", u.UUID)
	}
	if !u.CreatedAt.Equal(created.Truncate(time.Microsecond)) {
		t.Errorf("CreatedAt = %v, want %v to the microsecond", u.CreatedAt, created)
	}

	getters := []struct {
		name string
		get  func() (store.User, error)
	}{
		{"by PK", func() (store.User, error) { return s.UserByPK(ctx, u.PK) }},
		{"by UUID", func() (store.User, error) { return s.UserByUUID(ctx, u.UUID) }},
		{"by username", func() (store.User, error) { return s.UserByUsername(ctx, "Alice") }},
		{"by username in other case", func() (store.User, error) { return s.UserByUsername(ctx, "aLICE") }},
		{"by email", func() (store.User, error) { return s.UserByEmail(ctx, "Alice@Example.org") }},
		{"by email in other case", func() (store.User, error) { return s.UserByEmail(ctx, "alice@example.ORG") }},
	}
	for _, g := range getters {
		t.Run(g.name, func(t *testing.T) {
			got, err := g.get()
			mustNil(t, err)
			if !sameUser(got, u) {
				t.Errorf("got %+v\nwant %+v", got, u)
			}
		})
	}

	t.Run("given UUID and zero creation time", func(t *testing.T) {
		v := store.User{UUID: "0b9f3d1c-6d7e-4a55-9f0e-2a3b4c5d6e7f", Username: "bob", Email: "bob@example.org"}
		before := time.Now()
		mustNil(t, s.CreateUser(ctx, &v))

		got, err := s.UserByUUID(ctx, v.UUID)
		mustNil(t, err)
		if got.Username != "bob" || got.IsActive || got.IsPlatformAdmin {
			t.Errorf("got %+v, want inactive non-admin bob", got)
		}
		if got.CreatedAt.Before(before.Add(-time.Second)) || got.CreatedAt.After(time.Now().Add(time.Second)) {
			t.Errorf("CreatedAt = %v, want about %v", got.CreatedAt, before)
		}
	})
}

func testUserUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	alice := newUser(t, s, "alice")

	tests := []struct {
		name string
		user store.User
	}{
		{"same username", store.User{Username: "alice", Email: "other@example.org"}},
		{"username in other case", store.User{Username: "ALICE", Email: "other@example.org"}},
		{"same email", store.User{Username: "other", Email: "alice@example.org"}},
		{"email in other case", store.User{Username: "other", Email: "Alice@EXAMPLE.org"}},
		{"same UUID", store.User{UUID: alice.UUID, Username: "other", Email: "other@example.org"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.user
			wantErr(t, s.CreateUser(ctx, &u), store.ErrConflict)
		})
	}

	users, err := s.ListUsers(ctx)
	mustNil(t, err)
	if len(users) != 1 {
		t.Errorf("%d users after the conflicts, want 1", len(users))
	}
}

func testUserNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	newUser(t, s, "alice")

	tests := []struct {
		name string
		err  func() error
	}{
		{"by PK", func() error { _, err := s.UserByPK(ctx, 999); return err }},
		{"by UUID", func() error { _, err := s.UserByUUID(ctx, "0b9f3d1c-6d7e-4a55-9f0e-2a3b4c5d6e7f"); return err }},
		{"by username", func() error { _, err := s.UserByUsername(ctx, "bob"); return err }},
		{"by username prefix", func() error { _, err := s.UserByUsername(ctx, "alic"); return err }},
		{"by email", func() error { _, err := s.UserByEmail(ctx, "bob@example.org"); return err }},
		{"set password", func() error { return s.SetPasswordHash(ctx, 999, "x") }},
		{"set active", func() error { return s.SetActive(ctx, 999, false) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, tt.err(), store.ErrNotFound)
		})
	}
}

func testUserList(t *testing.T, s store.Store) {
	ctx := t.Context()

	users, err := s.ListUsers(ctx)
	mustNil(t, err)
	if users == nil || len(users) != 0 {
		t.Errorf("empty store lists %#v, want an empty slice", users)
	}

	zoe := newUser(t, s, "zoe")
	adam := newUser(t, s, "adam")

	users, err = s.ListUsers(ctx)
	mustNil(t, err)
	if len(users) != 2 || !sameUser(users[0], zoe) || !sameUser(users[1], adam) {
		t.Errorf("ListUsers = %+v, want zoe then adam (by PK)", users)
	}
}

func testUserUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	alice := newUser(t, s, "alice")
	bob := newUser(t, s, "bob")

	mustNil(t, s.SetPasswordHash(ctx, alice.PK, "new-hash"))
	mustNil(t, s.SetActive(ctx, alice.PK, false))

	got, err := s.UserByPK(ctx, alice.PK)
	mustNil(t, err)
	if got.PasswordHash != "new-hash" {
		t.Errorf("PasswordHash = %q, want new-hash", got.PasswordHash)
	}
	if got.IsActive {
		t.Error("user is active after SetActive(false)")
	}

	mustNil(t, s.SetActive(ctx, alice.PK, true))
	got, err = s.UserByPK(ctx, alice.PK)
	mustNil(t, err)
	if !got.IsActive {
		t.Error("user is inactive after SetActive(true)")
	}

	other, err := s.UserByPK(ctx, bob.PK)
	mustNil(t, err)
	if !sameUser(other, bob) {
		t.Errorf("other user changed: %+v, want %+v", other, bob)
	}
}
