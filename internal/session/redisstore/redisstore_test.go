package redisstore_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/cache/redisclient"
	"github.com/plugit-go/plugit/internal/cache/redistest"
	"github.com/plugit-go/plugit/internal/session"
	"github.com/plugit-go/plugit/internal/session/redisstore"
	"github.com/plugit-go/plugit/internal/session/sessiontest"
)

func TestConformance(t *testing.T) {
	redistest.URL(t)
	sessiontest.Run(t, func(t *testing.T) session.Store {
		client := redistest.Client(t)
		return redisstore.New(client, redisstore.WithPrefix(redistest.Prefix(t, client)))
	})
}

// TestInstancesShareSessions opens two stores with clients of their own,
// as two proxies would, and checks that a browser logged in through one
// is known to the other.
func TestInstancesShareSessions(t *testing.T) {
	rawURL := redistest.URL(t)
	prefix := redistest.Prefix(t, redistest.Client(t))
	first := openStore(t, rawURL, prefix)
	second := openStore(t, rawURL, prefix)

	sess := session.New()
	sess.UserMode = "log"
	sess.SetValue("polls", "last-poll", "7")
	if err := first.Save(t.Context(), sess, time.Hour); err != nil {
		t.Fatalf("Save on the first store: %v", err)
	}

	got, err := second.Load(t.Context(), sess.ID)
	if err != nil {
		t.Fatalf("Load on the second store: %v", err)
	}
	if !reflect.DeepEqual(got, sess) {
		t.Fatalf("second store loaded %+v, want %+v", got, sess)
	}

	got.UserMode = "adm"
	if err := second.Save(t.Context(), got, time.Hour); err != nil {
		t.Fatalf("Save on the second store: %v", err)
	}

	again, err := first.Load(t.Context(), sess.ID)
	if err != nil || again.UserMode != "adm" {
		t.Fatalf("first store loaded %+v, %v, want the second store's change", again, err)
	}

	if err := first.Delete(t.Context(), sess.ID); err != nil {
		t.Fatalf("Delete on the first store: %v", err)
	}

	if _, err := second.Load(t.Context(), sess.ID); !errors.Is(err, session.ErrNotFound) {
		t.Fatalf("Load on the second store after Delete: error %v, want ErrNotFound", err)
	}
}

func TestPrefixesSeparateSessions(t *testing.T) {
	client := redistest.Client(t)
	first := redisstore.New(client, redisstore.WithPrefix(redistest.Prefix(t, client)))
	second := redisstore.New(client, redisstore.WithPrefix(redistest.Prefix(t, client)))

	sess := session.New()
	if err := first.Save(t.Context(), sess, time.Hour); err != nil {
		t.Fatalf("Save: %v", err)
	}

	if _, err := second.Load(t.Context(), sess.ID); !errors.Is(err, session.ErrNotFound) {
		t.Fatalf("Load under another prefix: error %v, want ErrNotFound", err)
	}
}

// TestStoredForm checks the key, value and expiry that other tools see in
// Redis: the default prefix, the session's JSON without the id, and the
// ttl.
func TestStoredForm(t *testing.T) {
	client := redistest.Client(t)
	st := redisstore.New(client)
	sess := session.New()
	sess.ID = "test-" + rand.Text()
	sess.UserMode = "mem"
	key := redisstore.DefaultPrefix + sess.ID
	t.Cleanup(func() { _ = client.Del(context.Background(), key).Err() })

	if err := st.Save(t.Context(), sess, 10*time.Minute); err != nil {
		t.Fatalf("Save: %v", err)
	}

	data, err := client.Get(t.Context(), key).Bytes()
	if err != nil {
		t.Fatalf("Redis GET %s: %v", key, err)
	}
	var stored map[string]any
	if err := json.Unmarshal(data, &stored); err != nil {
		t.Fatalf("stored value %q is not JSON: %v", data, err)
	}
	if stored["user_mode"] != "mem" || stored["csrf_token"] != sess.CSRFToken {
		t.Errorf("stored value %s does not hold the session's fields", data)
	}
	if strings.Contains(string(data), sess.ID) {
		t.Errorf("stored value %s repeats the id of its key", data)
	}

	ttl, err := client.PTTL(t.Context(), key).Result()
	if err != nil || ttl <= 9*time.Minute || ttl > 10*time.Minute {
		t.Errorf("Redis PTTL = %v, %v, want about 10 minutes", ttl, err)
	}
}

func TestLoadCorruptValue(t *testing.T) {
	client := redistest.Client(t)
	prefix := redistest.Prefix(t, client)
	st := redisstore.New(client, redisstore.WithPrefix(prefix))

	if err := client.Set(t.Context(), prefix+"broken", "{not json", time.Hour).Err(); err != nil {
		t.Fatalf("Redis SET: %v", err)
	}

	_, err := st.Load(t.Context(), "broken")
	if err == nil || errors.Is(err, session.ErrNotFound) {
		t.Fatalf("Load of a corrupt value: error %v, want a decoding error", err)
	}
	if !strings.Contains(err.Error(), "decoding") {
		t.Errorf("error %q does not say that decoding failed", err)
	}

	if n, err := client.Exists(t.Context(), prefix+"broken").Result(); err != nil || n != 1 {
		t.Errorf("Redis EXISTS after the failed Load = %d, %v, want the value kept", n, err)
	}
}

func TestOpenInvalidURL(t *testing.T) {
	_, err := redisstore.Open(t.Context(), "redis://127.0.0.1:6379/notanumber")
	if !errors.Is(err, redisclient.ErrInvalidURL) {
		t.Fatalf("Open: error %v, want ErrInvalidURL", err)
	}
}

func TestOpenUnreachable(t *testing.T) {
	// Nothing listens on port 1 of the loopback address.
	_, err := redisstore.Open(t.Context(), "redis://127.0.0.1:1/0")
	if err == nil {
		t.Fatal("Open succeeded with no server listening")
	}
	if !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("error %q does not name the address", err)
	}
}

func openStore(t *testing.T, rawURL, prefix string) *redisstore.Store {
	t.Helper()

	st, err := redisstore.Open(t.Context(), rawURL, redisstore.WithPrefix(prefix))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}

	t.Cleanup(func() { _ = st.Close() })
	return st
}
