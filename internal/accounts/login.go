package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/plugit-go/plugit/internal/store"
)

func accountKey(username string) string {
	return "login:" + strings.ToLower(username)
}

func addressKey(clientAddr string) string {
	return "login-address:" + clientAddr
}

// Authenticate returns the active user with the username and password.
//
// A username or client address over its limit (Config.AccountLimiter,
// Config.AddressLimiter) gets a *LockoutError before any password check.
// An empty clientAddr skips the per-address limit. An unknown username, a
// wrong password and an inactive account all return ErrInvalidCredentials
// after computing one hash, so that the reply does not tell which usernames
// exist and takes about as long either way. A successful login clears the username's failures
// but not the address's, so that one valid account cannot clear an address
// that tries many others.
func (s *Service) Authenticate(ctx context.Context, username, password, clientAddr string) (store.User, error) {
	if err := s.checkLockout(ctx, username, clientAddr); err != nil {
		return store.User{}, err
	}

	user, err := s.store.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		if err := s.burnHash(ctx, password); err != nil {
			return store.User{}, err
		}

		s.loginFailed(ctx, username, clientAddr, store.User{})
		return store.User{}, ErrInvalidCredentials
	}
	if err != nil {
		return store.User{}, fmt.Errorf("accounts: logging in: %w", err)
	}

	ok, err := s.verify(ctx, user, password)
	if err != nil {
		return store.User{}, err
	}

	if !ok || !user.IsActive {
		s.loginFailed(ctx, username, clientAddr, user)
		return store.User{}, ErrInvalidCredentials
	}

	s.loginSucceeded(ctx, user, password)
	return user, nil
}

// checkLockout returns a *LockoutError when the username or the address
// must wait.
func (s *Service) checkLockout(ctx context.Context, username, clientAddr string) error {
	wait, err := s.config.AccountLimiter.Wait(ctx, accountKey(username))
	if err != nil {
		return fmt.Errorf("accounts: checking login limit: %w", err)
	}

	if clientAddr != "" {
		addressWait, err := s.config.AddressLimiter.Wait(ctx, addressKey(clientAddr))
		if err != nil {
			return fmt.Errorf("accounts: checking login limit: %w", err)
		}
		wait = max(wait, addressWait)
	}

	if wait > 0 {
		s.log.Warn("accounts: login locked out", "username", username, "client_ip", clientAddr, "retry_after", wait)
		return &LockoutError{RetryAfter: wait}
	}
	return nil
}

func (s *Service) loginFailed(ctx context.Context, username, clientAddr string, user store.User) {
	s.log.Info("accounts: login failed", "username", username, "user_id", user.PK, "client_ip", clientAddr,
		"inactive", user.PK != 0 && !user.IsActive)

	if err := s.config.AccountLimiter.Fail(ctx, accountKey(username)); err != nil {
		s.log.Error("accounts: recording failed login", "username", username, "error", err)
	}
	if clientAddr == "" {
		return
	}
	if err := s.config.AddressLimiter.Fail(ctx, addressKey(clientAddr)); err != nil {
		s.log.Error("accounts: recording failed login", "client_ip", clientAddr, "error", err)
	}
}

// loginSucceeded clears the username's failures, and replaces a hash made
// with other parameters than the configured ones.
func (s *Service) loginSucceeded(ctx context.Context, user store.User, password string) {
	if err := s.config.AccountLimiter.Reset(ctx, accountKey(user.Username)); err != nil {
		s.log.Error("accounts: clearing failed logins", "user_id", user.PK, "error", err)
	}

	h, err := DecodeHash(user.PasswordHash)
	if err != nil || !h.NeedsRehash(s.config.Params) {
		return
	}

	hash, err := s.hash(ctx, password)
	if err != nil {
		s.log.Error("accounts: replacing password hash with new parameters", "user_id", user.PK, "error", err)
		return
	}

	if err := s.store.SetPasswordHash(ctx, user.PK, hash); err != nil {
		s.log.Error("accounts: replacing password hash with new parameters", "user_id", user.PK, "error", err)
	}
}

// ChangePassword replaces the user's password after checking the current
// one. Wrong current passwords count as failed logins of the account, so
// they lock it out like failed logins do.
func (s *Service) ChangePassword(ctx context.Context, userPK int64, current, replacement string) error {
	if err := ValidatePassword(replacement); err != nil {
		return err
	}

	user, err := s.store.UserByPK(ctx, userPK)
	if err != nil {
		return fmt.Errorf("accounts: changing password: %w", err)
	}

	if err := s.checkLockout(ctx, user.Username, ""); err != nil {
		return err
	}

	ok, err := s.verify(ctx, user, current)
	if err != nil {
		return err
	}
	if !ok {
		s.loginFailed(ctx, user.Username, "", user)
		return ErrWrongPassword
	}

	if err := s.setPassword(ctx, user, replacement); err != nil {
		return err
	}
	s.log.Info("accounts: password changed", "user_id", user.PK)
	return nil
}

// setPassword stores a hash of password and clears the account's failed
// logins.
func (s *Service) setPassword(ctx context.Context, user store.User, password string) error {
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}

	if err := s.store.SetPasswordHash(ctx, user.PK, hash); err != nil {
		return fmt.Errorf("accounts: setting password: %w", err)
	}

	if err := s.config.AccountLimiter.Reset(ctx, accountKey(user.Username)); err != nil {
		s.log.Error("accounts: clearing failed logins", "user_id", user.PK, "error", err)
	}
	return nil
}
