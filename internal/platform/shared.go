package platform

import (
	"context"
	"fmt"

	"github.com/plugit-go/plugit/internal/cache"
	"github.com/plugit-go/plugit/internal/cache/rediscache"
	"github.com/plugit-go/plugit/internal/config"
	"github.com/plugit-go/plugit/internal/session"
	"github.com/plugit-go/plugit/internal/session/redisstore"
)

// sharedState returns the session store and the cache of f: Redis when
// redis_url is set, so several proxies share logins and cached pages, or
// process memory.
func sharedState(ctx context.Context, f *config.File) (session.Store, cache.Cache, error) {
	if f.RedisURL == "" {
		c, err := cache.NewMemory(f.CacheBytes)
		if err != nil {
			return nil, nil, err
		}
		return nil, c, nil
	}

	sessions, err := redisstore.Open(ctx, f.RedisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("platform: opening the Redis session store: %w", err)
	}
	c, err := rediscache.Open(ctx, f.RedisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("platform: opening the Redis cache: %w", err)
	}
	return sessions, c, nil
}
