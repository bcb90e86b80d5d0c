package sqlite_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/internal/store/storetest"
)

// seedUsers stores n users, each a member of one service with one
// subscription, and returns the store.
func seedUsers(b *testing.B, n int) store.Store {
	b.Helper()

	st := storetest.OpenSQLite(b)
	ctx := b.Context()
	if err := st.PutService(ctx, store.Service{Key: "polls", Name: "Polls", URL: "http://127.0.0.1:5000/"}); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		u := store.User{Username: "user" + strconv.Itoa(i), Email: "user" + strconv.Itoa(i) + "@example.org", IsActive: true}
		if err := st.CreateUser(ctx, &u); err != nil {
			b.Fatal(err)
		}
		if err := st.PutServiceMember(ctx, "polls", u.PK, i%10 == 0); err != nil {
			b.Fatal(err)
		}
		sub := store.Subscription{ServiceKey: "polls", UserPK: u.PK, Label: "gold"}
		if err := st.AddSubscription(ctx, sub); err != nil {
			b.Fatal(err)
		}
	}
	return st
}

func BenchmarkUserByUsername(b *testing.B) {
	st := seedUsers(b, 1000)

	i := 0
	for b.Loop() {
		if _, err := st.UserByUsername(b.Context(), "USER"+strconv.Itoa(i%1000)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkServiceMembership(b *testing.B) {
	st := seedUsers(b, 1000)

	i := int64(0)
	for b.Loop() {
		if _, err := st.ServiceMembership(b.Context(), "polls", i%1000+1); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkActiveSubscriptionLabels(b *testing.B) {
	st := seedUsers(b, 1000)
	now := time.Now()

	i := int64(0)
	for b.Loop() {
		if _, err := st.ActiveSubscriptionLabels(b.Context(), "polls", i%1000+1, now); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
