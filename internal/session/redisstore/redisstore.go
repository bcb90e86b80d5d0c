// Package redisstore implements session.Store on Redis, so that several
// proxies behind one load balancer share their users' sessions.
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/plugit-go/plugit/internal/cache/redisclient"
	"github.com/plugit-go/plugit/internal/session"
)

// DefaultPrefix is the key prefix used unless WithPrefix sets another.
const DefaultPrefix = "plugit:session:"

// Store is a session.Store on Redis. Each session is a Redis string under
// the prefix plus the session id, holding the session's JSON (see
// session.Encode), with the ttl as the key's expiry.
type Store struct {
	client redis.UniversalClient
	prefix string
	owned  bool
}

var _ session.Store = (*Store)(nil)

// Option changes a setting of New or Open.
type Option func(*Store)

// WithPrefix sets the prefix of every key the store writes. Proxies that
// share sessions use the same prefix. An empty prefix keeps DefaultPrefix.
func WithPrefix(prefix string) Option {
	return func(s *Store) {
		if prefix != "" {
			s.prefix = prefix
		}
	}
}

// New returns a store on an existing client, which the caller closes.
func New(client redis.UniversalClient, opts ...Option) *Store {
	s := &Store{client: client, prefix: DefaultPrefix}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Open connects to the Redis URL, such as redis://127.0.0.1:6379/0, and
// returns a store that owns the client, so Close closes it.
func Open(ctx context.Context, rawURL string, opts ...Option) (*Store, error) {
	client, err := redisclient.Open(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("redisstore: %w", err)
	}

	s := New(client, opts...)
	s.owned = true
	return s, nil
}

// Load returns the session with the id, or session.ErrNotFound.
func (s *Store) Load(ctx context.Context, id string) (*session.Session, error) {
	data, err := s.client.Get(ctx, s.prefix+id).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, session.ErrNotFound
	}

	if err != nil {
		return nil, fmt.Errorf("redisstore: loading session: %w", err)
	}

	sess, err := session.Decode(id, data)
	if err != nil {
		return nil, fmt.Errorf("redisstore: %w", err)
	}

	return sess, nil
}

// Save stores the session for ttl, replacing its previous value and
// expiry. It returns the errors of session.CheckTTL and session.Encode
// before writing anything.
func (s *Store) Save(ctx context.Context, sess *session.Session, ttl time.Duration) error {
	// The check also keeps go-redis v9 from reading a ttl of 0 as "no
	// expiry" and one of -1ns (redis.KeepTTL) as "keep the current one".
	if err := session.CheckTTL(ttl); err != nil {
		return err
	}

	data, err := session.Encode(sess)
	if err != nil {
		return err
	}

	if err := s.client.Set(ctx, s.prefix+sess.ID, data, ttl).Err(); err != nil {
		return fmt.Errorf("redisstore: saving session: %w", err)
	}

	return nil
}

// Delete removes the session with the id.
func (s *Store) Delete(ctx context.Context, id string) error {
	if err := s.client.Del(ctx, s.prefix+id).Err(); err != nil {
		return fmt.Errorf("redisstore: deleting session: %w", err)
	}

	return nil
}

// Close closes the client when the store was made by Open, and does
// nothing when it was made by New.
func (s *Store) Close() error {
	if !s.owned {
		return nil
	}

	return s.client.Close()
}
