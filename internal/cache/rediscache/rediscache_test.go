package rediscache_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/cache"
	"github.com/plugit-go/plugit/internal/cache/cachetest"
	"github.com/plugit-go/plugit/internal/cache/rediscache"
	"github.com/plugit-go/plugit/internal/cache/redisclient"
	"github.com/plugit-go/plugit/internal/cache/redistest"
)

func TestConformance(t *testing.T) {
	redistest.URL(t)
	cachetest.Run(t, func(t *testing.T) cache.Cache {
		client := redistest.Client(t)
		return rediscache.New(client, rediscache.WithPrefix(redistest.Prefix(t, client)))
	})
}

// TestInstancesShareEntries opens two caches with clients of their own, as
// two proxies would, and checks that each reads the other's writes.
func TestInstancesShareEntries(t *testing.T) {
	rawURL := redistest.URL(t)
	prefix := redistest.Prefix(t, redistest.Client(t))
	first := openCache(t, rawURL, prefix)
	second := openCache(t, rawURL, prefix)

	if err := first.Set(t.Context(), "/plugIt/\x00list", []byte("<p>page</p>"), time.Hour); err != nil {
		t.Fatalf("Set on the first cache: %v", err)
	}

	got, ok, err := second.Get(t.Context(), "/plugIt/\x00list")
	if err != nil || !ok || !bytes.Equal(got, []byte("<p>page</p>")) {
		t.Fatalf("Get on the second cache = %q, %v, %v, want the first cache's entry", got, ok, err)
	}

	if err := second.Delete(t.Context(), "/plugIt/\x00list"); err != nil {
		t.Fatalf("Delete on the second cache: %v", err)
	}

	if _, ok, err := first.Get(t.Context(), "/plugIt/\x00list"); ok || err != nil {
		t.Fatalf("Get on the first cache after the second deleted = %v, %v, want a miss", ok, err)
	}
}

func TestPrefixesSeparateEntries(t *testing.T) {
	client := redistest.Client(t)
	first := rediscache.New(client, rediscache.WithPrefix(redistest.Prefix(t, client)))
	second := rediscache.New(client, rediscache.WithPrefix(redistest.Prefix(t, client)))

	if err := first.Set(t.Context(), "k", []byte("v"), time.Hour); err != nil {
		t.Fatalf("Set: %v", err)
	}

	if _, ok, err := second.Get(t.Context(), "k"); ok || err != nil {
		t.Fatalf("Get under another prefix = %v, %v, want a miss", ok, err)
	}
}

func TestDefaultPrefix(t *testing.T) {
	client := redistest.Client(t)
	c := rediscache.New(client)
	key := "test-" + rand.Text()
	t.Cleanup(func() { _ = client.Del(context.Background(), rediscache.DefaultPrefix+key).Err() })

	if err := c.Set(t.Context(), key, []byte("v"), time.Minute); err != nil {
		t.Fatalf("Set: %v", err)
	}

	got, err := client.Get(t.Context(), rediscache.DefaultPrefix+key).Result()
	if err != nil || got != "v" {
		t.Fatalf("Redis GET %s%s = %q, %v, want the value", rediscache.DefaultPrefix, key, got, err)
	}

	ttl, err := client.PTTL(t.Context(), rediscache.DefaultPrefix+key).Result()
	if err != nil || ttl <= 0 || ttl > time.Minute {
		t.Fatalf("Redis PTTL = %v, %v, want the ttl of one minute", ttl, err)
	}
}

func TestOpenInvalidURL(t *testing.T) {
	_, err := rediscache.Open(t.Context(), "http://127.0.0.1:6379/0")
	if !errors.Is(err, redisclient.ErrInvalidURL) {
		t.Fatalf("Open: error %v, want ErrInvalidURL", err)
	}
}

func TestOpenUnreachable(t *testing.T) {
	// Nothing listens on port 1 of the loopback address.
	_, err := rediscache.Open(t.Context(), "redis://127.0.0.1:1/0")
	if err == nil {
		t.Fatal("Open succeeded with no server listening")
	}
	if !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("error %q does not name the address", err)
	}
}

func openCache(t *testing.T, rawURL, prefix string) *rediscache.Cache {
	t.Helper()

	c, err := rediscache.Open(t.Context(), rawURL, rediscache.WithPrefix(prefix))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}

	t.Cleanup(func() { _ = c.Close() })
	return c
}
