package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/plugit-go/plugit/internal/cache"
)

// ErrTooLarge is returned by MemoryStore.Save for a session larger than
// the store's whole byte budget.
var ErrTooLarge = errors.New("session: session too large for the store")

// TypicalSessionBytes is the budget that NewMemoryStore reserves per
// session. MemoryStore charges 426 bytes for a logged-in session with an
// organisation and three short service values, and 281 for a new
// anonymous one. TestTypicalSessionFitsBudget keeps the first below this.
const TypicalSessionBytes = 512

// MemoryStore keeps sessions in process memory within a byte budget, and
// evicts the least recently used sessions when full. Each session is
// stored as its JSON in a cache.Memory, which charges the id and JSON
// lengths plus cache.EntryOverhead.
type MemoryStore struct {
	cache    *cache.Memory
	maxBytes int64
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns a store with a budget of maxSessions times
// TypicalSessionBytes, at least one session's worth. Larger sessions
// leave room for fewer.
func NewMemoryStore(maxSessions int) *MemoryStore {
	maxSessions = max(maxSessions, 1)
	m, err := NewMemoryStoreBytes(int64(maxSessions) * TypicalSessionBytes)
	if err != nil {
		panic(err) // unreachable: the budget is positive
	}
	return m
}

// NewMemoryStoreBytes returns a store that holds sessions up to maxBytes,
// as charged per session. It returns an error wrapping
// cache.ErrInvalidMaxBytes when maxBytes is zero or negative.
func NewMemoryStoreBytes(maxBytes int64) (*MemoryStore, error) {
	c, err := cache.NewMemory(maxBytes)
	if err != nil {
		return nil, fmt.Errorf("session: creating memory store: %w", err)
	}

	return &MemoryStore{cache: c, maxBytes: maxBytes}, nil
}

// Load returns a copy of the session with the id.
func (m *MemoryStore) Load(ctx context.Context, id string) (*Session, error) {
	data, ok, err := m.cache.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("session: loading session: %w", err)
	}

	if !ok {
		return nil, ErrNotFound
	}

	return Decode(id, data)
}

// Save stores a copy of the session for ttl. It returns an error wrapping
// ErrTooLarge when the session alone exceeds the budget, and the errors
// of CheckTTL and Encode.
func (m *MemoryStore) Save(ctx context.Context, s *Session, ttl time.Duration) error {
	if err := CheckTTL(ttl); err != nil {
		return err
	}

	data, err := Encode(s)
	if err != nil {
		return err
	}

	if size := cache.EntrySize(s.ID, data); size > m.maxBytes {
		return fmt.Errorf("%w: %d bytes with overhead, the budget is %d bytes", ErrTooLarge, size, m.maxBytes)
	}

	if err := m.cache.Set(ctx, s.ID, data, ttl); err != nil {
		return fmt.Errorf("session: saving session: %w", err)
	}

	return nil
}

// Delete removes the session with the id.
func (m *MemoryStore) Delete(ctx context.Context, id string) error {
	return m.cache.Delete(ctx, id)
}

// Len returns the number of sessions held, expired ones included until
// they are next read or evicted.
func (m *MemoryStore) Len() int {
	return m.cache.Stats().Entries
}

// Stats returns the counters and size of the store's cache.
func (m *MemoryStore) Stats() cache.Stats {
	return m.cache.Stats()
}
