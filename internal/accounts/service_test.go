package accounts

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/internal/store/storetest"
)

// forEachStore runs test on a new SQLite store, and on a new PostgreSQL
// schema when PLUGIT_TEST_POSTGRES is set.
func forEachStore(t *testing.T, test func(t *testing.T, st store.Store)) {
	t.Run("sqlite", func(t *testing.T) { test(t, storetest.OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { test(t, storetest.OpenPostgres(t)) })
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type fixture struct {
	st    store.Store
	svc   *Service
	clock *clock
	logs  *syncBuffer
}

func newFixture(t *testing.T, st store.Store, change func(*Config)) *fixture {
	t.Helper()

	f := &fixture{st: st, clock: newClock(), logs: &syncBuffer{}}
	config := Config{
		AllowRegistration: true,
		Params:            fastParams,
		Logger:            slog.New(slog.NewTextHandler(f.logs, nil)),
		Now:               f.clock.Now,
	}
	if change != nil {
		change(&config)
	}
	f.svc = New(st, config)
	return f
}

const alicePassword = "correct horse battery"

func (f *fixture) createAlice(t *testing.T) store.User {
	t.Helper()

	u, err := f.svc.CreateAccount(t.Context(), NewAccount{
		Username: "alice", Email: "alice@example.org", Password: alicePassword, FirstName: "Alice",
	})
	if err != nil {
		t.Fatalf("creating alice: %v", err)
	}
	return u
}

func (f *fixture) login(t *testing.T, username, password, addr string) error {
	t.Helper()

	_, err := f.svc.Authenticate(t.Context(), username, password, addr)
	return err
}

func TestRegister(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		ctx := t.Context()

		u, err := f.svc.Register(ctx, NewAccount{
			Username: "Alice", Email: "alice@example.org", Password: alicePassword, FirstName: "Alice", LastName: "L",
		})
		if err != nil {
			t.Fatalf("Register: %v", err)
		}
		if !u.IsActive || u.IsPlatformAdmin || u.FirstName != "Alice" || u.LastName != "L" {
			t.Errorf("registered user %+v, want an active non-admin Alice L", u)
		}
		if !u.CreatedAt.Equal(f.clock.Now()) {
			t.Errorf("CreatedAt = %v, want the clock's %v", u.CreatedAt, f.clock.Now())
		}

		stored, err := st.UserByPK(ctx, u.PK)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored.PasswordHash, alicePassword) {
			t.Fatal("the stored hash contains the password")
		}
		if ok, err := VerifyPassword(alicePassword, stored.PasswordHash); !ok || err != nil {
			t.Errorf("stored hash does not verify the password: %t, %v", ok, err)
		}
	})
}

func TestRegisterRejects(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		f.createAlice(t)

		tests := []struct {
			name    string
			account NewAccount
			want    error
		}{
			{"taken username", NewAccount{Username: "alice", Email: "new@example.org", Password: alicePassword},
				ErrUsernameTaken},
			{"taken username in other case", NewAccount{Username: "ALICE", Email: "new@example.org", Password: alicePassword},
				ErrUsernameTaken},
			{"taken email", NewAccount{Username: "bob", Email: "Alice@Example.org", Password: alicePassword}, ErrEmailTaken},
			{"invalid username", NewAccount{Username: "b", Email: "b@example.org", Password: alicePassword}, ErrInvalid},
			{"invalid email", NewAccount{Username: "bob", Email: "bob", Password: alicePassword}, ErrInvalid},
			{"short password", NewAccount{Username: "bob", Email: "bob@example.org", Password: "123456789"}, ErrInvalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.svc.Register(t.Context(), tt.account)
				if !errors.Is(err, tt.want) {
					t.Errorf("Register error %v, want %v", err, tt.want)
				}
			})
		}

		users, err := st.ListUsers(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 1 {
			t.Errorf("%d users after the rejected registrations, want only alice", len(users))
		}
	})
}

