// Package sessiontest checks that an implementation of session.Store
// behaves as the interface documents. Each implementation's tests call
// Run.
package sessiontest

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/session"
)

// Expiry timings. The short ttl must pass well within expiryWait, and
// the long one must not pass during a test.
const (
	shortTTL   = 300 * time.Millisecond
	expiryWait = 700 * time.Millisecond
	longTTL    = time.Hour
)

// Run runs the conformance tests. newStore is called once per subtest and
// must return an empty store that shares no sessions with the stores of
// earlier calls.
func Run(t *testing.T, newStore func(t *testing.T) session.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s session.Store)
	}{
		{"save and load", testSaveLoad},
		{"load missing", testLoadMissing},
		{"save replaces", testSaveReplaces},
		{"delete", testDelete},
		{"delete missing", testDeleteMissing},
		{"expiry", testExpiry},
		{"save resets ttl", testSaveResetsTTL},
		{"invalid ttl", testInvalidTTL},
		{"empty id", testEmptyID},
		{"invalid UTF-8", testInvalidUTF8},
		{"saved copy", testSavedCopy},
		{"loaded copy", testLoadedCopy},
		{"ids kept apart", testIDsApart},
		{"concurrent use", testConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newStore(t))
		})
	}
}

// fullSession returns a session with a user mode, an organisation and
// values of two services.
func fullSession() *session.Session {
	s := session.New()
	s.UserMode = "adm"
	s.OrgaPK = 42
	s.OrgaName = "Radio Télévision Suisse"
	s.OrgaCodops = "chrts"
	s.SetValue("polls", "last-poll", "17")
	s.SetValue("polls", "theme", "dark ☾")
	s.SetValue("news", "lang", "fr")
	return s
}

func mustSave(t *testing.T, st session.Store, s *session.Session, ttl time.Duration) {
	t.Helper()

	if err := st.Save(t.Context(), s, ttl); err != nil {
		t.Fatalf("Save(%s): %v", s.ID, err)
	}
}

func mustLoad(t *testing.T, st session.Store, id string) *session.Session {
	t.Helper()

	s, err := st.Load(t.Context(), id)
	if err != nil {
		t.Fatalf("Load(%s): %v", id, err)
	}
	if s.ID != id {
		t.Fatalf("Load(%s) returned ID %q", id, s.ID)
	}
	return s
}

func wantNotFound(t *testing.T, st session.Store, id string) {
	t.Helper()

	s, err := st.Load(t.Context(), id)
	if !errors.Is(err, session.ErrNotFound) {
		t.Fatalf("Load(%s) = %+v, %v, want ErrNotFound", id, s, err)
	}
	if s != nil {
		t.Fatalf("Load(%s) returned ErrNotFound with session %+v, want nil", id, s)
	}
}

func wantEqual(t *testing.T, got, want *session.Session) {
	t.Helper()

	if !reflect.DeepEqual(got, want) {
		t.Fatalf("loaded session\n%+v\nwant\n%+v", got, want)
	}
}

func testSaveLoad(t *testing.T, st session.Store) {
	want := fullSession()
	mustSave(t, st, want, longTTL)

	wantEqual(t, mustLoad(t, st, want.ID), want)
}

func testLoadMissing(t *testing.T, st session.Store) {
	wantNotFound(t, st, session.RandomToken())
	wantNotFound(t, st, "")
}

func testSaveReplaces(t *testing.T, st session.Store) {
	s := fullSession()
	mustSave(t, st, s, longTTL)

	s.UserMode = "log"
	s.OrgaPK, s.OrgaName, s.OrgaCodops = 0, "", ""
	s.Values = nil
	mustSave(t, st, s, longTTL)

	wantEqual(t, mustLoad(t, st, s.ID), s)
}

func testDelete(t *testing.T, st session.Store) {
	deleted, remaining := fullSession(), fullSession()
	mustSave(t, st, deleted, longTTL)
	mustSave(t, st, remaining, longTTL)

	if err := st.Delete(t.Context(), deleted.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}

	wantNotFound(t, st, deleted.ID)
	wantEqual(t, mustLoad(t, st, remaining.ID), remaining)
}

