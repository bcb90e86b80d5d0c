// Package redisclient opens the Redis client that the Redis cache and the
// Redis session store share.
package redisclient

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/redis/go-redis/v9"
)

// ErrInvalidURL is returned by Open and ParseURL for a Redis URL they
// cannot use.
var ErrInvalidURL = errors.New("redisclient: invalid Redis URL")

// urlForm is the form of a Redis URL, for error messages.
const urlForm = "redis://[user:password@]host:port/db, or rediss:// for TLS"

// ParseURL returns the client options of a Redis URL such as
// redis://127.0.0.1:6379/0. Its error never quotes the URL's password,
// because the expected form replaces any parser message that could.
func ParseURL(rawURL string) (*redis.Options, error) {
	if rawURL == "" {
		return nil, fmt.Errorf("%w: missing, expected %s", ErrInvalidURL, urlForm)
	}

	// net/url quotes the whole URL in its errors, and a password with an
	// unescaped "/" or "@" ends up in the host, port or path that later
	// messages quote.
	if _, err := url.Parse(rawURL); err != nil {
		return nil, fmt.Errorf("%w: malformed, expected %s with the password percent-encoded "+
			"(the parser's message is not shown because it may quote the password)", ErrInvalidURL, urlForm)
	}

	opts, err := redis.ParseURL(rawURL)
	if err == nil {
		return opts, nil
	}

	if strings.Contains(rawURL, "@") {
		return nil, fmt.Errorf("%w: expected %s with the password percent-encoded "+
			"(the parser's message is not shown because the URL contains credentials)", ErrInvalidURL, urlForm)
	}

	return nil, fmt.Errorf("%w: %w", ErrInvalidURL, err)
}

// Open returns a client for the Redis URL once the server has replied to
// PING. The caller closes the client.
func Open(ctx context.Context, rawURL string) (*redis.Client, error) {
	opts, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}

	client := redis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("redisclient: connecting to Redis at %s (database %d): %w", opts.Addr, opts.DB, err)
	}

	return client, nil
}
