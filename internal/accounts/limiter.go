package accounts

import (
	"context"
	"sync"
	"time"
)

// Limiter counts failed attempts per key, such as an account or a client
// address, over a sliding time window. Implementations are safe for
// concurrent use. MemoryLimiter keeps the counts in the process; a shared
// implementation (Redis, for example) lets several proxies share them.
type Limiter interface {
	// Wait returns how long key must wait before its next attempt, zero
	// when it may try now.
	Wait(ctx context.Context, key string) (time.Duration, error)

	// Fail records a failed attempt of key.
	Fail(ctx context.Context, key string) error

	// Reset deletes the failed attempts of key.
	Reset(ctx context.Context, key string) error
}

// MemoryLimiter is a Limiter that keeps the failures in memory: a key that
// failed Max times within Window must wait until the oldest of those
// failures is Window old.
type MemoryLimiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu        sync.Mutex
	failures  map[string][]time.Time // per key, oldest first, at most max
	lastSweep time.Time
}

var _ Limiter = (*MemoryLimiter)(nil)

// NewMemoryLimiter returns a limiter that allows max failures per window.
// now is the clock, time.Now when nil.
func NewMemoryLimiter(max int, window time.Duration, now func() time.Time) *MemoryLimiter {
	if now == nil {
		now = time.Now
	}
	return &MemoryLimiter{max: max, window: window, now: now, failures: map[string][]time.Time{}}
}

// Wait returns how long key must wait before its next attempt.
func (l *MemoryLimiter) Wait(_ context.Context, key string) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()

	now := l.now()
	recent := l.recent(key, now)
	if len(recent) < l.max {
		return 0, nil
	}
	return recent[0].Add(l.window).Sub(now), nil
}

// Fail records a failed attempt of key.
func (l *MemoryLimiter) Fail(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()

	now := l.now()
	l.sweep(now)

	recent := append(l.recent(key, now), now)
	if len(recent) > l.max {
		recent = recent[len(recent)-l.max:]
	}
	l.failures[key] = recent
	return nil
}

// Reset deletes the failures of key.
func (l *MemoryLimiter) Reset(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()

	delete(l.failures, key)
	return nil
}

// recent returns the failures of key within the window before now, and
// drops the older ones.
func (l *MemoryLimiter) recent(key string, now time.Time) []time.Time {
	times := l.failures[key]
	cutoff := now.Add(-l.window)
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	if i == len(times) {
		delete(l.failures, key)
		return nil
	}
	times = times[i:]
	l.failures[key] = times
	return times
}

// sweep drops the keys with no failure in the window, once per window, so
// that the map holds only keys that failed recently.
func (l *MemoryLimiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < l.window {
		return
	}
	l.lastSweep = now

	for key := range l.failures {
		l.recent(key, now)
	}
}
