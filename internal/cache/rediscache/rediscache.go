// Package rediscache implements cache.Cache on Redis, so that several
// proxies behind one load balancer share their cached pages, meta and
// templates.
package rediscache

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/plugit-go/plugit/internal/cache"
	"github.com/plugit-go/plugit/internal/cache/redisclient"
)

// DefaultPrefix is the key prefix used unless WithPrefix sets another.
const DefaultPrefix = "plugit:cache:"

// Cache is a cache.Cache on Redis. Each entry is a Redis string under the
// prefix plus the key, with the ttl as the key's expiry, so Redis removes
// expired entries itself. Memory is bounded by the server's maxmemory
// setting, not by Cache.
type Cache struct {
	client redis.UniversalClient
	prefix string
	owned  bool
}

var _ cache.Cache = (*Cache)(nil)

// Option changes a setting of New or Open.
type Option func(*Cache)

// WithPrefix sets the prefix of every key the cache writes. Caches that
// should share entries use the same prefix, and unrelated data on the same
// server needs a different one. An empty prefix keeps DefaultPrefix.
func WithPrefix(prefix string) Option {
	return func(c *Cache) {
		if prefix != "" {
			c.prefix = prefix
		}
	}
}

// New returns a cache on an existing client, which the caller closes.
func New(client redis.UniversalClient, opts ...Option) *Cache {
	c := &Cache{client: client, prefix: DefaultPrefix}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// Open connects to the Redis URL, such as redis://127.0.0.1:6379/0, and
// returns a cache that owns the client, so Close closes it.
func Open(ctx context.Context, rawURL string, opts ...Option) (*Cache, error) {
	client, err := redisclient.Open(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("rediscache: %w", err)
	}

	c := New(client, opts...)
	c.owned = true
	return c, nil
}

// Get returns the value of the key.
func (c *Cache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	value, err := c.client.Get(ctx, c.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}

	if err != nil {
		return nil, false, fmt.Errorf("rediscache: getting an entry: %w", err)
	}

	return value, true, nil
}

// Set stores the value under the key with ttl as its expiry. Redis keeps
// millisecond precision, so a ttl under 1ms lasts 1ms.
func (c *Cache) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	// The check also keeps go-redis v9 from reading a ttl of 0 as "no
	// expiry" and one of -1ns (redis.KeepTTL) as "keep the current one".
	if err := cache.CheckTTL(ttl); err != nil {
		return err
	}

	if err := c.client.Set(ctx, c.prefix+key, value, ttl).Err(); err != nil {
		return fmt.Errorf("rediscache: setting an entry: %w", err)
	}

	return nil
}

// Delete removes the key.
func (c *Cache) Delete(ctx context.Context, key string) error {
	if err := c.client.Del(ctx, c.prefix+key).Err(); err != nil {
		return fmt.Errorf("rediscache: deleting an entry: %w", err)
	}

	return nil
}

// Close closes the client when the cache was made by Open, and does
// nothing when it was made by New.
func (c *Cache) Close() error {
	if !c.owned {
		return nil
	}

	return c.client.Close()
}
