// Package redistest connects tests to the Redis server named by the
// PLUGIT_TEST_REDIS environment variable and keeps each test's keys apart.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/plugit-go/plugit/internal/cache/redisclient"
)

// EnvVar is the environment variable that holds the Redis URL for tests.
const EnvVar = "PLUGIT_TEST_REDIS"

// URL returns the Redis URL for tests, and skips the test when EnvVar is
// not set.
func URL(tb testing.TB) string {
	tb.Helper()

	rawURL := os.Getenv(EnvVar)
	if rawURL == "" {
		tb.Skipf("skipping: %s is not set; set it to a Redis server's URL, "+
			"such as redis://127.0.0.1:6379/0, to run the tests that need Redis", EnvVar)
	}
	return rawURL
}

// Client returns a new client for the test Redis server that is closed
// when the test ends. It skips the test when EnvVar is not set, and fails
// it when the server does not reply to PING.
func Client(tb testing.TB) *redis.Client {
	tb.Helper()

	rawURL := URL(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	client, err := redisclient.Open(ctx, rawURL)
	if err != nil {
		tb.Fatalf("%s is set but Redis is not usable: %v", EnvVar, err)
	}

	tb.Cleanup(func() { _ = client.Close() })
	return client
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// Prefix returns a key prefix of the form "plugit-test:NAME:RANDOM:" that
// no other test or run uses, and deletes the keys under it when the test
// ends.
func Prefix(tb testing.TB, client redis.UniversalClient) string {
	tb.Helper()

	name := unsafeChars.ReplaceAllString(tb.Name(), "_")
	if len(name) > 60 {
		name = name[len(name)-60:]
	}

	random := make([]byte, 6)
	_, _ = rand.Read(random) // crypto/rand.Read never returns an error.
	prefix := "plugit-test:" + name + ":" + hex.EncodeToString(random) + ":"

	tb.Cleanup(func() { deleteKeys(tb, client, prefix) })
	return prefix
}

// deleteKeys deletes the keys under the prefix. It runs after the test's
// own context is cancelled, so it uses a context of its own.
func deleteKeys(tb testing.TB, client redis.UniversalClient, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		if err := client.Del(ctx, iter.Val()).Err(); err != nil {
			tb.Errorf("deleting test key %q: %v", iter.Val(), err)
			return
		}
	}

	if err := iter.Err(); err != nil {
		tb.Errorf("listing test keys under %q: %v", prefix, err)
	}
}
