package cache

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// fakeClock is a settable time source for expiry tests.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func newTestMemory(t *testing.T, maxBytes int64) (*Memory, *fakeClock) {
	t.Helper()

	m, err := NewMemory(maxBytes)
	if err != nil {
		t.Fatalf("NewMemory(%d): %v", maxBytes, err)
	}

	clock := &fakeClock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	m.now = clock.now
	return m, clock
}

// set stores a value whose charged size is exactly size bytes.
func set(t *testing.T, m *Memory, key string, size int64, ttl time.Duration) {
	t.Helper()

	value := strings.Repeat("v", int(size-EntryOverhead)-len(key))
	if err := m.Set(t.Context(), key, []byte(value), ttl); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}

func has(t *testing.T, m *Memory, key string) bool {
	t.Helper()

	_, ok, err := m.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return ok
}

func TestNewMemoryRejectsBudget(t *testing.T) {
	for _, maxBytes := range []int64{0, -1} {
		_, err := NewMemory(maxBytes)
		if !errors.Is(err, ErrInvalidMaxBytes) {
			t.Errorf("NewMemory(%d): error %v, want ErrInvalidMaxBytes", maxBytes, err)
		}
	}
}

func TestMemoryEvictsLeastRecentlyUsed(t *testing.T) {
	m, _ := newTestMemory(t, 3*200)
	set(t, m, "a", 200, time.Hour)
	set(t, m, "b", 200, time.Hour)
	set(t, m, "c", 200, time.Hour)

	if !has(t, m, "a") {
		t.Fatal("a missing before the budget was exceeded")
	}
	set(t, m, "d", 200, time.Hour) // evicts b, the least recently used

	for key, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if got := has(t, m, key); got != want {
			t.Errorf("has(%q) = %v, want %v", key, got, want)
		}
	}

	stats := m.Stats()
	if stats.Evictions != 1 {
		t.Errorf("Evictions = %d, want 1", stats.Evictions)
	}
	if stats.Bytes != 600 {
		t.Errorf("Bytes = %d, want 600", stats.Bytes)
	}
	if stats.Entries != 3 {
		t.Errorf("Entries = %d, want 3", stats.Entries)
	}
}

func TestMemoryEvictsSeveralForLargeEntry(t *testing.T) {
	m, _ := newTestMemory(t, 1000)
	for _, key := range []string{"a", "b", "c", "d", "e"} {
		set(t, m, key, 200, time.Hour)
	}

	set(t, m, "big", 500, time.Hour) // needs the room of a, b and c

	for key, want := range map[string]bool{"a": false, "b": false, "c": false, "d": true, "e": true, "big": true} {
		if got := has(t, m, key); got != want {
			t.Errorf("has(%q) = %v, want %v", key, got, want)
		}
	}
	if got := m.Stats().Bytes; got != 900 {
		t.Errorf("Bytes = %d, want 900", got)
	}
}

func TestMemoryNeverExceedsBudget(t *testing.T) {
	const maxBytes = 10_000
	m, _ := newTestMemory(t, maxBytes)

	for i := range 500 {
		key := strings.Repeat("k", i%37+1)
		size := int64(EntryOverhead + 40 + (i*7919)%900)
		set(t, m, key, size, time.Hour)

		if used := m.Stats().Bytes; used > maxBytes {
			t.Fatalf("after %d sets Bytes = %d, over the budget of %d", i+1, used, maxBytes)
		}
	}
}

func TestMemoryOversizedEntry(t *testing.T) {
	m, _ := newTestMemory(t, 1000)
	set(t, m, "small", 200, time.Hour)
	set(t, m, "k", 300, time.Hour)

	set(t, m, "k", 1001, time.Hour)

	if has(t, m, "k") {
		t.Error("oversized value stored, or the previous value of its key kept")
	}
	if !has(t, m, "small") {
		t.Error("other entry evicted for an entry that was not stored")
	}

	stats := m.Stats()
	if stats.Oversized != 1 {
		t.Errorf("Oversized = %d, want 1", stats.Oversized)
	}
	if stats.Bytes != 200 {
		t.Errorf("Bytes = %d, want 200", stats.Bytes)
	}
}

func TestMemoryReplaceUpdatesBytes(t *testing.T) {
	m, _ := newTestMemory(t, 1000)
	set(t, m, "k", 300, time.Hour)
	set(t, m, "k", 250, time.Hour)

	stats := m.Stats()
	if stats.Bytes != 250 {
		t.Errorf("Bytes = %d, want 250", stats.Bytes)
	}
	if stats.Entries != 1 {
		t.Errorf("Entries = %d, want 1", stats.Entries)
	}
}

func TestMemoryExpiry(t *testing.T) {
	m, clock := newTestMemory(t, 1000)
	set(t, m, "k", 200, time.Minute)

	clock.t = clock.t.Add(time.Minute - time.Nanosecond)
	if !has(t, m, "k") {
		t.Fatal("entry missing before its ttl passed")
	}

	clock.t = clock.t.Add(time.Nanosecond)
	if has(t, m, "k") {
		t.Fatal("entry found once its ttl passed")
	}

	stats := m.Stats()
	if stats.Expirations != 1 {
		t.Errorf("Expirations = %d, want 1", stats.Expirations)
	}
	if stats.Bytes != 0 || stats.Entries != 0 {
		t.Errorf("Bytes, Entries = %d, %d, want 0, 0 after the expired entry was read", stats.Bytes, stats.Entries)
	}
}

func TestMemoryEvictionCountsExpired(t *testing.T) {
	m, clock := newTestMemory(t, 400)
	set(t, m, "old", 200, time.Second)
	set(t, m, "live", 200, time.Hour)
	clock.t = clock.t.Add(time.Minute)

	set(t, m, "new", 200, time.Hour)

	stats := m.Stats()
	if stats.Expirations != 1 {
		t.Errorf("Expirations = %d, want 1", stats.Expirations)
	}
	if stats.Evictions != 0 {
		t.Errorf("Evictions = %d, want 0: only an expired entry had to go", stats.Evictions)
	}
}

func TestMemoryHugeTTL(t *testing.T) {
	m, clock := newTestMemory(t, 1000)
	set(t, m, "k", 200, time.Duration(1<<63-1))
	clock.t = clock.t.AddDate(100, 0, 0)

	if !has(t, m, "k") {
		t.Fatal("entry with the largest ttl expired: the expiry time overflowed")
	}
}

func TestMemoryStatsCountHitsAndMisses(t *testing.T) {
	m, _ := newTestMemory(t, 1000)
	set(t, m, "k", 200, time.Hour)

	has(t, m, "k")
	has(t, m, "k")
	has(t, m, "missing")

	stats := m.Stats()
	if stats.Hits != 2 {
		t.Errorf("Hits = %d, want 2", stats.Hits)
	}
	if stats.Misses != 1 {
		t.Errorf("Misses = %d, want 1", stats.Misses)
	}
	if stats.MaxBytes != 1000 {
		t.Errorf("MaxBytes = %d, want 1000", stats.MaxBytes)
	}
}

func TestMemoryDeleteFreesBytes(t *testing.T) {
	m, _ := newTestMemory(t, 1000)
	set(t, m, "k", 300, time.Hour)

	if err := m.Delete(t.Context(), "k"); err != nil {
		t.Fatalf("Delete: %v", err)
	}

	if got := m.Stats().Bytes; got != 0 {
		t.Errorf("Bytes = %d after Delete, want 0", got)
	}
}
