package session

import (
	"container/list"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// MemoryStore keeps sessions in process memory, at most a fixed number of
// them: when full, it evicts the least recently used session.
type MemoryStore struct {
	mu      sync.Mutex
	max     int
	entries map[string]*list.Element
	order   *list.List // front: most recently used
	now     func() time.Time
}

type memoryEntry struct {
	id      string
	data    []byte
	expires time.Time
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns a store that holds at most maxSessions sessions.
func NewMemoryStore(maxSessions int) *MemoryStore {
	if maxSessions < 1 {
		maxSessions = 1
	}
	return &MemoryStore{
		max:     maxSessions,
		entries: map[string]*list.Element{},
		order:   list.New(),
		now:     time.Now,
	}
}

// Load returns a copy of the session with the id.
func (m *MemoryStore) Load(_ context.Context, id string) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()

	el, ok := m.entries[id]
	if !ok {
		return nil, ErrNotFound
	}

	e := el.Value.(*memoryEntry)
	if m.now().After(e.expires) {
		m.remove(el)
		return nil, ErrNotFound
	}
	m.order.MoveToFront(el)

	s := &Session{}
	if err := json.Unmarshal(e.data, s); err != nil {
		return nil, fmt.Errorf("session: decoding session: %w", err)
	}
	s.ID = id
	return s, nil
}

// Save stores a copy of the session.
func (m *MemoryStore) Save(_ context.Context, s *Session, ttl time.Duration) error {
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("session: encoding session: %w", err)
	}

	m.mu.Lock()
	defer m.mu.Unlock()

	expires := m.now().Add(ttl)
	if el, ok := m.entries[s.ID]; ok {
		e := el.Value.(*memoryEntry)
		e.data, e.expires = data, expires
		m.order.MoveToFront(el)
		return nil
	}

	for m.order.Len() >= m.max {
		m.remove(m.order.Back())
	}
	m.entries[s.ID] = m.order.PushFront(&memoryEntry{id: s.ID, data: data, expires: expires})
	return nil
}

// Delete removes the session with the id.
func (m *MemoryStore) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()

	if el, ok := m.entries[id]; ok {
		m.remove(el)
	}
	return nil
}

// Len returns the number of sessions held, expired ones included until
// they are next touched or evicted.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.order.Len()
}

func (m *MemoryStore) remove(el *list.Element) {
	m.order.Remove(el)
	delete(m.entries, el.Value.(*memoryEntry).id)
}