func TestRegisterClosed(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, func(c *Config) { c.AllowRegistration = false })
		ctx := t.Context()
		bob := NewAccount{Username: "bob", Email: "bob@example.org", Password: alicePassword}

		if _, err := f.svc.Register(ctx, bob); !errors.Is(err, ErrRegistrationClosed) {
			t.Errorf("Register with registration disabled: %v, want ErrRegistrationClosed", err)
		}

		// An administrator still creates accounts, platform administrators
		// included.
		bob.IsPlatformAdmin = true
		u, err := f.svc.CreateAccount(ctx, bob)
		if err != nil {
			t.Fatalf("CreateAccount: %v", err)
		}
		if !u.IsPlatformAdmin {
			t.Error("CreateAccount did not make a platform administrator")
		}
	})
}

func TestRegisterRefusesPlatformAdmin(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		_, err := f.svc.Register(t.Context(), NewAccount{
			Username: "mallory", Email: "m@example.org", Password: alicePassword, IsPlatformAdmin: true,
		})
		if err == nil {
			t.Fatal("Register created a platform administrator")
		}
		if _, err := st.UserByUsername(t.Context(), "mallory"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("user was stored: %v", err)
		}
	})
}

func TestAuthenticate(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		alice := f.createAlice(t)

		u, err := f.svc.Authenticate(t.Context(), "alice", alicePassword, "192.0.2.1")
		if err != nil {
			t.Fatalf("Authenticate: %v", err)
		}
		if u.PK != alice.PK {
			t.Errorf("Authenticate returned user %d, want %d", u.PK, alice.PK)
		}
		if err := f.login(t, "ALICE", alicePassword, "192.0.2.1"); err != nil {
			t.Errorf("username in other case: %v, want success", err)
		}

		wrong := f.login(t, "alice", "wrong password", "192.0.2.1")
		unknown := f.login(t, "nobody", alicePassword, "192.0.2.1")
		empty := f.login(t, "alice", "", "192.0.2.1")
		for name, err := range map[string]error{"wrong password": wrong, "unknown user": unknown, "empty password": empty} {
			if !errors.Is(err, ErrInvalidCredentials) {
				t.Errorf("%s: %v, want ErrInvalidCredentials", name, err)
			}
		}
		if wrong.Error() != unknown.Error() {
			t.Errorf("messages differ: wrong password %q, unknown user %q", wrong, unknown)
		}

		logs := f.logs.String()
		if !strings.Contains(logs, "login failed") {
			t.Errorf("failed logins were not logged; logs:\n%s", logs)
		}
		if strings.Contains(logs, alicePassword) || strings.Contains(logs, "wrong password") {
			t.Errorf("the logs contain a password:\n%s", logs)
		}
	})
}

func TestAuthenticateInactive(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		alice := f.createAlice(t)
		if err := st.SetActive(t.Context(), alice.PK, false); err != nil {
			t.Fatal(err)
		}

		if err := f.login(t, "alice", alicePassword, ""); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("inactive account with the right password: %v, want ErrInvalidCredentials", err)
		}
	})
}

func TestAuthenticateLocksAccount(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		f.createAlice(t)

		for i := range 5 {
			addr := "192.0.2." + strconv.Itoa(i+1) // a new address each time
			if err := f.login(t, "alice", "wrong password", addr); !errors.Is(err, ErrInvalidCredentials) {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}

		f.clock.Advance(time.Minute)
		err := f.login(t, "alice", alicePassword, "198.51.100.7")
		var lockout *LockoutError
		if !errors.As(err, &lockout) || !errors.Is(err, ErrLockedOut) {
			t.Fatalf("right password after 5 failures: %v, want a LockoutError", err)
		}
		if lockout.RetryAfter != 14*time.Minute {
			t.Errorf("RetryAfter = %v, want 14m", lockout.RetryAfter)
		}
		if !strings.Contains(err.Error(), "retry in 840 s") {
			t.Errorf("message %q does not give the wait in seconds", err)
		}

		f.clock.Advance(14 * time.Minute)
		if err := f.login(t, "alice", alicePassword, "198.51.100.7"); err != nil {
			t.Errorf("after 15 minutes: %v, want success", err)
		}
	})
}

