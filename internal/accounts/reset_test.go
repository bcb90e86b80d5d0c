package accounts

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/internal/store/storetest"
)

// mailbox is a Mailer that keeps the links it is given, as an SMTP server
// would keep the mails.
type mailbox struct {
	mu    sync.Mutex
	links map[int64][]string // by user PK
	err   error
}

func (m *mailbox) SendPasswordReset(_ context.Context, user store.User, link string) error {
	m.mu.Lock()
	defer m.mu.Unlock()

	if m.err != nil {
		return m.err
	}
	if m.links == nil {
		m.links = map[int64][]string{}
	}
	m.links[user.PK] = append(m.links[user.PK], link)
	return nil
}

func (m *mailbox) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()

	n := 0
	for _, links := range m.links {
		n += len(links)
	}
	return n
}

func resetLink(token string) string {
	return "https://plugit.example.org/reset?token=" + token
}

// tokenOf returns the token of the newest link mailed to the user.
func (m *mailbox) tokenOf(t *testing.T, userPK int64) string {
	t.Helper()

	m.mu.Lock()
	defer m.mu.Unlock()

	links := m.links[userPK]
	if len(links) == 0 {
		t.Fatalf("no reset link was mailed to user %d", userPK)
	}
	token, ok := strings.CutPrefix(links[len(links)-1], "https://plugit.example.org/reset?token=")
	if !ok || token == "" {
		t.Fatalf("mailed link %q has no token", links[len(links)-1])
	}
	return token
}

func TestPasswordReset(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		alice := f.createAlice(t)
		ctx := t.Context()
		mails := &mailbox{}
		const replacement = "reset passphrase 42"

		if err := f.svc.RequestPasswordReset(ctx, "ALICE@example.org", resetLink, mails); err != nil {
			t.Fatalf("RequestPasswordReset: %v", err)
		}
		token := mails.tokenOf(t, alice.PK)
		if len(token) < 26 {
			t.Errorf("token %q is shorter than 26 characters (128 bits)", token)
		}

		u, err := f.svc.CompletePasswordReset(ctx, token, replacement)
		if err != nil {
			t.Fatalf("CompletePasswordReset: %v", err)
		}
		if u.PK != alice.PK {
			t.Errorf("reset user %d, want %d", u.PK, alice.PK)
		}
		if err := f.login(t, "alice", replacement, ""); err != nil {
			t.Errorf("login with the new password: %v", err)
		}
		if err := f.login(t, "alice", alicePassword, ""); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("login with the old password: %v, want ErrInvalidCredentials", err)
		}

		_, err = f.svc.CompletePasswordReset(ctx, token, "yet another passphrase")
		if !errors.Is(err, ErrInvalidResetToken) {
			t.Errorf("second use of the token: %v, want ErrInvalidResetToken", err)
		}
		if strings.Contains(f.logs.String(), token) {
			t.Error("the logs contain the reset token")
		}
	})
}

func TestPasswordResetUnknownEmail(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		alice := f.createAlice(t)
		mails := &mailbox{}

		if err := f.svc.RequestPasswordReset(t.Context(), "nobody@example.org", resetLink, mails); err != nil {
			t.Errorf("unknown address: %v, want nil so callers reply the same way", err)
		}

		if err := st.SetActive(t.Context(), alice.PK, false); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RequestPasswordReset(t.Context(), "alice@example.org", resetLink, mails); err != nil {
			t.Errorf("inactive account: %v, want nil", err)
		}
		if _, _, err := f.svc.StartPasswordReset(t.Context(), "alice@example.org"); !errors.Is(err, ErrNoAccount) {
			t.Errorf("StartPasswordReset of an inactive account: %v, want ErrNoAccount", err)
		}
		if n := mails.count(); n != 0 {
			t.Errorf("%d mails sent, want none", n)
		}
	})
}

func TestPasswordResetExpires(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, func(c *Config) { c.ResetTokenTTL = 30 * time.Minute })
		f.createAlice(t)

		_, token, err := f.svc.StartPasswordReset(t.Context(), "alice@example.org")
		if err != nil {
			t.Fatal(err)
		}

		f.clock.Advance(30 * time.Minute)
		_, err = f.svc.CompletePasswordReset(t.Context(), token, "reset passphrase 42")
		if !errors.Is(err, ErrInvalidResetToken) {
			t.Errorf("token 30 minutes old: %v, want ErrInvalidResetToken", err)
		}
		if err := f.login(t, "alice", alicePassword, ""); err != nil {
			t.Errorf("the expired token changed the password: %v", err)
		}
	})
}

