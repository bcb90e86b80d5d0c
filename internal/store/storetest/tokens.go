package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/store"
)

// fixedNow is the current time of the tests that pass one to the store.
var fixedNow = time.Date(2025, 3, 14, 15, 9, 26, 535897000, time.UTC)

func testSubscriptions(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("active labels", func(t *testing.T) { testSubscriptionActive(t, open(t)) })
	t.Run("replace end time", func(t *testing.T) { testSubscriptionReplace(t, open(t)) })
	t.Run("missing rows", func(t *testing.T) { testSubscriptionMissing(t, open(t)) })
}

func testSubscriptionActive(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, key := range []string{"polls", "wiki"} {
		mustNil(t, s.PutService(ctx, store.Service{Key: key, Name: key, URL: "http://127.0.0.1:5000/"}))
	}
	alice := newUser(t, s, "alice")
	bob := newUser(t, s, "bob")

	subs := []store.Subscription{
		{ServiceKey: "polls", UserPK: alice.PK, Label: "premium"},                                     // no end
		{ServiceKey: "polls", UserPK: alice.PK, Label: "beta", Until: fixedNow.Add(time.Microsecond)}, // ends just after now
		{ServiceKey: "polls", UserPK: alice.PK, Label: "trial", Until: fixedNow.Add(-time.Hour)},      // ended
		{ServiceKey: "polls", UserPK: alice.PK, Label: "edge", Until: fixedNow},                       // ends now
		{ServiceKey: "wiki", UserPK: alice.PK, Label: "wiki-only"},
		{ServiceKey: "polls", UserPK: bob.PK, Label: "bob-only"},
		// An end time in another zone is compared as an instant.
		{ServiceKey: "polls", UserPK: alice.PK, Label: "zoned",
			Until: fixedNow.Add(time.Minute).In(time.FixedZone("X", -10*3600))},
	}
	for _, sub := range subs {
		mustNil(t, s.AddSubscription(ctx, sub))
	}

	labels, err := s.ActiveSubscriptionLabels(ctx, "polls", alice.PK, fixedNow)
	mustNil(t, err)
	want := []string{"beta", "premium", "zoned"}
	if !slices.Equal(labels, want) {
		t.Errorf("active labels = %q, want %q", labels, want)
	}

	labels, err = s.ActiveSubscriptionLabels(ctx, "polls", alice.PK, fixedNow.Add(2*time.Minute))
	mustNil(t, err)
	if !slices.Equal(labels, []string{"premium"}) {
		t.Errorf("active labels two minutes later = %q, want [premium]", labels)
	}

	labels, err = s.ActiveSubscriptionLabels(ctx, "polls", 999, fixedNow)
	mustNil(t, err)
	if labels == nil || len(labels) != 0 {
		t.Errorf("unknown user's labels = %#v, want an empty slice", labels)
	}
}

func testSubscriptionReplace(t *testing.T, s store.Store) {
	ctx := t.Context()
	mustNil(t, s.PutService(ctx, store.Service{Key: "polls", Name: "Polls", URL: "http://127.0.0.1:5000/"}))
	alice := newUser(t, s, "alice")

	sub := store.Subscription{ServiceKey: "polls", UserPK: alice.PK, Label: "gold"}
	mustNil(t, s.AddSubscription(ctx, sub))
	sub.Until = fixedNow.Add(-time.Second)
	mustNil(t, s.AddSubscription(ctx, sub))

	labels, err := s.ActiveSubscriptionLabels(ctx, "polls", alice.PK, fixedNow)
	mustNil(t, err)
	if len(labels) != 0 {
		t.Errorf("labels after ending gold = %q, want none", labels)
	}

	sub.Until = time.Time{}
	mustNil(t, s.AddSubscription(ctx, sub))
	labels, err = s.ActiveSubscriptionLabels(ctx, "polls", alice.PK, fixedNow)
	mustNil(t, err)
	if !slices.Equal(labels, []string{"gold"}) {
		t.Errorf("labels after renewing gold = %q, want [gold]", labels)
	}
}

func testSubscriptionMissing(t *testing.T, s store.Store) {
	ctx := t.Context()
	mustNil(t, s.PutService(ctx, store.Service{Key: "polls", Name: "Polls", URL: "http://127.0.0.1:5000/"}))
	alice := newUser(t, s, "alice")

	missingService := store.Subscription{ServiceKey: "missing", UserPK: alice.PK, Label: "x"}
	wantErr(t, s.AddSubscription(ctx, missingService), store.ErrNotFound)
	wantErr(t, s.AddSubscription(ctx, store.Subscription{ServiceKey: "polls", UserPK: 999, Label: "x"}), store.ErrNotFound)
	wantErr(t, s.AddSubscription(ctx, store.Subscription{ServiceKey: "polls", UserPK: alice.PK}), store.ErrInvalid)
}

