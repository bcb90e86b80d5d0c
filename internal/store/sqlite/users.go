package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/plugit-go/plugit/internal/store"
)

const userColumns = `pk, uuid, username, email, first_name, last_name, password_hash,
	is_platform_admin, is_active, created_at`

// prefixedUserColumns is userColumns of a table aliased u.
const prefixedUserColumns = `u.pk, u.uuid, u.username, u.email, u.first_name, u.last_name, u.password_hash,
	u.is_platform_admin, u.is_active, u.created_at`

func scanUser(row scanner) (store.User, error) {
	return scanUserWith(row)
}

// scanUserWith reads the user columns and then the extra columns of a row.
func scanUserWith(row scanner, extra ...any) (store.User, error) {
	var u store.User
	var createdAt string
	dest := []any{&u.PK, &u.UUID, &u.Username, &u.Email, &u.FirstName, &u.LastName, &u.PasswordHash,
		&u.IsPlatformAdmin, &u.IsActive, &createdAt}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return store.User{}, mapError(err)
	}

	var err error
	u.CreatedAt, err = parseTime(createdAt)
	return u, err
}

// CreateUser stores a new user.
func (d *DB) CreateUser(ctx context.Context, u *store.User) error {
	if u.UUID == "" {
		u.UUID = uuid.NewString()
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now()
	}
	u.CreatedAt = u.CreatedAt.UTC().Truncate(time.Microsecond)

	err := d.db.QueryRowContext(ctx, `INSERT INTO users (uuid, username, email, first_name, last_name,
		password_hash, is_platform_admin, is_active, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING pk`,
		u.UUID, u.Username, u.Email, u.FirstName, u.LastName, u.PasswordHash,
		u.IsPlatformAdmin, u.IsActive, formatTime(u.CreatedAt)).Scan(&u.PK)
	if err != nil {
		return fmt.Errorf("sqlite: creating user %q: %w", u.Username, mapError(err))
	}
	return nil
}

// UserByPK returns the user with the PK.
func (d *DB) UserByPK(ctx context.Context, pk int64) (store.User, error) {
	return d.userWhere(ctx, "pk = ?", pk)
}

// UserByUUID returns the user with the UUID.
func (d *DB) UserByUUID(ctx context.Context, id string) (store.User, error) {
	return d.userWhere(ctx, "uuid = ?", id)
}

// UserByUsername returns the user with the username, ignoring ASCII case.
func (d *DB) UserByUsername(ctx context.Context, username string) (store.User, error) {
	return d.userWhere(ctx, "lower(username) = lower(?)", username)
}

// UserByEmail returns the user with the e-mail address, ignoring ASCII
// case.
func (d *DB) UserByEmail(ctx context.Context, email string) (store.User, error) {
	return d.userWhere(ctx, "lower(email) = lower(?)", email)
}

func (d *DB) userWhere(ctx context.Context, where string, arg any) (store.User, error) {
	row := d.db.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE "+where, arg)
	u, err := scanUser(row)
	if err != nil {
		return store.User{}, fmt.Errorf("sqlite: getting user where %s, %v: %w", where, arg, err)
	}
	return u, nil
}

// ListUsers returns every user, by PK.
func (d *DB) ListUsers(ctx context.Context) ([]store.User, error) {
	users, err := queryList(ctx, d.db, scanUser, "SELECT "+userColumns+" FROM users ORDER BY pk")
	if err != nil {
		return nil, fmt.Errorf("sqlite: listing users: %w", err)
	}
	return users, nil
}

// SetPasswordHash replaces the user's password hash.
func (d *DB) SetPasswordHash(ctx context.Context, userPK int64, hash string) error {
	err := d.execOne(ctx, "UPDATE users SET password_hash = ? WHERE pk = ?", hash, userPK)
	if err != nil {
		return fmt.Errorf("sqlite: setting password of user %d: %w", userPK, err)
	}
	return nil
}

// SetActive enables or disables the user's account.
func (d *DB) SetActive(ctx context.Context, userPK int64, active bool) error {
	err := d.execOne(ctx, "UPDATE users SET is_active = ? WHERE pk = ?", active, userPK)
	if err != nil {
		return fmt.Errorf("sqlite: setting user %d active to %t: %w", userPK, active, err)
	}
	return nil
}
