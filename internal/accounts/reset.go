package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/plugit-go/plugit/internal/store"
)

// Mailer sends the e-mails of the account operations.
type Mailer interface {
	// SendPasswordReset sends the user a link that resets the password.
	SendPasswordReset(ctx context.Context, user store.User, link string) error
}

func resetKey(email string) string {
	return "reset:" + strings.ToLower(email)
}

// StartPasswordReset creates a password reset token for the active account
// with the e-mail address, valid for Config.ResetTokenTTL, and returns the
// account and the token to send it. The store keeps only the token's
// SHA-256. An address with no active account returns ErrNoAccount, which
// callers should not show, so that the reply does not reveal which
// addresses have accounts. Requests for one address count on
// Config.AccountLimiter, whether it has an account or not, and a
// *LockoutError stops them.
func (s *Service) StartPasswordReset(ctx context.Context, email string) (store.User, string, error) {
	if err := s.countResetRequest(ctx, email); err != nil {
		return store.User{}, "", err
	}

	user, err := s.store.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, "", ErrNoAccount
	}
	if err != nil {
		return store.User{}, "", fmt.Errorf("accounts: starting password reset: %w", err)
	}
	if !user.IsActive {
		return store.User{}, "", ErrNoAccount
	}

	token := rand.Text()
	expiresAt := s.config.Now().Add(s.config.ResetTokenTTL)
	if err := s.store.CreateResetToken(ctx, user.PK, token, expiresAt); err != nil {
		return store.User{}, "", fmt.Errorf("accounts: starting password reset: %w", err)
	}

	s.log.Info("accounts: password reset started", "user_id", user.PK, "expires_at", expiresAt)
	return user, token, nil
}

// countResetRequest records a reset request for the address, and returns
// a *LockoutError when the address has asked too often.
func (s *Service) countResetRequest(ctx context.Context, email string) error {
	wait, err := s.config.AccountLimiter.Wait(ctx, resetKey(email))
	if err != nil {
		return fmt.Errorf("accounts: checking password reset limit: %w", err)
	}
	if wait > 0 {
		s.log.Warn("accounts: password reset requests locked out", "retry_after", wait)
		return &LockoutError{RetryAfter: wait}
	}

	if err := s.config.AccountLimiter.Fail(ctx, resetKey(email)); err != nil {
		return fmt.Errorf("accounts: counting password reset request: %w", err)
	}
	return nil
}

// RequestPasswordReset starts a password reset and mails the user the link
// that link returns for the token. It returns nil, and sends nothing, for
// an address with no active account, so that callers reply the same way
// for every address.
func (s *Service) RequestPasswordReset(ctx context.Context, email string, link func(token string) string,
	mailer Mailer) error {
	user, token, err := s.StartPasswordReset(ctx, email)
	if errors.Is(err, ErrNoAccount) {
		s.log.Info("accounts: password reset requested for an address with no active account")
		return nil
	}
	if err != nil {
		return err
	}

	if err := mailer.SendPasswordReset(ctx, user, link(token)); err != nil {
		return fmt.Errorf("accounts: mailing password reset link to user %d: %w", user.PK, err)
	}
	return nil
}

// CompletePasswordReset sets the password of the token's account and
// returns the account. It checks the new password first, so that an
// invalid one leaves the token usable. A token that is unknown, used,
// expired or of an inactive account returns ErrInvalidResetToken. Using a
// token ends every other reset token of the account, and clears its failed
// logins.
func (s *Service) CompletePasswordReset(ctx context.Context, token, password string) (store.User, error) {
	if err := ValidatePassword(password); err != nil {
		return store.User{}, err
	}

	userPK, err := s.store.ConsumeResetToken(ctx, token, s.config.Now())
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, ErrInvalidResetToken
	}
	if err != nil {
		return store.User{}, fmt.Errorf("accounts: completing password reset: %w", err)
	}

	user, err := s.store.UserByPK(ctx, userPK)
	if err != nil {
		return store.User{}, fmt.Errorf("accounts: completing password reset: %w", err)
	}
	if !user.IsActive {
		s.log.Warn("accounts: password reset of an inactive account refused", "user_id", user.PK)
		return store.User{}, ErrInvalidResetToken
	}

	if err := s.setPassword(ctx, user, password); err != nil {
		return store.User{}, err
	}

	s.log.Info("accounts: password reset completed", "user_id", user.PK)
	return user, nil
}
