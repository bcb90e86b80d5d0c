package rediscache_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/cache/rediscache"
	"github.com/plugit-go/plugit/internal/cache/redistest"
)

// BenchmarkGetParallel reads entries with 8 goroutines per core, as a busy
// proxy would, so ns/op is the inverse of throughput, not the latency.
func BenchmarkGetParallel(b *testing.B) {
	for _, size := range []int{256, 8 << 10} {
		b.Run(fmt.Sprintf("value=%dB", size), func(b *testing.B) {
			c, keys := benchCache(b, size)
			b.SetBytes(int64(size))
			b.SetParallelism(8)
			b.ResetTimer()

			b.RunParallel(func(pb *testing.PB) {
				for i := 0; pb.Next(); i++ {
					if _, ok, err := c.Get(b.Context(), keys[i%len(keys)]); !ok || err != nil {
						b.Errorf("Get = %v, %v, want a hit", ok, err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkSetParallel writes entries with 8 goroutines per core.
func BenchmarkSetParallel(b *testing.B) {
	for _, size := range []int{256, 8 << 10} {
		b.Run(fmt.Sprintf("value=%dB", size), func(b *testing.B) {
			c, keys := benchCache(b, 0)
			value := make([]byte, size)
			b.SetBytes(int64(size))
			b.SetParallelism(8)
			b.ResetTimer()

			b.RunParallel(func(pb *testing.PB) {
				for i := 0; pb.Next(); i++ {
					if err := c.Set(b.Context(), keys[i%len(keys)], value, time.Minute); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

func benchCache(b *testing.B, valueSize int) (*rediscache.Cache, []string) {
	b.Helper()

	client := redistest.Client(b)
	c := rediscache.New(client, rediscache.WithPrefix(redistest.Prefix(b, client)))
	keys := make([]string, 256)
	value := make([]byte, valueSize)
	for i := range keys {
		keys[i] = fmt.Sprintf("/plugIt/polls/%d/\x00tag", i)
		if err := c.Set(b.Context(), keys[i], value, time.Minute); err != nil {
			b.Fatal(err)
		}
	}
	return c, keys
}