func TestAuthenticateLocksUnknownUsername(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)

		for range 5 {
			if err := f.login(t, "ghost", "guess", ""); !errors.Is(err, ErrInvalidCredentials) {
				t.Fatalf("unknown user: %v", err)
			}
		}
		if err := f.login(t, "ghost", "guess", ""); !errors.Is(err, ErrLockedOut) {
			t.Errorf("unknown username after 5 failures: %v, want ErrLockedOut as for a real one", err)
		}
	})
}

func TestAuthenticateLocksAddress(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		f.createAlice(t)

		for i := range 20 {
			username := "user" + strconv.Itoa(i) // 20 usernames, 1 failure each
			if err := f.login(t, username, "guess", "203.0.113.9"); !errors.Is(err, ErrInvalidCredentials) {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}

		if err := f.login(t, "alice", alicePassword, "203.0.113.9"); !errors.Is(err, ErrLockedOut) {
			t.Errorf("right password from an address with 20 failures: %v, want ErrLockedOut", err)
		}
		if err := f.login(t, "alice", alicePassword, "203.0.113.10"); err != nil {
			t.Errorf("from another address: %v, want success", err)
		}
		if err := f.login(t, "alice", alicePassword, ""); err != nil {
			t.Errorf("with no address: %v, want success", err)
		}
	})
}

func TestAuthenticateSuccessClearsAccountOnly(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		f.createAlice(t)
		const addr = "192.0.2.50"

		// 4 failures, a success, 4 failures: the account is not locked,
		// because the success cleared the first 4.
		for round := range 2 {
			for range 4 {
				if err := f.login(t, "alice", "wrong password", addr); !errors.Is(err, ErrInvalidCredentials) {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if err := f.login(t, "alice", alicePassword, addr); err != nil {
				t.Fatalf("success in round %d: %v", round, err)
			}
		}

		// The address keeps its 8 failures: 12 more lock it.
		for i := range 12 {
			username := "nobody" + strconv.Itoa(i) // one failure per username
			if err := f.login(t, username, "guess", addr); !errors.Is(err, ErrInvalidCredentials) {
				t.Fatalf("address failure %d: %v", 9+i, err)
			}
			if i%4 == 3 {
				f.clock.Advance(time.Second) // spread over time; the window is 15 minutes
			}
		}
		if err := f.login(t, "alice", alicePassword, addr); !errors.Is(err, ErrLockedOut) {
			t.Errorf("address with 20 failures around two successes: %v, want ErrLockedOut", err)
		}
	})
}

// TestAuthenticateLockedOutSkipsHash holds the only hashing slot: an
// attempt that checked a password would wait for it until its context
// ends.
func TestAuthenticateLockedOutSkipsHash(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite(t), func(c *Config) { c.MaxConcurrentHashes = 1 })
	f.createAlice(t)
	for range 5 {
		_ = f.login(t, "alice", "wrong password", "")
	}

	f.svc.hashes <- struct{}{}
	defer f.svc.releaseHash()

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := f.svc.Authenticate(ctx, "alice", alicePassword, "")
	if !errors.Is(err, ErrLockedOut) {
		t.Errorf("locked-out attempt: %v, want ErrLockedOut without waiting to hash", err)
	}
}

func TestAuthenticateWaitsForHashSlot(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite(t), func(c *Config) { c.MaxConcurrentHashes = 1 })
	f.createAlice(t)

	f.svc.hashes <- struct{}{}
	defer f.svc.releaseHash()

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := f.svc.Authenticate(ctx, "alice", alicePassword, "")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("login with every hashing slot busy and a canceled context: %v, want context.Canceled", err)
	}
}

