package accounts

import (
	"sync"
	"testing"
	"time"
)

// clock is a settable time source for tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock {
	return &clock{now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (l *MemoryLimiter) keys() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.failures)
}

func mustWait(t *testing.T, l *MemoryLimiter, key string) time.Duration {
	t.Helper()

	wait, err := l.Wait(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	return wait
}

func fail(t *testing.T, l *MemoryLimiter, key string, times int) {
	t.Helper()

	for range times {
		if err := l.Fail(t.Context(), key); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMemoryLimiterLocksAfterMax(t *testing.T) {
	c := newClock()
	l := NewMemoryLimiter(3, 10*time.Minute, c.Now)

	fail(t, l, "alice", 2)
	if wait := mustWait(t, l, "alice"); wait != 0 {
		t.Errorf("after 2 of 3 failures: wait %v, want 0", wait)
	}

	c.Advance(time.Minute)
	fail(t, l, "alice", 1)
	if wait := mustWait(t, l, "alice"); wait != 9*time.Minute {
		t.Errorf("after 3 failures: wait %v, want 9m (until the first is 10m old)", wait)
	}
	if wait := mustWait(t, l, "bob"); wait != 0 {
		t.Errorf("other key: wait %v, want 0", wait)
	}

	c.Advance(9 * time.Minute)
	if wait := mustWait(t, l, "alice"); wait != 0 {
		t.Errorf("once the first failure is 10m old: wait %v, want 0", wait)
	}

	// The window slides: the failure at 1m still counts with two new ones.
	fail(t, l, "alice", 2)
	if wait := mustWait(t, l, "alice"); wait != time.Minute {
		t.Errorf("after two new failures: wait %v, want 1m (until the one at 1m is 10m old)", wait)
	}
}

func TestMemoryLimiterReset(t *testing.T) {
	c := newClock()
	l := NewMemoryLimiter(2, time.Minute, c.Now)

	fail(t, l, "alice", 5)
	if mustWait(t, l, "alice") == 0 {
		t.Fatal("alice is not locked out after 5 failures")
	}

	if err := l.Reset(t.Context(), "alice"); err != nil {
		t.Fatal(err)
	}
	if wait := mustWait(t, l, "alice"); wait != 0 {
		t.Errorf("after Reset: wait %v, want 0", wait)
	}
}

func TestMemoryLimiterKeepsAtMostMax(t *testing.T) {
	c := newClock()
	l := NewMemoryLimiter(3, time.Minute, c.Now)

	for range 100 {
		fail(t, l, "alice", 1)
		c.Advance(time.Second)
	}
	if n := len(l.failures["alice"]); n != 3 {
		t.Errorf("limiter keeps %d failures of one key, want 3", n)
	}
	if wait := mustWait(t, l, "alice"); wait != 57*time.Second {
		t.Errorf("wait %v, want 57s (the third newest failure is 3s old)", wait)
	}
}

func TestMemoryLimiterSweepsOldKeys(t *testing.T) {
	c := newClock()
	l := NewMemoryLimiter(5, time.Minute, c.Now)

	for _, key := range []string{"a", "b", "c"} {
		fail(t, l, key, 1)
	}
	if n := l.keys(); n != 3 {
		t.Fatalf("%d keys, want 3", n)
	}

	c.Advance(2 * time.Minute)
	fail(t, l, "d", 1)
	if n := l.keys(); n != 1 {
		t.Errorf("%d keys after the window passed, want only the new one", n)
	}
}

func TestMemoryLimiterConcurrent(t *testing.T) {
	l := NewMemoryLimiter(1000, time.Hour, nil)

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_ = l.Fail(t.Context(), "shared")
				_, _ = l.Wait(t.Context(), "shared")
			}
		})
	}
	wg.Wait()

	if n := len(l.failures["shared"]); n != 800 {
		t.Errorf("%d failures recorded, want 800", n)
	}
}
