// Package cachetest checks that an implementation of cache.Cache behaves as
// the interface documents. Each implementation's tests call Run.
package cachetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/cache"
)

// Expiry timings. The short ttl must pass well within expiryWait, and
// the long one must not pass during a test.
const (
	shortTTL   = 300 * time.Millisecond
	expiryWait = 700 * time.Millisecond
	longTTL    = time.Hour
)

// Run runs the conformance tests. newCache is called once per subtest and
// must return an empty cache that shares no entries with the caches of
// earlier calls.
func Run(t *testing.T, newCache func(t *testing.T) cache.Cache) {
	tests := []struct {
		name string
		run  func(t *testing.T, c cache.Cache)
	}{
		{"set and get", testSetGet},
		{"get missing", testGetMissing},
		{"binary keys and values", testBinary},
		{"empty value", testEmptyValue},
		{"set replaces", testSetReplaces},
		{"delete", testDelete},
		{"delete missing", testDeleteMissing},
		{"expiry", testExpiry},
		{"set resets ttl", testSetResetsTTL},
		{"invalid ttl", testInvalidTTL},
		{"largest ttl", testLargestTTL},
		{"values are copies", testCopies},
		{"concurrent use", testConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newCache(t))
		})
	}
}

func mustSet(t *testing.T, c cache.Cache, key string, value []byte, ttl time.Duration) {
	t.Helper()

	if err := c.Set(t.Context(), key, value, ttl); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}

// wantValue fails the test unless the key holds the value.
func wantValue(t *testing.T, c cache.Cache, key string, want []byte) {
	t.Helper()

	got, ok, err := c.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if !ok {
		t.Fatalf("Get(%q) missed, want %q", key, want)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Get(%q) = %q, want %q", key, got, want)
	}
}

