package session

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// BenchmarkMemoryStoreFootprint saves 100 000 sessions in a MemoryStore and
// reports the heap growth per session, measured with runtime.MemStats after
// a collection, next to the bytes the store charges per session. The
// sessions are built before the first measurement, so only the store's
// copies count.
func BenchmarkMemoryStoreFootprint(b *testing.B) {
	const sessions = 100_000

	kinds := []struct {
		name string
		make func() *Session
	}{
		{"anonymous", func() *Session { s := New(); s.UserMode = "ano"; return s }},
		{"typical", typicalSession},
	}
	for _, kind := range kinds {
		b.Run(kind.name, func(b *testing.B) {
			all := make([]*Session, sessions)
			for i := range all {
				all[i] = kind.make()
			}

			for b.Loop() {
				before := heapAlloc()
				st, err := NewMemoryStoreBytes(1 << 30)
				if err != nil {
					b.Fatal(err)
				}

				for _, s := range all {
					if err := st.Save(context.Background(), s, time.Hour); err != nil {
						b.Fatal(err)
					}
				}

				grown := heapAlloc() - before
				b.ReportMetric(float64(grown)/sessions, "heap-B/session")
				b.ReportMetric(float64(st.Stats().Bytes)/sessions, "charged-B/session")
				runtime.KeepAlive(st)
			}
		})
	}
}

// BenchmarkMemoryStoreLoadSave loads and saves a session from all cores,
// as the proxy does on a request that changes the session.
func BenchmarkMemoryStoreLoadSave(b *testing.B) {
	st := NewMemoryStore(10_000)
	ids := make([]string, 1000)
	for i := range ids {
		s := typicalSession()
		ids[i] = s.ID
		if err := st.Save(context.Background(), s, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()

	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for i := 0; pb.Next(); i++ {
			s, err := st.Load(ctx, ids[i%len(ids)])
			if err != nil {
				b.Error(err)
				return
			}
			if err := st.Save(ctx, s, time.Hour); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func heapAlloc() int64 {
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return int64(stats.HeapAlloc)
}
