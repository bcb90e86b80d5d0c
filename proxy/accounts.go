package proxy

import (
	"context"
	"errors"
)

// Errors an Accounts implementation returns for the account pages to
// show; other errors are server errors.
var (
	// ErrInvalidCredentials means the username or password is wrong, or
	// the account is disabled. The page doesn't say which.
	ErrInvalidCredentials = errors.New("proxy: invalid username or password")
	// ErrTooManyAttempts means logins are rate limited for the account or
	// the client address.
	ErrTooManyAttempts = errors.New("proxy: too many login attempts")
	// ErrSignupClosed means the platform does not let visitors sign up.
	ErrSignupClosed = errors.New("proxy: sign-up is closed")
	// ErrUnknownAccount means the account no longer exists or is disabled.
	ErrUnknownAccount = errors.New("proxy: unknown account")
	// ErrInvalidResetToken means a password reset link is wrong, used or
	// expired.
	ErrInvalidResetToken = errors.New("proxy: invalid or expired reset link")
)

// InputError is an invalid form value, with the message the user sees.
type InputError struct {
	Message string
}

func (e *InputError) Error() string { return "proxy: invalid input: " + e.Message }

// Accounts gives the proxy real user accounts: in hosted mode, and in
// standalone mode when real users replace the simulated ones.
type Accounts interface {
	// User returns the account pk as the service serviceKey sees it: its
	// membership and admin rights in the service, and in the organisation
	// orgaPK (0 for none).
	User(ctx context.Context, pk int64, serviceKey string, orgaPK int64) (User, error)
	// Orgas returns the organisations the account belongs to.
	Orgas(ctx context.Context, pk int64) ([]Orga, error)
	// Login checks the credentials sent from clientIP and returns the
	// account's pk.
	Login(ctx context.Context, username, password, clientIP string) (int64, error)
	// SignUp creates an account and returns its pk.
	SignUp(ctx context.Context, username, email, password string) (int64, error)
	// ChangePassword replaces the password after checking the old one.
	ChangePassword(ctx context.Context, pk int64, oldPassword, newPassword string) error
	// StartPasswordReset mails a reset link under resetURL to the account
	// with the address, if there is one; it says nothing about whether
	// there is.
	StartPasswordReset(ctx context.Context, email, resetURL string) error
	// CompletePasswordReset sets a new password for the token's account.
	CompletePasswordReset(ctx context.Context, token, newPassword string) error
}