// wantMiss fails the test unless the key is missing.
func wantMiss(t *testing.T, c cache.Cache, key string) {
	t.Helper()

	got, ok, err := c.Get(t.Context(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if ok {
		t.Fatalf("Get(%q) = %q, want a miss", key, got)
	}
	if got != nil {
		t.Fatalf("Get(%q) missed but returned %q, want nil", key, got)
	}
}

func testSetGet(t *testing.T, c cache.Cache) {
	mustSet(t, c, "/polls/?page=2\x00list", []byte("<ul>polls</ul>"), longTTL)
	mustSet(t, c, "/polls/", []byte("<p>index</p>"), longTTL)

	wantValue(t, c, "/polls/?page=2\x00list", []byte("<ul>polls</ul>"))
	wantValue(t, c, "/polls/", []byte("<p>index</p>"))
}

func testGetMissing(t *testing.T, c cache.Cache) {
	wantMiss(t, c, "never-set")
}

func testBinary(t *testing.T, c cache.Cache) {
	keys := []string{"", "a", "a\x00", "a\x00b", "\xff\xfe", "é/ü?x=1&y=2", "*", "a b"}
	for i, key := range keys {
		value := []byte{byte(i), 0, 0xff, '\n', byte(i)}
		mustSet(t, c, key, value, longTTL)
	}

	for i, key := range keys {
		wantValue(t, c, key, []byte{byte(i), 0, 0xff, '\n', byte(i)})
	}
}

func testEmptyValue(t *testing.T, c cache.Cache) {
	mustSet(t, c, "empty", []byte{}, longTTL)
	mustSet(t, c, "nil", nil, longTTL)

	wantValue(t, c, "empty", []byte{})
	wantValue(t, c, "nil", []byte{})
}

func testSetReplaces(t *testing.T, c cache.Cache) {
	mustSet(t, c, "k", []byte("first, a longer value"), longTTL)
	mustSet(t, c, "k", []byte("second"), longTTL)

	wantValue(t, c, "k", []byte("second"))
}

func testDelete(t *testing.T, c cache.Cache) {
	mustSet(t, c, "deleted", []byte("v"), longTTL)
	mustSet(t, c, "remaining", []byte("w"), longTTL)

	if err := c.Delete(t.Context(), "deleted"); err != nil {
		t.Fatalf("Delete: %v", err)
	}

	wantMiss(t, c, "deleted")
	wantValue(t, c, "remaining", []byte("w"))
}

func testDeleteMissing(t *testing.T, c cache.Cache) {
	if err := c.Delete(t.Context(), "never-set"); err != nil {
		t.Fatalf("Delete of a missing key: %v, want nil", err)
	}
}

func testExpiry(t *testing.T, c cache.Cache) {
	mustSet(t, c, "short", []byte("s"), shortTTL)
	mustSet(t, c, "long", []byte("l"), longTTL)

	time.Sleep(expiryWait)

	wantMiss(t, c, "short")
	wantValue(t, c, "long", []byte("l"))
}

func testSetResetsTTL(t *testing.T, c cache.Cache) {
	mustSet(t, c, "shortened", []byte("a"), longTTL)
	mustSet(t, c, "shortened", []byte("b"), shortTTL)
	mustSet(t, c, "lengthened", []byte("c"), shortTTL)
	mustSet(t, c, "lengthened", []byte("d"), longTTL)

	time.Sleep(expiryWait)

	wantMiss(t, c, "shortened")
	wantValue(t, c, "lengthened", []byte("d"))
}

func testInvalidTTL(t *testing.T, c cache.Cache) {
	mustSet(t, c, "existing", []byte("kept"), longTTL)

	for _, ttl := range []time.Duration{0, -1, -time.Hour} {
		err := c.Set(t.Context(), "new", []byte("v"), ttl)
		if !errors.Is(err, cache.ErrInvalidTTL) {
			t.Errorf("Set with ttl %v: error %v, want ErrInvalidTTL", ttl, err)
		}

		err = c.Set(t.Context(), "existing", []byte("changed"), ttl)
		if !errors.Is(err, cache.ErrInvalidTTL) {
			t.Errorf("Set of an existing key with ttl %v: error %v, want ErrInvalidTTL", ttl, err)
		}
	}

	wantMiss(t, c, "new")
	wantValue(t, c, "existing", []byte("kept"))
}

func testLargestTTL(t *testing.T, c cache.Cache) {
	mustSet(t, c, "k", []byte("v"), time.Duration(math.MaxInt64))

	wantValue(t, c, "k", []byte("v"))
}

func testCopies(t *testing.T, c cache.Cache) {
	value := []byte("original")
	mustSet(t, c, "k", value, longTTL)
	copy(value, "CHANGED!")

	got, _, err := c.Get(t.Context(), "k")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if len(got) > 0 {
		got[0] = 'X'
	}

	wantValue(t, c, "k", []byte("original"))
}

// testConcurrent has goroutines write, read and delete their own keys and
// one shared key at the same time. Run it with -race.
func testConcurrent(t *testing.T, c cache.Cache) {
	const workers, rounds = 8, 40

	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				if err := useConcurrently(t.Context(), c, w, i); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()

	value, ok, err := c.Get(t.Context(), "shared")
	if err != nil || !ok || len(value) != 1 || int(value[0]) >= workers {
		t.Fatalf("Get(shared) = %v, %v, %v, want a value one worker wrote", value, ok, err)
	}
}

func useConcurrently(ctx context.Context, c cache.Cache, worker, round int) error {
	key := fmt.Sprintf("worker-%d-%d", worker, round)
	want := []byte(key)
	if err := c.Set(ctx, key, want, longTTL); err != nil {
		return fmt.Errorf("Set(%q): %w", key, err)
	}

	if err := c.Set(ctx, "shared", []byte{byte(worker)}, longTTL); err != nil {
		return fmt.Errorf("Set(shared): %w", err)
	}

	got, ok, err := c.Get(ctx, key)
	if err != nil || !ok || !bytes.Equal(got, want) {
		return fmt.Errorf("Get(%q) = %q, %v, %v, want %q", key, got, ok, err, want)
	}

	if round%2 == 0 {
		return nil
	}

	if err := c.Delete(ctx, key); err != nil {
		return fmt.Errorf("Delete(%q): %w", key, err)
	}

	if _, ok, err := c.Get(ctx, key); ok || err != nil {
		return fmt.Errorf("Get(%q) after Delete = %v, %v, want a miss", key, ok, err)
	}

	return nil
}
