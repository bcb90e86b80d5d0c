// Package cache defines a byte cache with expiry, for the proxy's rendered
// pages, meta and templates, and implements it in process memory. Package
// rediscache implements it on Redis, so that several proxies can share one
// cache.
package cache

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrInvalidTTL is returned by Set when the time to live is not positive.
var ErrInvalidTTL = errors.New("cache: invalid time to live")

// Cache maps string keys to byte values that expire. Implementations are
// safe for concurrent use, and values passed to Set or returned by Get are
// copies that the caller may change.
type Cache interface {
	// Get returns the value of the key and true, or false when the key
	// is missing or expired. An error means the cache could not be read.
	Get(ctx context.Context, key string) ([]byte, bool, error)

	// Set stores the value under the key for ttl, replacing any value the
	// key had. A ttl of zero or less is rejected with ErrInvalidTTL. A
	// cache may drop the entry later, or at once when it cannot hold it.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error

	// Delete removes the key. Deleting a missing key is no error.
	Delete(ctx context.Context, key string) error
}

// CheckTTL returns an error wrapping ErrInvalidTTL when ttl is zero or
// negative. Implementations of Cache call it in Set.
func CheckTTL(ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("%w: %v, must be positive", ErrInvalidTTL, ttl)
	}

	return nil
}