func testDeleteMissing(t *testing.T, st session.Store) {
	if err := st.Delete(t.Context(), session.RandomToken()); err != nil {
		t.Fatalf("Delete of a missing session: %v, want nil", err)
	}
}

func testExpiry(t *testing.T, st session.Store) {
	short, long := fullSession(), fullSession()
	mustSave(t, st, short, shortTTL)
	mustSave(t, st, long, longTTL)

	time.Sleep(expiryWait)

	wantNotFound(t, st, short.ID)
	wantEqual(t, mustLoad(t, st, long.ID), long)
}

func testSaveResetsTTL(t *testing.T, st session.Store) {
	shortened, lengthened := fullSession(), fullSession()
	mustSave(t, st, shortened, longTTL)
	mustSave(t, st, shortened, shortTTL)
	mustSave(t, st, lengthened, shortTTL)
	mustSave(t, st, lengthened, longTTL)

	time.Sleep(expiryWait)

	wantNotFound(t, st, shortened.ID)
	wantEqual(t, mustLoad(t, st, lengthened.ID), lengthened)
}

func testInvalidTTL(t *testing.T, st session.Store) {
	existing := fullSession()
	mustSave(t, st, existing, longTTL)
	fresh := fullSession()

	for _, ttl := range []time.Duration{0, -1, -time.Hour} {
		if err := st.Save(t.Context(), fresh, ttl); !errors.Is(err, session.ErrInvalidTTL) {
			t.Errorf("Save with ttl %v: error %v, want ErrInvalidTTL", ttl, err)
		}

		changed := *existing
		changed.UserMode = "ano"
		if err := st.Save(t.Context(), &changed, ttl); !errors.Is(err, session.ErrInvalidTTL) {
			t.Errorf("Save of an existing session with ttl %v: error %v, want ErrInvalidTTL", ttl, err)
		}
	}

	wantNotFound(t, st, fresh.ID)
	wantEqual(t, mustLoad(t, st, existing.ID), existing)
}

func testEmptyID(t *testing.T, st session.Store) {
	s := fullSession()
	s.ID = ""

	if err := st.Save(t.Context(), s, longTTL); !errors.Is(err, session.ErrInvalidID) {
		t.Fatalf("Save with an empty id: error %v, want ErrInvalidID", err)
	}

	wantNotFound(t, st, "")
}

func testInvalidUTF8(t *testing.T, st session.Store) {
	s := fullSession()
	s.SetValue("polls", "name", "caf\xe9") // Latin-1, as an HTTP header may carry

	err := st.Save(t.Context(), s, longTTL)
	if !errors.Is(err, session.ErrInvalidValue) {
		t.Fatalf("Save with a Latin-1 value: error %v, want ErrInvalidValue", err)
	}
	if !strings.Contains(err.Error(), `"polls"`) || !strings.Contains(err.Error(), `"name"`) {
		t.Errorf("error %q does not name the key and the service", err)
	}

	wantNotFound(t, st, s.ID)
}

func testSavedCopy(t *testing.T, st session.Store) {
	s := fullSession()
	mustSave(t, st, s, longTTL)
	want := mustLoad(t, st, s.ID)

	s.UserMode = "ano"
	s.SetValue("polls", "theme", "changed after Save")

	wantEqual(t, mustLoad(t, st, s.ID), want)
}

func testLoadedCopy(t *testing.T, st session.Store) {
	s := fullSession()
	mustSave(t, st, s, longTTL)

	loaded := mustLoad(t, st, s.ID)
	loaded.CSRFToken = "changed"
	loaded.SetValue("polls", "theme", "changed after Load")
	loaded.SetValue("other", "k", "v")

	wantEqual(t, mustLoad(t, st, s.ID), s)
}

func testIDsApart(t *testing.T, st session.Store) {
	ids := []string{"a", "ab", "a:b", "a*", strings.Repeat("x", 64)}
	sessions := make([]*session.Session, len(ids))
	for i, id := range ids {
		sessions[i] = fullSession()
		sessions[i].ID = id
		sessions[i].OrgaPK = int64(i)
		mustSave(t, st, sessions[i], longTTL)
	}

	for _, s := range sessions {
		wantEqual(t, mustLoad(t, st, s.ID), s)
	}
}
