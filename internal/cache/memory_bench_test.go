package cache

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// benchSizes are value sizes: a meta document and a rendered page.
var benchSizes = []int{256, 8 << 10}

func benchMemory(b *testing.B, keys, valueSize int) (*Memory, []string) {
	b.Helper()

	m, err := NewMemory(256 << 20)
	if err != nil {
		b.Fatal(err)
	}

	names := make([]string, keys)
	value := make([]byte, valueSize)
	for i := range names {
		names[i] = fmt.Sprintf("/plugIt/polls/%d/?page=1\x00tag-%d", i, i%7)
		if err := m.Set(context.Background(), names[i], value, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	return m, names
}

// BenchmarkMemoryGetParallel reads entries from all cores.
func BenchmarkMemoryGetParallel(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("value=%dB", size), func(b *testing.B) {
			m, keys := benchMemory(b, 1024, size)
			b.SetBytes(int64(size))
			b.ResetTimer()

			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for i := 0; pb.Next(); i++ {
					if _, ok, _ := m.Get(ctx, keys[i%len(keys)]); !ok {
						b.Error("miss on a key that was set")
						return
					}
				}
			})
		})
	}
}

// BenchmarkMemorySetParallel writes entries from all cores, within a budget
// of a quarter of the keys, so that most sets evict.
func BenchmarkMemorySetParallel(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("value=%dB", size), func(b *testing.B) {
			_, keys := benchMemory(b, 1024, 0)
			m, err := NewMemory(int64(len(keys)/4) * int64(size+EntryOverhead+64))
			if err != nil {
				b.Fatal(err)
			}

			value := make([]byte, size)
			b.SetBytes(int64(size))
			b.ResetTimer()

			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for i := 0; pb.Next(); i++ {
					if err := m.Set(ctx, keys[i%len(keys)], value, time.Hour); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkMemoryMixedParallel does nine Gets for each Set from all cores.
func BenchmarkMemoryMixedParallel(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("value=%dB", size), func(b *testing.B) {
			m, keys := benchMemory(b, 1024, size)
			value := make([]byte, size)
			b.ResetTimer()

			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for i := 0; pb.Next(); i++ {
					key := keys[(i*31)%len(keys)]
					if i%10 == 0 {
						_ = m.Set(ctx, key, value, time.Hour)
						continue
					}
					_, _, _ = m.Get(ctx, key)
				}
			})
		})
	}
}

// BenchmarkMemoryFootprint fills a cache with 100 000 entries of a 60-byte
// key and a 400-byte value, and reports the heap growth per entry next to
// what the budget charges for it.
func BenchmarkMemoryFootprint(b *testing.B) {
	const entries, valueSize = 100_000, 400

	keys := make([]string, entries)
	for i := range keys {
		keys[i] = fmt.Sprintf("%060d", i)
	}
	value := make([]byte, valueSize)

	for b.Loop() {
		before := heapInUse()
		m, err := NewMemory(1 << 30)
		if err != nil {
			b.Fatal(err)
		}

		for _, key := range keys {
			if err := m.Set(context.Background(), key, value, time.Hour); err != nil {
				b.Fatal(err)
			}
		}

		grown := heapInUse() - before
		b.ReportMetric(float64(grown)/entries, "heap-B/entry")
		b.ReportMetric(float64(m.Stats().Bytes)/entries, "charged-B/entry")
		runtime.KeepAlive(m)
	}
}

func heapInUse() int64 {
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return int64(stats.HeapAlloc)
}
