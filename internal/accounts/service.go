// Package accounts implements the account logic of the hosted platform:
// password hashing with argon2id, registration, login with rate limiting,
// password changes and password resets, on top of a store.Store.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/plugit-go/plugit/internal/store"
)

// Errors of the account operations. Messages are safe to show to users.
var (
	ErrInvalidCredentials = errors.New("accounts: invalid username or password")
	ErrLockedOut          = errors.New("accounts: too many failed attempts, try again later")
	ErrRegistrationClosed = errors.New("accounts: registration is disabled")
	ErrUsernameTaken      = errors.New("accounts: username is already taken")
	ErrEmailTaken         = errors.New("accounts: e-mail address is already in use")
	ErrWrongPassword      = errors.New("accounts: current password is wrong")
	ErrNoAccount          = errors.New("accounts: no active account has this e-mail address")
	ErrInvalidResetToken  = errors.New("accounts: password reset link is invalid, used or expired")
)

// LockoutError is returned instead of checking a password when an account
// or a client address has failed too often. It wraps ErrLockedOut.
type LockoutError struct {
	// RetryAfter is how long the caller must wait before trying again.
	RetryAfter time.Duration
}

// Error returns the message with the waiting time in whole seconds.
func (e *LockoutError) Error() string {
	return fmt.Sprintf("%v (retry in %d s)", ErrLockedOut, int((e.RetryAfter+time.Second-1)/time.Second))
}

// Unwrap returns ErrLockedOut.
func (e *LockoutError) Unwrap() error {
	return ErrLockedOut
}

// Config sets up a Service. The zero value is a working configuration with
// registration disabled.
type Config struct {
	// AllowRegistration lets Register create accounts. Default: false.
	AllowRegistration bool

	// Params are the argon2id parameters of new hashes. Default:
	// DefaultParams. Hashes made with other parameters are replaced at the
	// next successful login.
	Params Params

	// AccountLimiter counts failed logins per username, and password reset
	// requests per e-mail address. Default: 5 per 15 minutes, in memory.
	AccountLimiter Limiter

	// AddressLimiter counts failed logins per client address. Default: 20
	// per 15 minutes, in memory.
	AddressLimiter Limiter

	// ResetTokenTTL is how long a password reset token is valid. Default: 1
	// hour.
	ResetTokenTTL time.Duration

	// MaxConcurrentHashes bounds the argon2id hashes computed at once, so
	// that a burst of logins cannot exhaust memory. Default: GOMAXPROCS.
	MaxConcurrentHashes int

	// Logger receives login failures, lockouts and resets. Default:
	// slog.Default().
	Logger *slog.Logger

	// Now is the clock. Default: time.Now.
	Now func() time.Time
}

// Service runs the account operations. It is safe for concurrent use.
type Service struct {
	store  store.Store
	config Config
	log    *slog.Logger
	hashes chan struct{} // one token per hash being computed

	dummyOnce sync.Once
	dummyHash string
}

// New returns a Service on st, with config's zero fields set to their
// defaults. It panics when config.Params fail Params.Validate, so callers
// that read the parameters from a configuration file check them first.
func New(st store.Store, config Config) *Service {
	if config.Params == (Params{}) {
		config.Params = DefaultParams
	}
	if err := config.Params.Validate(); err != nil {
		panic(err)
	}

	if config.Now == nil {
		config.Now = time.Now
	}
	if config.AccountLimiter == nil {
		config.AccountLimiter = NewMemoryLimiter(5, 15*time.Minute, config.Now)
	}
	if config.AddressLimiter == nil {
		config.AddressLimiter = NewMemoryLimiter(20, 15*time.Minute, config.Now)
	}
	if config.ResetTokenTTL <= 0 {
		config.ResetTokenTTL = time.Hour
	}
	if config.MaxConcurrentHashes <= 0 {
		config.MaxConcurrentHashes = runtime.GOMAXPROCS(0)
	}
	if config.Logger == nil {
		config.Logger = slog.Default()
	}

	return &Service{
		store:  st,
		config: config,
		log:    config.Logger,
		hashes: make(chan struct{}, config.MaxConcurrentHashes),
	}
}

// acquireHash waits for a free hashing slot; the caller must call
// releaseHash.
func (s *Service) acquireHash(ctx context.Context) error {
	select {
	case s.hashes <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("accounts: waiting to hash a password: %w", context.Cause(ctx))
	}
}

func (s *Service) releaseHash() {
	<-s.hashes
}

// hash returns the encoded hash of password with the configured parameters.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	if err := s.acquireHash(ctx); err != nil {
		return "", err
	}
	defer s.releaseHash()

	return HashPassword(password, s.config.Params), nil
}

// verify reports whether password matches the encoded hash. A malformed
// or empty hash matches nothing, after the same work as a wrong password,
// and a malformed one is logged.
func (s *Service) verify(ctx context.Context, user store.User, password string) (bool, error) {
	h, err := DecodeHash(user.PasswordHash)
	if err != nil {
		if user.PasswordHash != "" {
			s.log.Error("accounts: stored password hash is malformed", "user_id", user.PK, "error", err)
		}
		return false, s.burnHash(ctx, password)
	}

	if err := s.acquireHash(ctx); err != nil {
		return false, err
	}
	defer s.releaseHash()

	return h.Verify(password), nil
}

// burnHash verifies password against a hash of no account and throws the
// result away, so that a login with an unknown username takes as long as
// one with a wrong password.
func (s *Service) burnHash(ctx context.Context, password string) error {
	s.dummyOnce.Do(func() {
		s.dummyHash = HashPassword("not the password of any account", s.config.Params)
	})

	h, err := DecodeHash(s.dummyHash)
	if err != nil {
		return fmt.Errorf("accounts: decoding the hash of no account: %w", err)
	}

	if err := s.acquireHash(ctx); err != nil {
		return err
	}
	defer s.releaseHash()

	h.Verify(password)
	return nil
}