func TestPasswordResetInvalidPasswordKeepsToken(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		f.createAlice(t)

		_, token, err := f.svc.StartPasswordReset(t.Context(), "alice@example.org")
		if err != nil {
			t.Fatal(err)
		}

		if _, err := f.svc.CompletePasswordReset(t.Context(), token, "short"); !errors.Is(err, ErrInvalid) {
			t.Fatalf("short password: %v, want ErrInvalid", err)
		}
		if _, err := f.svc.CompletePasswordReset(t.Context(), token, "reset passphrase 42"); err != nil {
			t.Errorf("token after a rejected password: %v, want it still usable", err)
		}
	})
}

func TestPasswordResetEndsOtherTokens(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		f.createAlice(t)

		_, first, err := f.svc.StartPasswordReset(t.Context(), "alice@example.org")
		if err != nil {
			t.Fatal(err)
		}
		_, second, err := f.svc.StartPasswordReset(t.Context(), "alice@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if first == second {
			t.Fatal("two reset tokens are equal")
		}

		if _, err := f.svc.CompletePasswordReset(t.Context(), second, "reset passphrase 42"); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.CompletePasswordReset(t.Context(), first, "other passphrase 43")
		if !errors.Is(err, ErrInvalidResetToken) {
			t.Errorf("older token after a reset: %v, want ErrInvalidResetToken", err)
		}
	})
}

func TestPasswordResetInactiveAccount(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		alice := f.createAlice(t)

		_, token, err := f.svc.StartPasswordReset(t.Context(), "alice@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetActive(t.Context(), alice.PK, false); err != nil {
			t.Fatal(err)
		}

		_, err = f.svc.CompletePasswordReset(t.Context(), token, "reset passphrase 42")
		if !errors.Is(err, ErrInvalidResetToken) {
			t.Errorf("reset of an account disabled since: %v, want ErrInvalidResetToken", err)
		}
	})
}

func TestPasswordResetClearsLockout(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		f.createAlice(t)
		for range 5 {
			_ = f.login(t, "alice", "wrong password", "")
		}

		_, token, err := f.svc.StartPasswordReset(t.Context(), "alice@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CompletePasswordReset(t.Context(), token, "reset passphrase 42"); err != nil {
			t.Fatal(err)
		}
		if err := f.login(t, "alice", "reset passphrase 42", ""); err != nil {
			t.Errorf("login after a reset of a locked-out account: %v, want success", err)
		}
	})
}

func TestPasswordResetRequestLimit(t *testing.T) {
	forEachStore(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st, nil)
		f.createAlice(t)
		mails := &mailbox{}

		for _, email := range []string{"alice@example.org", "nobody@example.org"} {
			for i := range 5 {
				if err := f.svc.RequestPasswordReset(t.Context(), email, resetLink, mails); err != nil {
					t.Fatalf("%s, request %d: %v", email, i+1, err)
				}
			}
			err := f.svc.RequestPasswordReset(t.Context(), email, resetLink, mails)
			if !errors.Is(err, ErrLockedOut) {
				t.Errorf("%s, request 6: %v, want ErrLockedOut", email, err)
			}
		}
		if n := mails.count(); n != 5 {
			t.Errorf("%d mails sent, want 5 (to alice only)", n)
		}
	})
}

func TestPasswordResetMailerError(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite(t), nil)
	alice := f.createAlice(t)
	mails := &mailbox{err: errors.New("smtp: connection refused")}

	err := f.svc.RequestPasswordReset(t.Context(), "alice@example.org", resetLink, mails)
	if err == nil || !strings.Contains(err.Error(), "smtp: connection refused") {
		t.Errorf("error %v, want the mailer's error", err)
	}
	if !strings.Contains(err.Error(), "user "+strconv.FormatInt(alice.PK, 10)) {
		t.Errorf("error %q does not name the user", err)
	}
}
