// Package store defines the account storage of the hosted platform: users,
// organisations, services, memberships, subscriptions and password reset
// tokens. The implementations live in the sqlite and postgres packages.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

var (
	// ErrNotFound is returned when the requested row does not exist, or when
	// a row refers to a user, organisation or service that does not exist.
	ErrNotFound = errors.New("store: not found")

	// ErrConflict is returned when a row would break a uniqueness rule, such
	// as a second user with the same username or e-mail address.
	ErrConflict = errors.New("store: conflict")
)

// User is an account of the platform.
type User struct {
	PK       int64
	UUID     string
	Username string
	Email    string

	FirstName string
	LastName  string

	// PasswordHash is the encoded password hash, empty when the account
	// cannot log in with a password.
	PasswordHash string

	IsPlatformAdmin bool
	IsActive        bool

	CreatedAt time.Time
}

// Orga is an organisation that users belong to.
type Orga struct {
	PK   int64
	Name string

	// Codops is the organisation's short code.
	Codops string
}

// OrgaMember is a user's membership of an organisation.
type OrgaMember struct {
	User    User
	IsOwner bool
}

// UserOrga is an organisation that a user belongs to, seen from the user.
type UserOrga struct {
	Orga    Orga
	IsOwner bool
}

// Service is a service hosted by the proxy.
type Service struct {
	// Key is the service's identifier, the first segment of its URL path.
	Key  string
	Name string

	// URL is the address the proxy calls the service at.
	URL string

	// APIKey is the secret the service sends when it calls the proxy's API.
	APIKey string

	// Options holds the proxy's other settings of the service as a JSON
	// object; empty means {}.
	Options json.RawMessage
}

// ServiceMember is a user's membership of a service: members may read, and
// administrators may also write.
type ServiceMember struct {
	User    User
	IsAdmin bool
}

// Subscription is a label that a user holds for a service, such as a plan
// name, until an optional end time.
type Subscription struct {
	ServiceKey string
	UserPK     int64
	Label      string

	// Until is the end of the subscription; the zero time means it never
	// ends.
	Until time.Time
}

// Store keeps the accounts of the platform. Implementations are safe for
// concurrent use. Their errors wrap ErrNotFound and ErrConflict in the
// cases those errors document. In particular, getting, updating or
// deleting a row that does not exist returns ErrNotFound.
type Store interface {
	UserStore
	OrgaStore
	ServiceStore

	// AddSubscription stores a subscription. Adding a label the user already
	// holds for the service replaces its end time.
	AddSubscription(ctx context.Context, sub Subscription) error

	// ActiveSubscriptionLabels returns the labels of the user's
	// subscriptions to the service that have no end time or end after now,
	// sorted.
	ActiveSubscriptionLabels(ctx context.Context, serviceKey string, userPK int64, now time.Time) ([]string, error)

	// CreateResetToken stores the SHA-256 of a password reset token of the
	// user, valid until expiresAt. The token itself is not stored.
	CreateResetToken(ctx context.Context, userPK int64, token string, expiresAt time.Time) error

	// ConsumeResetToken returns the user of a reset token that has not
	// expired at now, and deletes every reset token of that user, so that
	// each token works once. An unknown, used or expired token returns
	// ErrNotFound.
	ConsumeResetToken(ctx context.Context, token string, now time.Time) (int64, error)

	// Close releases the store's connections.
	Close() error
}

// UserStore keeps user accounts. Lookups by username and e-mail address
// ignore case, and so do their uniqueness rules: SQLite folds ASCII letters
// only, PostgreSQL folds other letters as well.
type UserStore interface {
	// CreateUser stores a new user and sets its PK, and its UUID and
	// CreatedAt when they are empty. A username or e-mail address already
	// in use returns ErrConflict.
	CreateUser(ctx context.Context, u *User) error

	// UserByPK, UserByUUID, UserByUsername and UserByEmail return the user
	// with that value, or ErrNotFound.
	UserByPK(ctx context.Context, pk int64) (User, error)
	UserByUUID(ctx context.Context, uuid string) (User, error)
	UserByUsername(ctx context.Context, username string) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)

	// ListUsers returns every user, by PK.
	ListUsers(ctx context.Context) ([]User, error)

	// SetPasswordHash replaces the user's password hash.
	SetPasswordHash(ctx context.Context, userPK int64, hash string) error

	// SetActive enables or disables the user's account.
	SetActive(ctx context.Context, userPK int64, active bool) error
}

// OrgaStore keeps organisations and their members.
type OrgaStore interface {
	// CreateOrga stores a new organisation and sets its PK.
	CreateOrga(ctx context.Context, o *Orga) error

	// OrgaByPK returns the organisation with the PK, or ErrNotFound.
	OrgaByPK(ctx context.Context, pk int64) (Orga, error)

	// ListOrgas returns every organisation, by PK.
	ListOrgas(ctx context.Context) ([]Orga, error)

	// DeleteOrga deletes the organisation with its memberships and its
	// permissions to use services.
	DeleteOrga(ctx context.Context, pk int64) error

	// PutOrgaMember adds the user to the organisation, or updates the owner
	// flag of a user who already belongs to it.
	PutOrgaMember(ctx context.Context, orgaPK, userPK int64, isOwner bool) error

	// DeleteOrgaMember removes the user from the organisation.
	DeleteOrgaMember(ctx context.Context, orgaPK, userPK int64) error

	// ListOrgaMembers returns the members of the organisation, by user PK.
	ListOrgaMembers(ctx context.Context, orgaPK int64) ([]OrgaMember, error)

	// ListUserOrgas returns the organisations the user belongs to, by PK.
	ListUserOrgas(ctx context.Context, userPK int64) ([]UserOrga, error)
}

// ServiceStore keeps hosted services, their members and the organisations
// allowed to use them.
type ServiceStore interface {
	// PutService stores the service, replacing the one with the same key.
	// The service must pass Validate.
	PutService(ctx context.Context, s Service) error

	// ServiceByKey returns the service with the key, or ErrNotFound.
	ServiceByKey(ctx context.Context, key string) (Service, error)

	// ListServices returns every service, by key.
	ListServices(ctx context.Context) ([]Service, error)

	// DeleteService deletes the service with its members, allowed
	// organisations and subscriptions.
	DeleteService(ctx context.Context, key string) error

	// PutServiceMember adds the user to the service's members, or updates
	// the admin flag of a user who already is one.
	PutServiceMember(ctx context.Context, serviceKey string, userPK int64, isAdmin bool) error

	// DeleteServiceMember removes the user from the service's members.
	DeleteServiceMember(ctx context.Context, serviceKey string, userPK int64) error

	// ListServiceMembers returns the members of the service, by user PK.
	ListServiceMembers(ctx context.Context, serviceKey string) ([]ServiceMember, error)

	// ServiceMembership returns whether the user is an administrator of the
	// service, or ErrNotFound when the user is not a member.
	ServiceMembership(ctx context.Context, serviceKey string, userPK int64) (isAdmin bool, err error)

	// AllowOrga lets the organisation use the service. Allowing an
	// organisation twice is no error.
	AllowOrga(ctx context.Context, serviceKey string, orgaPK int64) error

	// DisallowOrga withdraws the organisation's permission to use the
	// service.
	DisallowOrga(ctx context.Context, serviceKey string, orgaPK int64) error

	// ListAllowedOrgas returns the organisations allowed to use the
	// service, by PK.
	ListAllowedOrgas(ctx context.Context, serviceKey string) ([]Orga, error)
}
