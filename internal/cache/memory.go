package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// EntryOverhead is the number of bytes that Memory adds to the length of
// the key and the value when it charges an entry to its budget. It
// estimates the entry record, its map slot and allocation rounding on a
// 64-bit platform. BenchmarkMemoryFootprint compares it with measured heap
// growth.
const EntryOverhead = 160

// ErrInvalidMaxBytes is returned by NewMemory when the byte budget is not
// positive.
var ErrInvalidMaxBytes = errors.New("cache: invalid byte budget")

// Memory is a Cache in process memory, bounded by a byte budget. When a new
// entry does not fit, Memory evicts the least recently used entries. An
// entry is charged the length of its key and value plus EntryOverhead.
// Expired entries are removed when read or when eviction reaches them, and
// count against the budget until then.
type Memory struct {
	mu       sync.Mutex
	maxBytes int64
	used     int64
	entries  map[string]*entry
	lru      lruList
	stats    Stats
	now      func() time.Time
}

var _ Cache = (*Memory)(nil)

// Stats are the counters of a Memory cache since it was created.
type Stats struct {
	// Hits and Misses count Get calls that found a live entry or not.
	Hits, Misses uint64

	// Evictions counts live entries removed to make room for new ones.
	Evictions uint64

	// Expirations counts expired entries removed by Get or by eviction.
	Expirations uint64

	// Oversized counts Set calls whose entry alone exceeded the budget,
	// so it was not stored.
	Oversized uint64

	// Entries is the number of entries held, expired ones included.
	Entries int

	// Bytes is the total charged to the budget and MaxBytes the budget.
	Bytes, MaxBytes int64
}

// NewMemory returns an empty cache that holds at most maxBytes, as charged
// per entry. It returns an error wrapping ErrInvalidMaxBytes when maxBytes
// is zero or negative.
func NewMemory(maxBytes int64) (*Memory, error) {
	if maxBytes <= 0 {
		return nil, fmt.Errorf("%w: %d, must be positive", ErrInvalidMaxBytes, maxBytes)
	}

	m := &Memory{
		maxBytes: maxBytes,
		entries:  map[string]*entry{},
		now:      time.Now,
	}
	m.lru.init()
	return m, nil
}

// Get returns a copy of the value of the key. It never returns an error.
func (m *Memory) Get(_ context.Context, key string) ([]byte, bool, error) {
	value, ok := m.lookup(key)
	if !ok {
		return nil, false, nil
	}

	// Stored values are never changed in place, so the copy can be made
	// outside the lock.
	return bytes.Clone(value), true, nil
}

func (m *Memory) lookup(key string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()

	e, ok := m.entries[key]
	if !ok {
		m.stats.Misses++
		return nil, false
	}

	if e.expires <= m.now().UnixNano() {
		m.remove(e)
		m.stats.Expirations++
		m.stats.Misses++
		return nil, false
	}

	m.lru.moveToFront(e)
	m.stats.Hits++
	return e.value, true
}

// Set stores a copy of the value. An entry larger than the whole budget
// is not stored, and the key's previous value is removed. Set returns an
// error only for an invalid ttl.
func (m *Memory) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	if err := CheckTTL(ttl); err != nil {
		return err
	}

	e := &entry{
		key:   strings.Clone(key),
		value: append(make([]byte, 0, len(value)), value...),
		size:  EntrySize(key, value),
	}

	m.mu.Lock()
	defer m.mu.Unlock()

	if old, ok := m.entries[key]; ok {
		m.remove(old)
	}

	if e.size > m.maxBytes {
		m.stats.Oversized++
		return nil
	}

	now := m.now().UnixNano()
	e.expires = expiry(now, ttl)
	m.makeRoom(e.size, now)
	m.entries[e.key] = e
	m.lru.pushFront(e)
	m.used += e.size
	return nil
}

// Delete removes the key. It never returns an error.
func (m *Memory) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()

	if e, ok := m.entries[key]; ok {
		m.remove(e)
	}

	return nil
}

// Stats returns the cache's counters and current size.
func (m *Memory) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()

	s := m.stats
	s.Entries = len(m.entries)
	s.Bytes = m.used
	s.MaxBytes = m.maxBytes
	return s
}

// EntrySize returns the number of bytes that Memory charges to its budget
// for an entry.
func EntrySize(key string, value []byte) int64 {
	return int64(len(key)) + int64(len(value)) + EntryOverhead
}

// makeRoom evicts entries from the least recently used end until size more
// bytes fit in the budget.
func (m *Memory) makeRoom(size, now int64) {
	for m.used+size > m.maxBytes {
		e := m.lru.back()
		if e == nil {
			return
		}

		m.remove(e)
		if e.expires <= now {
			m.stats.Expirations++
		} else {
			m.stats.Evictions++
		}
	}
}

func (m *Memory) remove(e *entry) {
	m.lru.unlink(e)
	delete(m.entries, e.key)
	m.used -= e.size
}

// expiry returns now plus ttl in Unix nanoseconds, saturating instead of
// overflowing for very long ttls.
func expiry(now int64, ttl time.Duration) int64 {
	if int64(ttl) > math.MaxInt64-now {
		return math.MaxInt64
	}

	return now + int64(ttl)
}
