package accounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/plugit-go/plugit/internal/store"
)

// NewAccount is the input of Register and CreateAccount.
type NewAccount struct {
	Username  string
	Email     string
	Password  string
	FirstName string
	LastName  string

	// IsPlatformAdmin makes the account a platform administrator. Only
	// CreateAccount accepts it.
	IsPlatformAdmin bool
}

// Validate checks every field and returns the first problem as a
// *FieldError.
func (a NewAccount) Validate() error {
	checks := []error{
		ValidateUsername(a.Username),
		ValidateEmail(a.Email),
		ValidatePassword(a.Password),
		validateName("first_name", a.FirstName),
		validateName("last_name", a.LastName),
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}

// Register creates an active account for a visitor who signs up. It
// returns ErrRegistrationClosed unless Config.AllowRegistration is set,
// and never creates a platform administrator.
func (s *Service) Register(ctx context.Context, a NewAccount) (store.User, error) {
	if !s.config.AllowRegistration {
		return store.User{}, ErrRegistrationClosed
	}
	if a.IsPlatformAdmin {
		return store.User{}, errors.New("accounts: registration cannot create a platform administrator")
	}
	return s.CreateAccount(ctx, a)
}

// CreateAccount creates an active account, as an administrator does: it
// works whether registration is allowed or not. It returns a *FieldError
// for invalid input, and ErrUsernameTaken or ErrEmailTaken when another
// account has the username or e-mail address, in any case.
func (s *Service) CreateAccount(ctx context.Context, a NewAccount) (store.User, error) {
	if err := a.Validate(); err != nil {
		return store.User{}, err
	}

	if err := s.checkFree(ctx, a.Username, a.Email); err != nil {
		return store.User{}, err
	}

	hash, err := s.hash(ctx, a.Password)
	if err != nil {
		return store.User{}, err
	}

	u := store.User{
		Username: a.Username, Email: a.Email, FirstName: a.FirstName, LastName: a.LastName,
		PasswordHash: hash, IsPlatformAdmin: a.IsPlatformAdmin, IsActive: true, CreatedAt: s.config.Now(),
	}
	err = s.store.CreateUser(ctx, &u)
	if errors.Is(err, store.ErrConflict) {
		// Another account took the username or address since checkFree.
		if err := s.checkFree(ctx, a.Username, a.Email); err != nil {
			return store.User{}, err
		}
	}
	if err != nil {
		return store.User{}, fmt.Errorf("accounts: creating account %q: %w", a.Username, err)
	}

	s.log.Info("accounts: account created", "user_id", u.PK, "username", u.Username, "platform_admin", u.IsPlatformAdmin)
	return u, nil
}

// checkFree returns ErrUsernameTaken or ErrEmailTaken when an account has
// the username or the e-mail address.
func (s *Service) checkFree(ctx context.Context, username, email string) error {
	_, err := s.store.UserByUsername(ctx, username)
	switch {
	case err == nil:
		return ErrUsernameTaken
	case !errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("accounts: checking username %q: %w", username, err)
	}

	_, err = s.store.UserByEmail(ctx, email)
	switch {
	case err == nil:
		return ErrEmailTaken
	case !errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("accounts: checking e-mail address: %w", err)
	}
	return nil
}
