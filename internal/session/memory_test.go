package session

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/cache"
)

// typicalSession returns a logged-in session with an organisation and
// three service values.
func typicalSession() *Session {
	s := New()
	s.UserMode = "mem"
	s.OrgaPK, s.OrgaName, s.OrgaCodops = 3, "Example Broadcasting", "exbc"
	s.SetValue("polls", "last-poll", "1234")
	s.SetValue("polls", "sort", "newest")
	s.SetValue("news", "lang", "en")
	return s
}

func TestNewMemoryStoreHoldsMaxSessions(t *testing.T) {
	const maxSessions = 100
	st := NewMemoryStore(maxSessions)

	var ids []string
	for range maxSessions {
		s := typicalSession()
		ids = append(ids, s.ID)
		if err := st.Save(t.Context(), s, time.Hour); err != nil {
			t.Fatalf("Save: %v", err)
		}
	}

	for _, id := range ids {
		if _, err := st.Load(t.Context(), id); err != nil {
			t.Fatalf("Load of one of %d typical sessions: %v", maxSessions, err)
		}
	}
	if got := st.Stats().Evictions; got != 0 {
		t.Errorf("Evictions = %d, want 0", got)
	}
}

func TestMemoryStoreEvictsLeastRecentlyUsed(t *testing.T) {
	first, second, third := typicalSession(), typicalSession(), typicalSession()
	data, err := Encode(first)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}

	// The budget fits two sessions of this size, not three.
	st, err := NewMemoryStoreBytes(2*cache.EntrySize(first.ID, data) + 10)
	if err != nil {
		t.Fatalf("NewMemoryStoreBytes: %v", err)
	}

	for _, s := range []*Session{first, second} {
		if err := st.Save(t.Context(), s, time.Hour); err != nil {
			t.Fatalf("Save: %v", err)
		}
	}
	if _, err := st.Load(t.Context(), first.ID); err != nil {
		t.Fatalf("Load(first): %v", err)
	}
	if err := st.Save(t.Context(), third, time.Hour); err != nil {
		t.Fatalf("Save(third): %v", err)
	}

	for name, id := range map[string]string{"first": first.ID, "third": third.ID} {
		if _, err := st.Load(t.Context(), id); err != nil {
			t.Errorf("Load(%s): %v, want it kept", name, err)
		}
	}
	if _, err := st.Load(t.Context(), second.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load(second): error %v, want ErrNotFound: it was the least recently used", err)
	}
}

func TestMemoryStoreTooLarge(t *testing.T) {
	st, err := NewMemoryStoreBytes(1024)
	if err != nil {
		t.Fatalf("NewMemoryStoreBytes: %v", err)
	}

	s := typicalSession()
	if err := st.Save(t.Context(), s, time.Hour); err != nil {
		t.Fatalf("Save: %v", err)
	}

	s.SetValue("polls", "big", strings.Repeat("x", 1024))
	err = st.Save(t.Context(), s, time.Hour)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Save of a session larger than the budget: error %v, want ErrTooLarge", err)
	}

	loaded, err := st.Load(t.Context(), s.ID)
	if err != nil {
		t.Fatalf("Load after the failed Save: %v, want the previous session kept", err)
	}
	if _, ok := loaded.Values["polls"]["big"]; ok {
		t.Error("the session that was too large was stored")
	}
}

func TestNewMemoryStoreBytesInvalid(t *testing.T) {
	for _, maxBytes := range []int64{0, -5} {
		_, err := NewMemoryStoreBytes(maxBytes)
		if !errors.Is(err, cache.ErrInvalidMaxBytes) {
			t.Errorf("NewMemoryStoreBytes(%d): error %v, want cache.ErrInvalidMaxBytes", maxBytes, err)
		}
	}
}

func TestMemoryStoreLen(t *testing.T) {
	st := NewMemoryStore(10)
	for i := range 3 {
		if err := st.Save(t.Context(), typicalSession(), time.Hour); err != nil {
			t.Fatalf("Save %d: %v", i, err)
		}
	}

	if got := st.Len(); got != 3 {
		t.Errorf("Len = %d, want 3", got)
	}
}

func TestTypicalSessionFitsBudget(t *testing.T) {
	s := typicalSession()
	data, err := Encode(s)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}

	size := cache.EntrySize(s.ID, data)
	if size > TypicalSessionBytes {
		t.Errorf("a typical session is charged %d bytes, more than TypicalSessionBytes (%d)", size, TypicalSessionBytes)
	}
}
