package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/plugit-go/plugit/internal/store"
)

const serviceColumns = "key, name, url, api_key, options::text"

func scanService(row pgx.CollectableRow) (store.Service, error) {
	return scanServiceRow(row)
}

func scanServiceRow(row pgx.Row) (store.Service, error) {
	var s store.Service
	var options string
	if err := row.Scan(&s.Key, &s.Name, &s.URL, &s.APIKey, &options); err != nil {
		return store.Service{}, mapError(err)
	}
	s.Options = json.RawMessage(options)
	return s, nil
}

// PutService stores the service, replacing the one with the same key.
func (d *DB) PutService(ctx context.Context, s store.Service) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("postgres: storing service: %w", err)
	}

	_, err := d.pool.Exec(ctx, `INSERT INTO services (key, name, url, api_key, options)
		VALUES ($1, $2, $3, $4, $5::text::json)
		ON CONFLICT (key) DO UPDATE SET name = excluded.name, url = excluded.url,
			api_key = excluded.api_key, options = excluded.options`,
		s.Key, s.Name, s.URL, s.APIKey, string(s.OptionsOrEmpty()))
	if err != nil {
		return fmt.Errorf("postgres: storing service %q: %w", s.Key, mapError(err))
	}
	return nil
}

// ServiceByKey returns the service with the key.
func (d *DB) ServiceByKey(ctx context.Context, key string) (store.Service, error) {
	s, err := scanServiceRow(d.pool.QueryRow(ctx, "SELECT "+serviceColumns+" FROM services WHERE key = $1", key))
	if err != nil {
		return store.Service{}, fmt.Errorf("postgres: getting service %q: %w", key, err)
	}
	return s, nil
}

// ListServices returns every service, by key.
func (d *DB) ListServices(ctx context.Context) ([]store.Service, error) {
	services, err := queryList(ctx, d, scanService, "SELECT "+serviceColumns+" FROM services ORDER BY key COLLATE \"C\"")
	if err != nil {
		return nil, fmt.Errorf("postgres: listing services: %w", err)
	}
	return services, nil
}

// DeleteService deletes the service; foreign keys delete its members,
// allowed organisations and subscriptions.
func (d *DB) DeleteService(ctx context.Context, key string) error {
	if err := d.execOne(ctx, "DELETE FROM services WHERE key = $1", key); err != nil {
		return fmt.Errorf("postgres: deleting service %q: %w", key, err)
	}
	return nil
}

// PutServiceMember adds the user to the service's members or updates its
// admin flag.
func (d *DB) PutServiceMember(ctx context.Context, serviceKey string, userPK int64, isAdmin bool) error {
	_, err := d.pool.Exec(ctx, `INSERT INTO service_members (service_key, user_pk, is_admin) VALUES ($1, $2, $3)
		ON CONFLICT (service_key, user_pk) DO UPDATE SET is_admin = excluded.is_admin`,
		serviceKey, userPK, isAdmin)
	if err != nil {
		return fmt.Errorf("postgres: adding user %d to service %q: %w", userPK, serviceKey, mapError(err))
	}
	return nil
}

// DeleteServiceMember removes the user from the service's members.
func (d *DB) DeleteServiceMember(ctx context.Context, serviceKey string, userPK int64) error {
	err := d.execOne(ctx, "DELETE FROM service_members WHERE service_key = $1 AND user_pk = $2", serviceKey, userPK)
	if err != nil {
		return fmt.Errorf("postgres: removing user %d from service %q: %w", userPK, serviceKey, err)
	}
	return nil
}

// ListServiceMembers returns the members of the service, by user PK.
func (d *DB) ListServiceMembers(ctx context.Context, serviceKey string) ([]store.ServiceMember, error) {
	scan := func(row pgx.CollectableRow) (store.ServiceMember, error) {
		var m store.ServiceMember
		var err error
		m.User, err = scanUserWith(row, &m.IsAdmin)
		return m, err
	}

	members, err := queryList(ctx, d, scan, "SELECT "+prefixedUserColumns+`, m.is_admin
		FROM service_members m JOIN users u ON u.pk = m.user_pk
		WHERE m.service_key = $1 ORDER BY u.pk`, serviceKey)
	if err != nil {
		return nil, fmt.Errorf("postgres: listing members of service %q: %w", serviceKey, err)
	}
	return members, nil
}

// ServiceMembership returns whether the user is an administrator of the
// service, or store.ErrNotFound when the user is not a member.
func (d *DB) ServiceMembership(ctx context.Context, serviceKey string, userPK int64) (bool, error) {
	var isAdmin bool
	err := d.pool.QueryRow(ctx, "SELECT is_admin FROM service_members WHERE service_key = $1 AND user_pk = $2",
		serviceKey, userPK).Scan(&isAdmin)
	if err != nil {
		return false, fmt.Errorf("postgres: getting membership of user %d in service %q: %w",
			userPK, serviceKey, mapError(err))
	}
	return isAdmin, nil
}

// AllowOrga lets the organisation use the service.
func (d *DB) AllowOrga(ctx context.Context, serviceKey string, orgaPK int64) error {
	_, err := d.pool.Exec(ctx, `INSERT INTO service_orgas (service_key, orga_pk) VALUES ($1, $2)
		ON CONFLICT (service_key, orga_pk) DO NOTHING`, serviceKey, orgaPK)
	if err != nil {
		return fmt.Errorf("postgres: allowing organisation %d to use service %q: %w", orgaPK, serviceKey, mapError(err))
	}
	return nil
}

// DisallowOrga withdraws the organisation's permission to use the service.
func (d *DB) DisallowOrga(ctx context.Context, serviceKey string, orgaPK int64) error {
	err := d.execOne(ctx, "DELETE FROM service_orgas WHERE service_key = $1 AND orga_pk = $2", serviceKey, orgaPK)
	if err != nil {
		return fmt.Errorf("postgres: disallowing organisation %d to use service %q: %w", orgaPK, serviceKey, err)
	}
	return nil
}

// ListAllowedOrgas returns the organisations allowed to use the service,
// by PK.
func (d *DB) ListAllowedOrgas(ctx context.Context, serviceKey string) ([]store.Orga, error) {
	orgas, err := queryList(ctx, d, scanOrga, `SELECT o.pk, o.name, o.codops
		FROM service_orgas so JOIN orgas o ON o.pk = so.orga_pk
		WHERE so.service_key = $1 ORDER BY o.pk`, serviceKey)
	if err != nil {
		return nil, fmt.Errorf("postgres: listing organisations allowed to use service %q: %w", serviceKey, err)
	}
	return orgas, nil
}