func testResetTokens(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("single use", func(t *testing.T) { testResetSingleUse(t, open(t)) })
	t.Run("expiry", func(t *testing.T) { testResetExpiry(t, open(t)) })
	t.Run("use ends other tokens", func(t *testing.T) { testResetEndsOthers(t, open(t)) })
	t.Run("concurrent use", func(t *testing.T) { testResetConcurrent(t, open(t)) })
}

func testResetSingleUse(t *testing.T, s store.Store) {
	ctx := t.Context()
	alice := newUser(t, s, "alice")

	mustNil(t, s.CreateResetToken(ctx, alice.PK, "token-a", fixedNow.Add(time.Hour)))

	_, err := s.ConsumeResetToken(ctx, "token-b", fixedNow)
	wantErr(t, err, store.ErrNotFound)

	userPK, err := s.ConsumeResetToken(ctx, "token-a", fixedNow)
	mustNil(t, err)
	if userPK != alice.PK {
		t.Errorf("token belongs to user %d, want %d", userPK, alice.PK)
	}

	_, err = s.ConsumeResetToken(ctx, "token-a", fixedNow)
	wantErr(t, err, store.ErrNotFound)

	wantErr(t, s.CreateResetToken(ctx, 999, "token-c", fixedNow.Add(time.Hour)), store.ErrNotFound)
	mustNil(t, s.CreateResetToken(ctx, alice.PK, "token-d", fixedNow.Add(time.Hour)))
	wantErr(t, s.CreateResetToken(ctx, alice.PK, "token-d", fixedNow.Add(time.Hour)), store.ErrConflict)
}

func testResetExpiry(t *testing.T, s store.Store) {
	ctx := t.Context()
	alice := newUser(t, s, "alice")

	mustNil(t, s.CreateResetToken(ctx, alice.PK, "expired", fixedNow.Add(-time.Second)))
	mustNil(t, s.CreateResetToken(ctx, alice.PK, "ends-now", fixedNow))
	mustNil(t, s.CreateResetToken(ctx, alice.PK, "live", fixedNow.Add(time.Second)))

	_, err := s.ConsumeResetToken(ctx, "expired", fixedNow)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.ConsumeResetToken(ctx, "ends-now", fixedNow)
	wantErr(t, err, store.ErrNotFound)

	// A token found expired is gone, even when the clock goes back.
	_, err = s.ConsumeResetToken(ctx, "expired", fixedNow.Add(-time.Hour))
	wantErr(t, err, store.ErrNotFound)

	// Consuming the expired tokens kept the live one.
	userPK, err := s.ConsumeResetToken(ctx, "live", fixedNow)
	mustNil(t, err)
	if userPK != alice.PK {
		t.Errorf("token belongs to user %d, want %d", userPK, alice.PK)
	}
}

func testResetEndsOthers(t *testing.T, s store.Store) {
	ctx := t.Context()
	alice := newUser(t, s, "alice")
	bob := newUser(t, s, "bob")

	mustNil(t, s.CreateResetToken(ctx, alice.PK, "alice-1", fixedNow.Add(time.Hour)))
	mustNil(t, s.CreateResetToken(ctx, alice.PK, "alice-2", fixedNow.Add(time.Hour)))
	mustNil(t, s.CreateResetToken(ctx, bob.PK, "bob-1", fixedNow.Add(time.Hour)))

	_, err := s.ConsumeResetToken(ctx, "alice-2", fixedNow)
	mustNil(t, err)

	_, err = s.ConsumeResetToken(ctx, "alice-1", fixedNow)
	wantErr(t, err, store.ErrNotFound)

	userPK, err := s.ConsumeResetToken(ctx, "bob-1", fixedNow)
	mustNil(t, err)
	if userPK != bob.PK {
		t.Errorf("bob's token belongs to user %d, want %d", userPK, bob.PK)
	}
}

func testResetConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	alice := newUser(t, s, "alice")
	mustNil(t, s.CreateResetToken(ctx, alice.PK, "token", fixedNow.Add(time.Hour)))

	const attempts = 8
	errs := make(chan error, attempts)
	var wg sync.WaitGroup
	for range attempts {
		wg.Go(func() {
			_, err := s.ConsumeResetToken(ctx, "token", fixedNow)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)

	succeeded := 0
	for err := range errs {
		if err == nil {
			succeeded++
			continue
		}
		wantErr(t, err, store.ErrNotFound)
	}
	if succeeded != 1 {
		t.Errorf("%d of %d concurrent uses succeeded, want exactly 1", succeeded, attempts)
	}
}