func TestAuthenticateRehashes(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		old := newFixture(t, st, nil)
		alice := old.createAlice(t)

		newParams := Params{Time: 2, Memory: 128, Threads: 2, SaltLen: 16, KeyLen: 32}
		f := newFixture(t, st, func(c *Config) { c.Params = newParams })
		if err := f.login(t, "alice", alicePassword, ""); err != nil {
			t.Fatalf("login with an old-parameter hash: %v", err)
		}

		stored, err := st.UserByPK(t.Context(), alice.PK)
		if err != nil {
			t.Fatal(err)
		}
		h, err := DecodeHash(stored.PasswordHash)
		if err != nil {
			t.Fatal(err)
		}
		if h.Params != newParams {
			t.Errorf("hash parameters after login %+v, want %+v", h.Params, newParams)
		}
		if !h.Verify(alicePassword) {
			t.Error("the new hash does not verify the password")
		}
	})
}

func TestAuthenticateMalformedHash(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		alice := f.createAlice(t)
		if err := st.SetPasswordHash(t.Context(), alice.PK, "md5$legacy"); err != nil {
			t.Fatal(err)
		}

		if err := f.login(t, "alice", alicePassword, ""); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("malformed stored hash: %v, want ErrInvalidCredentials", err)
		}
		if !strings.Contains(f.logs.String(), "stored password hash is malformed") {
			t.Errorf("no log line names the malformed hash; logs:\n%s", f.logs)
		}

		// An account without a password cannot log in, even with an empty one.
		if err := st.SetPasswordHash(t.Context(), alice.PK, ""); err != nil {
			t.Fatal(err)
		}
		if err := f.login(t, "alice", "", ""); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("account without a password: %v, want ErrInvalidCredentials", err)
		}
	})
}

func TestChangePassword(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		alice := f.createAlice(t)
		ctx := t.Context()
		const replacement = "a brand new passphrase"

		if err := f.svc.ChangePassword(ctx, alice.PK, "wrong password", replacement); !errors.Is(err, ErrWrongPassword) {
			t.Errorf("wrong current password: %v, want ErrWrongPassword", err)
		}
		if err := f.svc.ChangePassword(ctx, alice.PK, alicePassword, "short"); !errors.Is(err, ErrInvalid) {
			t.Errorf("short new password: %v, want ErrInvalid", err)
		}
		if err := f.svc.ChangePassword(ctx, 999, alicePassword, replacement); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown user: %v, want store.ErrNotFound", err)
		}
		if err := f.login(t, "alice", alicePassword, ""); err != nil {
			t.Fatalf("failed changes changed the password: %v", err)
		}

		if err := f.svc.ChangePassword(ctx, alice.PK, alicePassword, replacement); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		if err := f.login(t, "alice", alicePassword, ""); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("old password after the change: %v, want ErrInvalidCredentials", err)
		}
		if err := f.login(t, "alice", replacement, ""); err != nil {
			t.Errorf("new password: %v, want success", err)
		}
	})
}

func TestChangePasswordLocksOut(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		alice := f.createAlice(t)

		for range 5 {
			_ = f.svc.ChangePassword(t.Context(), alice.PK, "wrong password", "a brand new passphrase")
		}
		err := f.svc.ChangePassword(t.Context(), alice.PK, alicePassword, "a brand new passphrase")
		if !errors.Is(err, ErrLockedOut) {
			t.Errorf("change after 5 wrong current passwords: %v, want ErrLockedOut", err)
		}
		if err := f.login(t, "alice", alicePassword, ""); !errors.Is(err, ErrLockedOut) {
			t.Errorf("login after 5 wrong current passwords: %v, want ErrLockedOut", err)
		}
	})
}

// BenchmarkAuthenticate logs in with DefaultParams on SQLite: one store
// lookup and one argon2id hash per login.
func BenchmarkAuthenticate(b *testing.B) {
	st := storetest.OpenSQLite(b)
	svc := New(st, Config{Logger: slog.New(slog.DiscardHandler)})
	alice := NewAccount{Username: "alice", Email: "alice@example.org", Password: alicePassword}
	_, err := svc.CreateAccount(b.Context(), alice)
	if err != nil {
		b.Fatal(err)
	}

	for b.Loop() {
		if _, err := svc.Authenticate(b.Context(), "alice", alicePassword, ""); err != nil {
			b.Fatal(err)
		}
	}
}
