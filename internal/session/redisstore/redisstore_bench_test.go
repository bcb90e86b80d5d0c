package redisstore_test

import (
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/cache/redistest"
	"github.com/plugit-go/plugit/internal/session"
	"github.com/plugit-go/plugit/internal/session/redisstore"
)

func typicalSession() *session.Session {
	s := session.New()
	s.UserMode = "mem"
	s.OrgaPK, s.OrgaName, s.OrgaCodops = 3, "Example Broadcasting", "exbc"
	s.SetValue("polls", "last-poll", "1234")
	s.SetValue("polls", "sort", "newest")
	s.SetValue("news", "lang", "en")
	return s
}

// BenchmarkLoadSaveParallel loads and saves a session with 8 goroutines per
// core, as a busy proxy does on requests that change the session.
func BenchmarkLoadSaveParallel(b *testing.B) {
	client := redistest.Client(b)
	st := redisstore.New(client, redisstore.WithPrefix(redistest.Prefix(b, client)))
	ids := make([]string, 256)
	for i := range ids {
		s := typicalSession()
		ids[i] = s.ID
		if err := st.Save(b.Context(), s, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	b.SetParallelism(8)
	b.ResetTimer()

	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			s, err := st.Load(b.Context(), ids[i%len(ids)])
			if err != nil {
				b.Error(err)
				return
			}
			if err := st.Save(b.Context(), s, time.Hour); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkServerMemory saves 1000 typical sessions and reports the mean
// of Redis's MEMORY USAGE for their keys, the server's own estimate of
// what each session costs it.
func BenchmarkServerMemory(b *testing.B) {
	const sessions = 1000

	client := redistest.Client(b)
	prefix := redistest.Prefix(b, client)
	st := redisstore.New(client, redisstore.WithPrefix(prefix))

	for b.Loop() {
		var total int64
		for range sessions {
			s := typicalSession()
			if err := st.Save(b.Context(), s, time.Hour); err != nil {
				b.Fatal(err)
			}

			n, err := client.MemoryUsage(b.Context(), prefix+s.ID).Result()
			if err != nil {
				b.Fatal(err)
			}
			total += n
		}
		b.ReportMetric(float64(total)/sessions, "redis-B/session")
	}
}
