// Package platform builds the hosted platform: it gives the proxy real
// accounts and the API's directory on top of the account store, and loads
// plugit.yaml's services into the proxy and the store.
package platform

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/plugit-go/plugit/internal/accounts"
	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/proxy"
)

// Accounts gives the proxy the store's accounts.
type Accounts struct {
	store    store.Store
	accounts *accounts.Service
	mailer   accounts.Mailer
	now      func() time.Time
}

var _ proxy.Accounts = (*Accounts)(nil)

// NewAccounts returns the proxy's accounts on st. mailer sends password
// reset links; nil turns password resets off.
func NewAccounts(st store.Store, svc *accounts.Service, mailer accounts.Mailer) *Accounts {
	return &Accounts{store: st, accounts: svc, mailer: mailer, now: time.Now}
}

// User returns the account pk with its rights in the service and the
// organisation orgaPK. A platform administrator is an administrator of
// every service.
func (a *Accounts) User(ctx context.Context, pk int64, serviceKey string, orgaPK int64) (proxy.User, error) {
	u, err := a.store.UserByPK(ctx, pk)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !u.IsActive) {
		return proxy.User{}, proxy.ErrUnknownAccount
	}
	if err != nil {
		return proxy.User{}, err
	}

	user := proxyUser(u)
	if serviceKey != "" {
		if err := a.addServiceRights(ctx, &user, serviceKey); err != nil {
			return proxy.User{}, err
		}
	}
	if orgaPK != 0 {
		if err := a.addOrgaRights(ctx, &user, orgaPK); err != nil {
			return proxy.User{}, err
		}
	}
	return user, nil
}

func proxyUser(u store.User) proxy.User {
	return proxy.User{
		PK: u.PK, Username: u.Username, FirstName: u.FirstName, LastName: u.LastName,
		Email: u.Email, PlatformAdmin: u.IsPlatformAdmin,
	}
}

func (a *Accounts) addServiceRights(ctx context.Context, user *proxy.User, serviceKey string) error {
	isAdmin, err := a.store.ServiceMembership(ctx, serviceKey, user.PK)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		user.Member, user.Admin = true, isAdmin
	}
	if user.PlatformAdmin {
		user.Member, user.Admin = true, true
	}

	labels, err := a.store.ActiveSubscriptionLabels(ctx, serviceKey, user.PK, a.now())
	if err != nil {
		return err
	}
	user.SubscriptionLabels = labels
	return nil
}

func (a *Accounts) addOrgaRights(ctx context.Context, user *proxy.User, orgaPK int64) error {
	orgas, err := a.store.ListUserOrgas(ctx, user.PK)
	if err != nil {
		return err
	}
	for _, o := range orgas {
		if o.Orga.PK == orgaPK {
			user.OrgaMember, user.OrgaAdmin = true, o.IsOwner
		}
	}
	return nil
}

// Orgas returns the organisations of the account.
func (a *Accounts) Orgas(ctx context.Context, pk int64) ([]proxy.Orga, error) {
	orgas, err := a.store.ListUserOrgas(ctx, pk)
	if errors.Is(err, store.ErrNotFound) {
		return nil, proxy.ErrUnknownAccount
	}
	if err != nil {
		return nil, err
	}
	list := make([]proxy.Orga, 0, len(orgas))
	for _, o := range orgas {
		list = append(list, proxyOrga(o.Orga))
	}
	return list, nil
}

func proxyOrga(o store.Orga) proxy.Orga {
	return proxy.Orga{PK: o.PK, Name: o.Name, Codops: o.Codops}
}

// Login checks the credentials.
func (a *Accounts) Login(ctx context.Context, username, password, clientIP string) (int64, error) {
	u, err := a.accounts.Authenticate(ctx, username, password, clientIP)
	switch {
	case errors.Is(err, accounts.ErrLockedOut):
		return 0, fmt.Errorf("%w: %w", proxy.ErrTooManyAttempts, err)
	case errors.Is(err, accounts.ErrInvalidCredentials):
		return 0, fmt.Errorf("%w: %w", proxy.ErrInvalidCredentials, err)
	case err != nil:
		return 0, err
	}
	return u.PK, nil
}

// SignUp creates an account.
func (a *Accounts) SignUp(ctx context.Context, username, email, password string) (int64, error) {
	u, err := a.accounts.Register(ctx, accounts.NewAccount{Username: username, Email: email, Password: password})
	if err != nil {
		return 0, inputError(err)
	}
	return u.PK, nil
}

// ChangePassword replaces the password after checking the old one.
func (a *Accounts) ChangePassword(ctx context.Context, pk int64, oldPassword, newPassword string) error {
	err := a.accounts.ChangePassword(ctx, pk, oldPassword, newPassword)
	if errors.Is(err, accounts.ErrWrongPassword) {
		return fmt.Errorf("%w: %w", proxy.ErrInvalidCredentials, err)
	}
	return inputError(err)
}

// StartPasswordReset mails a reset link when an account has the address.
func (a *Accounts) StartPasswordReset(ctx context.Context, email, resetURL string) error {
	if a.mailer == nil {
		return fmt.Errorf("platform: password reset needs mail: %w", proxy.ErrMailNotConfigured)
	}
	link := func(token string) string { return resetURL + "?token=" + url.QueryEscape(token) }
	err := a.accounts.RequestPasswordReset(ctx, email, link, a.mailer)
	if errors.Is(err, accounts.ErrLockedOut) {
		// Too many requests for the address: reply as for any address.
		return nil
	}
	return err
}

// CompletePasswordReset sets a new password for the token's account.
func (a *Accounts) CompletePasswordReset(ctx context.Context, token, newPassword string) error {
	_, err := a.accounts.CompletePasswordReset(ctx, token, newPassword)
	if errors.Is(err, accounts.ErrInvalidResetToken) {
		return fmt.Errorf("%w: %w", proxy.ErrInvalidResetToken, err)
	}
	return inputError(err)
}

// inputError turns the accounts package's input errors into messages for
// the account pages.
func inputError(err error) error {
	var fe *accounts.FieldError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return &proxy.InputError{Message: "The " + fe.Field + " is invalid: " + fe.Problem + "."}
	case errors.Is(err, accounts.ErrUsernameTaken):
		return &proxy.InputError{Message: "This username is already taken."}
	case errors.Is(err, accounts.ErrEmailTaken):
		return &proxy.InputError{Message: "This e-mail address already has an account."}
	case errors.Is(err, accounts.ErrRegistrationClosed):
		return fmt.Errorf("%w: %w", proxy.ErrSignupClosed, err)
	}
	return err
}
